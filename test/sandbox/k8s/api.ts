// The apiserver's verbs on top of the store: create, get, list, update, patch, delete, with admission, validation,
// optimistic concurrency and field ownership. The REST layer, the server's test helpers and the controllers all come
// through here, so an object made by world setup is indistinguishable from one made by kubectl.
import { randomUUID } from 'node:crypto';
import {
  normalizeSecret, prepareCreate, prepareUpdate, randomSuffix, validate, validateUpdate, type Allocator,
} from './admission.ts';
import { recordUpdate, serverSideApply } from './managed.ts';
import { deepEqual, jsonPatch, mergePatch, strategicMerge } from './patch.ts';
import { apiVersionOf, findByKind, findByName, findByPath, type ResourceType } from './resources.ts';
import { matchesFields, matchesRequirements, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import {
  ApiError, alreadyExists, badRequest, conflict, forbidden, invalid, notFound, successStatus, type StatusObject,
} from './status.ts';
import type { Store } from './store.ts';
import { clone, isObject, type KubeObject, type ManagedFieldsEntry, type Pod, type Secret, type Service } from './types.ts';

export const namespacesType = findByPath('', 'namespaces')!;
export const podsType = findByPath('', 'pods')!;
export const servicesType = findByPath('', 'services')!;
export const endpointsType = findByPath('', 'endpoints')!;
export const eventsType = findByPath('', 'events')!;
export const nodesType = findByPath('', 'nodes')!;
export const configMapsType = findByPath('', 'configmaps')!;
export const secretsType = findByPath('', 'secrets')!;
export const deploymentsType = findByPath('apps', 'deployments')!;
export const replicaSetsType = findByPath('apps', 'replicasets')!;

/** metav1.Time: RFC3339 with whole seconds, as the apiserver serialises metadata timestamps. */
export function nowTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  subresource?: string;
  /** Ownership decided by server-side apply, instead of recording this write as an Update. */
  managedFields?: ManagedFieldsEntry[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface ListResult {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

const terminatingReason = 'NamespaceTerminating';

export class KubeApi {
  readonly store: Store;
  private readonly allocator: Allocator;

  constructor(store: Store) {
    this.store = store;
    this.allocator = {
      clusterIP: () => this.allocateClusterIP(),
      nodePort: () => this.allocateNodePort(),
    };
  }

  resolveType(name: string): ResourceType {
    const t = findByName(name);
    if (!t) throw badRequest(`the server doesn't have a resource type "${name}"`);
    return t;
  }

  /** The resource type of a full object (apiVersion + kind), for helpers that take objects. */
  typeOf(object: KubeObject): ResourceType {
    const t = findByKind(object.apiVersion, object.kind);
    if (!t) throw badRequest(`no matches for kind "${object.kind}" in version "${object.apiVersion}"`);
    return t;
  }

  private allocateClusterIP(): string {
    const used = new Set(this.store.scan(servicesType).map((s) => (s as Service).spec.clusterIP));
    // 10.96.0.0/12 is kind's and kubeadm's default service range; .0.1 is reserved for the `kubernetes` service.
    for (;;) {
      const ip = `10.96.${Math.floor(Math.random() * 255)}.${2 + Math.floor(Math.random() * 252)}`;
      if (!used.has(ip)) return ip;
    }
  }

  private allocateNodePort(): number {
    const used = new Set(this.store.scan(servicesType).flatMap((s) => ((s as Service).spec.ports ?? []).map((p) => p.nodePort)));
    for (;;) {
      const port = 30000 + Math.floor(Math.random() * 2768);
      if (!used.has(port)) return port;
    }
  }

  private requireNamespace(resource: ResourceType, namespace: string | undefined, forCreate: boolean, name = ''): void {
    if (!resource.namespaced) return;
    const ns = this.store.peek(namespacesType, undefined, namespace ?? '');
    if (!ns) throw notFound('namespaces', '', namespace ?? '');
    if (forCreate && ns.metadata.deletionTimestamp && resource.plural !== 'events') {
      throw new ApiError(403, 'Forbidden',
        `${resource.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { kind: resource.plural, causes: [{ reason: terminatingReason, message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] });
    }
  }

  private checkKind(resource: ResourceType, object: KubeObject): void {
    const apiVersion = apiVersionOf(resource);
    if (object.kind && object.kind !== resource.kind) {
      throw badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersion})`);
    }
    if (object.apiVersion && object.apiVersion !== apiVersion) {
      throw badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersion})`);
    }
  }

  /** Decode-level checks that the real server performs while turning JSON into Go structs. */
  private decodeChecks(resource: ResourceType, object: KubeObject): void {
    if (!isObject(object.metadata)) object.metadata = {};
    if (resource.kind === 'Secret') {
      const data = (object as Secret).data;
      for (const value of Object.values(isObject(data) ? data : {})) {
        const s = String(value);
        const bad = s.search(/[^A-Za-z0-9+/=]/);
        if (bad >= 0 || s.length % 4 !== 0) {
          throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${bad >= 0 ? bad : s.length - (s.length % 4)}`);
        }
      }
    }
  }

  create(resource: ResourceType, namespace: string | undefined, body: KubeObject, options: WriteOptions = {}): KubeObject {
    const object = clone(body);
    this.decodeChecks(resource, object);
    this.checkKind(resource, object);
    object.apiVersion = apiVersionOf(resource);
    object.kind = resource.kind;
    if (resource.namespaced) {
      if (object.metadata.namespace && namespace && object.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      object.metadata.namespace = namespace ?? object.metadata.namespace ?? 'default';
    } else {
      delete object.metadata.namespace;
    }
    if (!object.metadata.name) {
      if (object.metadata.generateName) object.metadata.name = object.metadata.generateName + randomSuffix(5);
      else throw invalid(resource.kind, resource.group, '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
    }
    const name = object.metadata.name;
    this.requireNamespace(resource, object.metadata.namespace, true, name);
    if (this.store.peek(resource, object.metadata.namespace, name)) throw alreadyExists(resource.plural, resource.group, name);
    for (const key of ['uid', 'resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']) delete object.metadata[key];
    object.metadata.uid = randomUUID();
    object.metadata.creationTimestamp = nowTimestamp();
    prepareCreate(resource, object, this.allocator);
    validate(resource, object);
    object.metadata.managedFields = options.managedFields
      ?? recordUpdate(undefined, object, options.fieldManager ?? 'unknown', nowTimestamp(), undefined);
    if (options.dryRun) return object;
    return this.store.write(resource, object);
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(resource, resource.namespaced ? namespace : undefined, name);
    if (!object) throw notFound(resource.plural, resource.group, name);
    return object;
  }

  /** Same as get, but undefined instead of NotFound. */
  find(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(resource, resource.namespaced ? namespace : undefined, name);
  }

  filter(resource: ResourceType, options: ListOptions): (object: KubeObject) => boolean {
    const labels = options.labelSelector ? parseLabelSelector(options.labelSelector) : [];
    const fields = options.fieldSelector ? parseFieldSelector(options.fieldSelector, resource.selectableFields) : [];
    return (o) => matchesRequirements(o.metadata.labels, labels) && matchesFields(o, fields);
  }

  list(resource: ResourceType, namespace: string | undefined, options: ListOptions = {}): ListResult {
    const matches = this.filter(resource, options);
    let items = this.store.scan(resource, resource.namespaced ? namespace : undefined).filter(matches);
    const resourceVersion = String(this.store.resourceVersion);
    const metadata: ListResult['metadata'] = { resourceVersion };
    let start = 0;
    if (options.continue) {
      try {
        const token = JSON.parse(Buffer.from(options.continue, 'base64').toString('utf8')) as { start: number };
        start = token.start;
      } catch {
        throw badRequest('continue key is not valid: illegal base64 data');
      }
    }
    if (options.limit && options.limit > 0 && items.length - start > options.limit) {
      metadata.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(resourceVersion), start: start + options.limit })).toString('base64');
      metadata.remainingItemCount = items.length - start - options.limit;
      items = items.slice(start, start + options.limit);
    } else {
      items = items.slice(start);
    }
    // Real list items carry no kind/apiVersion (the list does).
    const stripped = items.map((o) => {
      const { kind: _kind, apiVersion: _apiVersion, ...rest } = clone(o);
      return rest as KubeObject;
    });
    return { kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata, items: stripped };
  }

  update(resource: ResourceType, namespace: string | undefined, name: string, body: KubeObject, options: WriteOptions = {}): { object: KubeObject; created: boolean } {
    const object = clone(body);
    this.decodeChecks(resource, object);
    this.checkKind(resource, object);
    object.apiVersion = apiVersionOf(resource);
    object.kind = resource.kind;
    const ns = resource.namespaced ? namespace : undefined;
    if (object.metadata.name && object.metadata.name !== name) {
      throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (resource.namespaced && object.metadata.namespace && object.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.name = name;
    if (resource.namespaced) object.metadata.namespace = ns;
    const previous = this.store.peek(resource, ns, name);
    if (!previous) {
      if (resource.createOnUpdate && !options.subresource) return { object: this.create(resource, ns, object, options), created: true };
      throw notFound(resource.plural, resource.group, name);
    }
    const rv = object.metadata.resourceVersion;
    if (rv && rv !== previous.metadata.resourceVersion) {
      throw conflict(resource.plural, resource.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return { object: this.commitUpdate(resource, clone(previous), object, options), created: false };
  }

  private commitUpdate(resource: ResourceType, previous: KubeObject, next: KubeObject, options: WriteOptions): KubeObject {
    if (!options.subresource && resource.kind === 'Secret') normalizeSecret(next as Secret);
    prepareUpdate(resource, previous, next, options.subresource, this.allocator);
    validate(resource, next);
    validateUpdate(resource, previous, next);
    next.metadata.managedFields = options.managedFields
      ?? recordUpdate(previous, next, options.fieldManager ?? 'unknown', nowTimestamp(), options.subresource);
    next.metadata.resourceVersion = previous.metadata.resourceVersion;
    // A no-op write leaves the object, its resourceVersion and the watch stream alone, as the real server does.
    if (deepEqual(stripVolatile(previous), stripVolatile(next))) return previous;
    if (options.dryRun) return next;
    return this.store.write(resource, next);
  }

  patch(resource: ResourceType, namespace: string | undefined, name: string, type: PatchType, body: unknown,
    options: WriteOptions & { force?: boolean } = {}): { object: KubeObject; created: boolean } {
    const ns = resource.namespaced ? namespace : undefined;
    const previous = this.store.peek(resource, ns, name);
    if (type === 'apply') {
      if (!isObject(body)) throw badRequest('error decoding YAML: the applied configuration must be an object');
      const config = clone(body) as KubeObject;
      if (!isObject(config.metadata)) config.metadata = {};
      if (!config.apiVersion || !config.kind) throw badRequest('apiVersion and kind must be set in the applied configuration');
      this.checkKind(resource, config);
      if (config.metadata.name && config.metadata.name !== name) {
        throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
      }
      if (!options.fieldManager) {
        throw invalid('PatchOptions', 'meta.k8s.io', '', [{ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' }]);
      }
      config.metadata.name = name;
      if (resource.namespaced) config.metadata.namespace = ns;
      if (resource.kind === 'Secret') normalizeSecret(config as Secret);
      if (!previous) {
        if (options.subresource) throw notFound(resource.plural, resource.group, name);
        const merged = serverSideApply(undefined, config, options.fieldManager, options.force ?? false, nowTimestamp());
        const { managedFields, ...meta } = merged.metadata;
        const object = this.create(resource, ns, { ...merged, metadata: meta }, { ...options, ...(managedFields ? { managedFields } : {}) });
        return { object, created: true };
      }
      const merged = serverSideApply(clone(previous), config, options.fieldManager, options.force ?? false, nowTimestamp());
      const managedFields = merged.metadata.managedFields ?? [];
      return { object: clone(this.commitUpdate(resource, clone(previous), merged, { ...options, managedFields })), created: false };
    }
    if (!previous) throw notFound(resource.plural, resource.group, name);
    let patched: unknown;
    switch (type) {
      case 'json': patched = jsonPatch(previous, body); break;
      case 'merge': patched = mergePatch(previous, body); break;
      case 'strategic': patched = strategicMerge(previous, body); break;
    }
    if (!isObject(patched)) throw badRequest('the patch produced something that is not an object');
    const next = patched as KubeObject;
    if (!isObject(next.metadata)) next.metadata = {};
    if (next.metadata.name !== name) throw badRequest(`the name of the object (${String(next.metadata.name)}) does not match the name on the URL (${name})`);
    const rv = next.metadata.resourceVersion;
    if (rv && rv !== previous.metadata.resourceVersion) {
      throw conflict(resource.plural, resource.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    this.decodeChecks(resource, next);
    return { object: this.commitUpdate(resource, clone(previous), next, options), created: false };
  }

  delete(resource: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject | StatusObject {
    const ns = resource.namespaced ? namespace : undefined;
    const current = this.store.peek(resource, ns, name);
    if (!current) throw notFound(resource.plural, resource.group, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw conflict(resource.plural, resource.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(resource.plural, resource.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    if (options.dryRun) return clone(current);
    if (resource.kind === 'Namespace') {
      if (['default', 'kube-system', 'kube-public'].includes(name)) {
        throw forbidden('namespaces', '', name, `this namespace may not be deleted`);
      }
      if (current.metadata.deletionTimestamp) return clone(current);
      const next = clone(current);
      next.metadata.deletionTimestamp = nowTimestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      next['status'] = { phase: 'Terminating' };
      return this.store.write(resource, next);
    }
    if (resource.kind === 'Pod') {
      const pod = current as Pod;
      let grace = options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      // Unscheduled and finished pods have nothing to stop: the real strategy deletes them at once.
      if (!pod.spec.nodeName || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') grace = 0;
      if (grace > 0) {
        const existing = pod.metadata.deletionGracePeriodSeconds;
        if (pod.metadata.deletionTimestamp && existing !== undefined && existing <= grace) return clone(current);
        const next = clone(current);
        next.metadata.deletionTimestamp = nowTimestamp(new Date(Date.now() + grace * 1000));
        next.metadata.deletionGracePeriodSeconds = grace;
        return this.store.write(resource, next);
      }
    }
    const removed = this.store.remove(resource, ns, name)!;
    this.collectGarbage(removed, options.propagationPolicy ?? 'Background');
    if (['Pod', 'Service', 'Namespace', 'Node'].includes(resource.kind)) return removed;
    return successStatus(resource.plural, resource.group, name, removed.metadata.uid ?? '');
  }

  /** Dependents whose owner is gone are deleted (Background/Foreground) or released (Orphan). */
  private collectGarbage(owner: KubeObject, policy: 'Background' | 'Foreground' | 'Orphan'): void {
    const uid = owner.metadata.uid;
    for (const type of [replicaSetsType, podsType, endpointsType]) {
      for (const dependent of this.store.scan(type, owner.metadata.namespace)) {
        const refs = dependent.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === uid)) continue;
        if (policy === 'Orphan') {
          const next = clone(dependent);
          next.metadata.ownerReferences = refs.filter((r) => r.uid !== uid);
          if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
          this.store.write(type, next);
        } else {
          try {
            this.delete(type, dependent.metadata.namespace, dependent.metadata.name ?? '', { propagationPolicy: policy });
          } catch (e) {
            if (!(e instanceof ApiError && e.code === 404)) throw e;
          }
        }
      }
    }
  }

  deleteCollection(resource: ResourceType, namespace: string | undefined, listOptions: ListOptions, options: DeleteOptions): ListResult {
    const result = this.list(resource, namespace, listOptions);
    const deleted: KubeObject[] = [];
    for (const item of result.items) {
      try {
        const r = this.delete(resource, item.metadata.namespace, item.metadata.name ?? '', options);
        if (r.kind !== 'Status') deleted.push(r as KubeObject);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
    return { ...result, items: deleted };
  }

  // ---- for controllers and the kubelet ---------------------------------------------------------------------------

  /** Change an object's status as a controller would (PUT …/status); a no-op change writes nothing. */
  writeStatus(resource: ResourceType, namespace: string | undefined, name: string, mutate: (object: KubeObject) => void, manager: string): KubeObject | undefined {
    const current = this.store.peek(resource, namespace, name);
    if (!current) return undefined;
    const next = clone(current);
    mutate(next);
    if (deepEqual(current, next)) return current;
    next.metadata.managedFields = recordUpdate(current, next, manager, nowTimestamp(), 'status');
    return this.store.write(resource, next);
  }

  /** Change any part of an object without admission, as a controller's own update does. */
  writeInternal(resource: ResourceType, namespace: string | undefined, name: string, mutate: (object: KubeObject) => void, manager: string): KubeObject | undefined {
    const current = this.store.peek(resource, namespace, name);
    if (!current) return undefined;
    const next = clone(current);
    mutate(next);
    if (deepEqual(current, next)) return current;
    next.metadata.managedFields = recordUpdate(current, next, manager, nowTimestamp());
    return this.store.write(resource, next);
  }

  /** Final removal of a gracefully deleted pod, after the kubelet stopped its containers. */
  finalizeDeletion(resource: ResourceType, namespace: string | undefined, name: string): void {
    const removed = this.store.remove(resource, namespace, name);
    if (removed) this.collectGarbage(removed, 'Background');
  }

  /** core/v1 Events, aggregated like client-go's recorder: same object, reason and message → count+1. */
  recordEvent(involved: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string,
    component: string, host?: string, fieldPath?: string): void {
    const ns = involved.metadata.namespace ?? 'default';
    if (!this.store.peek(namespacesType, undefined, ns)) return;
    const now = nowTimestamp();
    const existing = this.store.scan(eventsType, ns).find((e) => {
      const io = e['involvedObject'] as { uid?: string } | undefined;
      return io?.uid === involved.metadata.uid && e['reason'] === reason && e['message'] === message;
    });
    if (existing) {
      this.writeInternal(eventsType, ns, existing.metadata.name ?? '', (e) => {
        e['count'] = Number(e['count'] ?? 1) + 1;
        e['lastTimestamp'] = now;
      }, component);
      return;
    }
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involved.metadata.name}.${(BigInt(Date.now()) * 1000000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`,
        namespace: ns,
      },
      involvedObject: {
        kind: involved.kind,
        namespace: ns,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component, ...(host ? { host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host ?? '',
    };
    try {
      this.create(eventsType, ns, event, { fieldManager: component });
    } catch (e) {
      // Events are best effort, as in the real recorder: a terminating namespace refuses them.
      if (!(e instanceof ApiError)) throw e;
    }
  }
}

// Ownership timestamps change on every write; only a change of content or ownership makes a new version.
function stripVolatile(object: KubeObject): KubeObject {
  const copy = clone(object);
  for (const entry of copy.metadata.managedFields ?? []) delete (entry as Partial<ManagedFieldsEntry>).time;
  return copy;
}
