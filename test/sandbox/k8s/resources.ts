// The resource types the emulator serves, and the discovery and OpenAPI documents derived from them. kubectl refuses
// to run most commands without discovery, and `apply`/`create -f` with default validation need an OpenAPI v3 PATCH
// operation per kind that advertises `fieldValidation` (kubernetes-protocol notes §1).

export interface ResourceType {
  group: '' | 'apps';
  version: 'v1';
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  subresources: { name: string; kind: string; verbs: string[] }[];
  categories?: string[];
  /** PUT on a missing object creates it (true for endpoints and events in the real apiserver). */
  createOnUpdate?: boolean;
  /** Fields besides metadata.name/namespace that fieldSelector accepts. */
  selectableFields: string[];
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const resourceTypes: readonly ResourceType[] = [
  {
    group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false,
    shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'] }],
    selectableFields: ['status.phase'],
  },
  {
    group: '', version: 'v1', plural: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'],
    verbs: allVerbs, subresources: [{ name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update'] }],
    selectableFields: ['spec.unschedulable'],
  },
  {
    group: '', version: 'v1', plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'],
    verbs: allVerbs, categories: ['all'],
    subresources: [
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    ],
    selectableFields: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName',
      'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  },
  {
    group: '', version: 'v1', plural: 'services', singular: 'service', kind: 'Service', namespaced: true,
    shortNames: ['svc'], verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    categories: ['all'],
    subresources: [
      { name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
      { name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'] },
    ],
    selectableFields: ['spec.clusterIP', 'spec.type'],
  },
  {
    group: '', version: 'v1', plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true,
    shortNames: ['ep'], verbs: allVerbs, subresources: [], createOnUpdate: true, selectableFields: [],
  },
  {
    group: '', version: 'v1', plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true,
    shortNames: ['cm'], verbs: allVerbs, subresources: [], selectableFields: [],
  },
  {
    group: '', version: 'v1', plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true,
    shortNames: [], verbs: allVerbs, subresources: [], selectableFields: ['type'],
  },
  {
    group: '', version: 'v1', plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'],
    verbs: allVerbs, subresources: [], createOnUpdate: true,
    selectableFields: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
      'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason',
      'reportingComponent', 'source', 'type'],
  },
  {
    group: 'apps', version: 'v1', plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true,
    shortNames: ['deploy'], verbs: allVerbs, categories: ['all'],
    subresources: [
      { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
      { name: 'status', kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
    ],
    selectableFields: [],
  },
  {
    group: 'apps', version: 'v1', plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true,
    shortNames: ['rs'], verbs: allVerbs, categories: ['all'],
    subresources: [
      { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
      { name: 'status', kind: 'ReplicaSet', verbs: ['get', 'patch', 'update'] },
    ],
    selectableFields: ['status.replicas'],
  },
];

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export function findByPath(group: string, plural: string): ResourceType | undefined {
  return resourceTypes.find((t) => t.group === group && t.plural === plural);
}

export function findByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return resourceTypes.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
}

/** Resolve the loose names tests and world setup use: "pods", "pod", "po", "Pod", "deployments.apps". */
export function findByName(name: string): ResourceType | undefined {
  const bare = name.replace(/\.apps$/, '');
  const lower = bare.toLowerCase();
  return resourceTypes.find((t) => t.plural === lower || t.singular === lower || t.kind.toLowerCase() === lower
    || t.shortNames.includes(lower));
}

function legacyResourceList(groupVersion: string, types: readonly ResourceType[]): object {
  const resources: object[] = [];
  for (const t of types) {
    resources.push({
      name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: t.verbs,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
      storageVersionHash: storageVersionHash(t),
    });
    for (const s of t.subresources) {
      resources.push({ name: `${t.plural}/${s.name}`, singularName: '', namespaced: t.namespaced, kind: s.kind, verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

// Real servers publish an opaque hash per resource; kubectl only compares it between discovery runs.
function storageVersionHash(t: ResourceType): string {
  return Buffer.from(`${t.group}/${t.plural}`).toString('base64').slice(0, 11);
}

export function discoveryDocument(path: string, serverAddress: string): object | undefined {
  const core = resourceTypes.filter((t) => t.group === '');
  const apps = resourceTypes.filter((t) => t.group === 'apps');
  switch (path) {
    case '/api':
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
    case '/apis':
      return {
        kind: 'APIGroupList', apiVersion: 'v1',
        groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }],
      };
    case '/api/v1':
      return legacyResourceList('v1', core);
    case '/apis/apps':
      return { kind: 'APIGroup', apiVersion: 'v1', name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } };
    case '/apis/apps/v1':
      return legacyResourceList('apps/v1', apps);
    default:
      return undefined;
  }
}

function openApiHash(gv: string): string {
  // Stable per document: kubectl caches documents by this hash.
  let h = 0x811c9dc5;
  for (const ch of gv + JSON.stringify(resourceTypes)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).toUpperCase().padStart(8, '0').repeat(16);
}

export function openApiRoot(): object {
  return {
    paths: {
      'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${openApiHash('v1')}` },
      'apis/apps/v1': { serverRelativeURL: `/openapi/v3/apis/apps/v1?hash=${openApiHash('apps/v1')}` },
    },
  };
}

/**
 * Only the operations kubectl's QueryParamVerifierV3 looks at: a PATCH per kind that carries the GVK and the
 * fieldValidation parameter. No schemas, so kubectl leaves validation to the server.
 */
export function openApiGroupVersion(path: string): object | undefined {
  const group = path === '/openapi/v3/api/v1' ? '' : path === '/openapi/v3/apis/apps/v1' ? 'apps' : undefined;
  if (group === undefined) return undefined;
  const prefix = group ? `/apis/${group}/v1` : '/api/v1';
  const paths: Record<string, object> = {};
  const queryParams = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
    name, in: 'query', schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
  }));
  for (const t of resourceTypes.filter((r) => r.group === group)) {
    const itemPath = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}/{name}` : `${prefix}/${t.plural}/{name}`;
    const gvk = { group, version: 'v1', kind: t.kind };
    paths[itemPath] = {
      patch: {
        tags: [group ? 'apps_v1' : 'core_v1'],
        operationId: `patch${group ? 'Apps' : 'Core'}V1${t.namespaced ? 'Namespaced' : ''}${t.kind}`,
        parameters: queryParams,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    components: { schemas: {} },
  };
}
