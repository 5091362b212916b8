// Microsoft.Kubernetes (connected clusters, as @azure/arm-hybridkubernetes 2.1 reads them with api-version 2021-10-01)
// and Microsoft.KubernetesConfiguration extensions (@azure/arm-kubernetesconfiguration 6.1, 2023-05-01). Extension
// PUT, PATCH and DELETE are long-running: ARM answers at once with an Azure-AsyncOperation URL on this server, and the
// ExtensionEngine does the cluster work behind it. Protected settings are stored in the world and never returned.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { arcClusterResourceId, arcExtensionResourceId } from '../world/ids.ts';
import type { ArcCluster, ArcExtension } from '../world/model.ts';
import { findSubscription, requireResourceGroup, requireSubscription, sameName, type ArmContext } from './context.ts';
import { targetNamespace, type ExtensionOperation } from './extensions.ts';
import {
  ArmError, invalidParameter, isRecord, jsonBody, optionalBoolean, optionalString, propertiesOf, resourceNotFound,
  type ArmRequest, type ArmResponse,
} from './http.ts';
import { pageOf } from './paging.ts';
import type { ApiVersionRule, Route } from './router.ts';

export const CONNECTED_CLUSTER_API_VERSIONS: ApiVersionRule = {
  namespace: 'Microsoft.Kubernetes',
  type: 'connectedClusters',
  versions: ['2020-01-01-preview', '2021-03-01', '2021-04-01-preview', '2021-10-01', '2022-05-01-preview', '2022-10-01-preview', '2023-11-01-preview', '2024-01-01', '2024-06-01-preview', '2024-07-15-preview', '2024-12-01-preview'],
};

export const EXTENSION_API_VERSIONS: ApiVersionRule = {
  namespace: 'Microsoft.KubernetesConfiguration',
  type: 'extensions',
  versions: ['2020-07-01-preview', '2021-09-01', '2022-03-01', '2022-04-02-preview', '2022-07-01', '2022-11-01', '2023-05-01', '2024-11-01'],
};

/** The extension types this sandbox can install (it has their chart). */
const INSTALLABLE_TYPES = ['microsoft.apimanagement.gateway'];
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Helm release names: a DNS-1123 subdomain of at most 53 characters. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const CC = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Kubernetes/connectedClusters';
const EXT = `${CC}/{clusterName}/providers/Microsoft.KubernetesConfiguration/extensions`;

// The agent's public key is real key material, generated once per cluster; EC keeps a thousand-cluster bench fast.
const agentKeys = new WeakMap<ArcCluster, string>();
function agentPublicKeyCertificate(cluster: ArcCluster): string {
  let key = agentKeys.get(cluster);
  if (!key) {
    key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    agentKeys.set(cluster, key);
  }
  return key;
}

/** A stable identity per cluster (the world does not model managed identities). */
export function principalId(cluster: ArcCluster): string {
  const h = createHash('sha256').update(arcClusterResourceId(cluster).toLowerCase()).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function clusterJson(ctx: ArmContext, cluster: ArcCluster): Record<string, unknown> {
  const tenantId = findSubscription(ctx.world, cluster.subscriptionId)?.tenantId;
  return {
    id: arcClusterResourceId(cluster),
    name: cluster.name,
    type: 'Microsoft.Kubernetes/connectedClusters',
    location: cluster.location,
    tags: {},
    identity: { type: 'SystemAssigned', principalId: principalId(cluster), ...(tenantId ? { tenantId } : {}) },
    properties: {
      agentPublicKeyCertificate: agentPublicKeyCertificate(cluster),
      kubernetesVersion: cluster.kubernetesVersion,
      totalNodeCount: cluster.totalNodeCount,
      totalCoreCount: cluster.totalCoreCount,
      agentVersion: cluster.agentVersion,
      provisioningState: cluster.provisioningState,
      distribution: cluster.distribution,
      infrastructure: cluster.infrastructure,
      lastConnectivityTime: cluster.lastConnectivityTime,
      connectivityStatus: cluster.connectivityStatus,
    },
  };
}

function extensionJson(ctx: ArmContext, cluster: ArcCluster, extension: ArcExtension): Record<string, unknown> {
  const currentVersion = installedChartVersion(ctx, cluster, extension);
  return {
    id: arcExtensionResourceId(cluster, extension.name),
    name: extension.name,
    type: 'Microsoft.KubernetesConfiguration/extensions',
    properties: {
      // The service stores extension types lower-cased (the portal lists "microsoft.apimanagement.gateway").
      extensionType: extension.extensionType.toLowerCase(),
      autoUpgradeMinorVersion: extension.autoUpgradeMinorVersion,
      releaseTrain: extension.releaseTrain,
      version: extension.version,
      scope: structuredClone(extension.scope),
      configurationSettings: { ...extension.configurationSettings },
      configurationProtectedSettings: {},
      ...(currentVersion ? { currentVersion } : {}),
      provisioningState: extension.provisioningState,
      statuses: extension.statuses.map((s) => ({ ...s })),
      errorInfo: extension.errorInfo ? { ...extension.errorInfo } : null,
      customLocationSettings: null,
      packageUri: null,
      aksAssignedIdentity: null,
      isSystemExtension: false,
    },
  };
}

/** The chart version running in the cluster, read from the Deployment's helm.sh/chart label. */
function installedChartVersion(ctx: ArmContext, cluster: ArcCluster, extension: ArcExtension): string | undefined {
  const kube = ctx.extensions.kubeFor(cluster);
  const deployment = kube?.get('deployments', targetNamespace(extension), extension.name);
  const label = deployment?.metadata.labels?.['helm.sh/chart'];
  return label?.match(/-(\d+\.\d+\.\d+[^\s]*)$/)?.[1];
}

function clusterOf(ctx: ArmContext, r: ArmRequest): ArcCluster {
  const { subscriptionId = '', resourceGroupName = '', clusterName = '' } = r.params;
  const cluster = ctx.world.arcCluster(subscriptionId, resourceGroupName, clusterName)
    ?? [...ctx.world.arcClusters.values()].find((c) => sameName(c.subscriptionId, subscriptionId) && sameName(c.resourceGroup, resourceGroupName) && sameName(c.name, clusterName));
  if (!cluster) throw resourceNotFound('Microsoft.Kubernetes/connectedClusters', clusterName, resourceGroupName);
  return cluster;
}

function findExtension(cluster: ArcCluster, name: string): ArcExtension | undefined {
  for (const e of cluster.extensions.values()) if (sameName(e.name, name)) return e;
  return undefined;
}

function extensionOf(cluster: ArcCluster, name: string): ArcExtension {
  const extension = findExtension(cluster, name);
  if (!extension) throw resourceNotFound('Microsoft.KubernetesConfiguration/extensions', name, cluster.resourceGroup);
  return extension;
}

// ---- request validation -------------------------------------------------------------------------------------------

function validateExtensionName(name: string): void {
  if (name.length > 53 || !RELEASE_NAME.test(name)) {
    throw invalidParameter('extensionName', `Invalid extension name '${name}': it must be at most 53 lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character.`);
  }
}

function validateNamespace(namespace: unknown, target: string): string {
  if (typeof namespace !== 'string' || namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    throw invalidParameter(target, `Invalid namespace '${String(namespace)}': a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?'), at most 63 characters.`);
  }
  return namespace;
}

function scopeOf(value: unknown, extensionName: string): ArcExtension['scope'] {
  if (value === undefined || value === null) return { namespace: { targetNamespace: validateNamespace(extensionName, 'properties.scope.namespace.targetNamespace') } };
  if (!isRecord(value)) throw invalidParameter('properties.scope', "'scope' must be an object with either 'namespace' or 'cluster'.");
  const ns = value['namespace'];
  const cl = value['cluster'];
  if (isRecord(ns) && isRecord(cl)) throw invalidParameter('properties.scope', "'scope' may name either 'namespace' or 'cluster', not both.");
  if (isRecord(cl)) {
    return { cluster: { releaseNamespace: validateNamespace(cl['releaseNamespace'] ?? extensionName, 'properties.scope.cluster.releaseNamespace') } };
  }
  if (isRecord(ns)) {
    return { namespace: { targetNamespace: validateNamespace(ns['targetNamespace'] ?? extensionName, 'properties.scope.namespace.targetNamespace') } };
  }
  throw invalidParameter('properties.scope', "'scope' must be an object with either 'namespace' or 'cluster'.");
}

/** A settings map. Error messages name keys only: values may be secrets. */
function settingsOf(value: unknown, target: string, allowNull: boolean): Record<string, string | null> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalidParameter(`properties.${target}`, `'${target}' must be an object of string values.`);
  const result: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || (allowNull && v === null)) result[k] = v;
    else throw invalidParameter(`properties.${target}.${k}`, `The value of '${target}.${k}' must be a string.`);
  }
  return result;
}

function merge(base: Record<string, string>, patch: Record<string, string | null>): Record<string, string> {
  const result = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = v;
  }
  return result;
}

function versionOf(properties: Record<string, unknown>, autoUpgrade: boolean): string | null {
  const version = optionalString(properties, 'version', 'properties.version') ?? null;
  if (version !== null && !/^\d+\.\d+\.\d+([-+].*)?$/.test(version)) throw invalidParameter('properties.version', `Invalid version '${version}': expected a semantic version such as 1.2.3.`);
  if (version !== null && autoUpgrade) throw invalidParameter('properties.version', "A version may be pinned only when 'autoUpgradeMinorVersion' is false.");
  return version;
}

// ---- routes -------------------------------------------------------------------------------------------------------

export function arcRoutes(ctx: ArmContext, lroRetryAfterSeconds: () => number): Route[] {
  const world = ctx.world;
  const clusters = (subscriptionId: string, resourceGroup?: string) =>
    [...world.arcClusters.values()].filter((c) => sameName(c.subscriptionId, subscriptionId) && (resourceGroup === undefined || sameName(c.resourceGroup, resourceGroup)));
  const cc = (methods: string[], pattern: string, handler: Route['handler']): Route => ({ methods, pattern, apiVersions: CONNECTED_CLUSTER_API_VERSIONS, handler });
  const ext = (methods: string[], pattern: string, handler: Route['handler']): Route => ({ methods, pattern, apiVersions: EXTENSION_API_VERSIONS, handler });

  const asyncHeaders = (r: ArmRequest, cluster: ArcCluster, name: string, op: ExtensionOperation): Record<string, string> => ({
    'Azure-AsyncOperation': `${r.baseUrl}${arcExtensionResourceId(cluster, name)}/operations/${op.id}?api-version=${encodeURIComponent(r.apiVersion)}`,
    'Retry-After': String(lroRetryAfterSeconds()),
  });

  return [
    cc(['GET'], '/subscriptions/{subscriptionId}/providers/Microsoft.Kubernetes/connectedClusters', (r) => {
      const sub = requireSubscription(world, r.params['subscriptionId'] ?? '');
      return { status: 200, body: pageOf(r, clusters(sub.subscriptionId).map((c) => clusterJson(ctx, c)), ctx.pageSize()) };
    }),
    cc(['GET'], CC, (r) => {
      const group = requireResourceGroup(world, r.params['subscriptionId'] ?? '', r.params['resourceGroupName'] ?? '');
      return { status: 200, body: pageOf(r, clusters(r.params['subscriptionId'] ?? '', group.name).map((c) => clusterJson(ctx, c)), ctx.pageSize()) };
    }),
    cc(['GET'], `${CC}/{clusterName}`, (r) => ({ status: 200, body: clusterJson(ctx, clusterOf(ctx, r)) })),

    ext(['GET'], EXT, (r) => {
      const cluster = clusterOf(ctx, r);
      return { status: 200, body: pageOf(r, [...cluster.extensions.values()].map((e) => extensionJson(ctx, cluster, e)), ctx.pageSize()) };
    }),
    ext(['GET'], `${EXT}/{extensionName}`, (r) => {
      const cluster = clusterOf(ctx, r);
      return { status: 200, body: extensionJson(ctx, cluster, extensionOf(cluster, r.params['extensionName'] ?? '')) };
    }),
    ext(['PUT'], `${EXT}/{extensionName}`, (r) => {
      const cluster = clusterOf(ctx, r);
      const requested = r.params['extensionName'] ?? '';
      validateExtensionName(requested);
      const existing = findExtension(cluster, requested);
      const name = existing?.name ?? requested;
      ctx.extensions.assertIdle(cluster, name);
      const p = propertiesOf(jsonBody(r));
      const extensionType = optionalString(p, 'extensionType', 'properties.extensionType') ?? existing?.extensionType;
      if (!extensionType) throw invalidParameter('properties.extensionType', "'extensionType' is required.");
      if (existing && !sameName(existing.extensionType, extensionType)) throw invalidParameter('properties.extensionType', `The extension type of '${name}' cannot be changed from '${existing.extensionType}'.`);
      if (!INSTALLABLE_TYPES.includes(extensionType.toLowerCase())) {
        throw new ArmError(400, 'ExtensionTypeRegistrationGetFailed', `Extension type '${extensionType}' is not registered for cluster type 'connectedClusters' in location '${cluster.location}'. This sandbox installs only Microsoft.ApiManagement.Gateway.`, { target: 'properties.extensionType' });
      }
      const autoUpgradeMinorVersion = optionalBoolean(p, 'autoUpgradeMinorVersion', 'properties.autoUpgradeMinorVersion') ?? true;
      const version = versionOf(p, autoUpgradeMinorVersion);
      const scope = scopeOf(p['scope'], name);
      if (existing && JSON.stringify(existing.scope) !== JSON.stringify(scope)) throw invalidParameter('properties.scope', `The scope of '${name}' cannot be changed.`);
      const extension: ArcExtension = {
        name,
        extensionType,
        autoUpgradeMinorVersion,
        releaseTrain: optionalString(p, 'releaseTrain', 'properties.releaseTrain') ?? 'Stable',
        version,
        scope,
        configurationSettings: merge({}, settingsOf(p['configurationSettings'], 'configurationSettings', false)),
        configurationProtectedSettings: merge({}, settingsOf(p['configurationProtectedSettings'], 'configurationProtectedSettings', false)),
        provisioningState: existing ? 'Updating' : 'Creating',
        statuses: [],
        errorInfo: null,
      };
      world.putArcExtension(cluster, extension);
      const op = ctx.extensions.start(existing ? 'upgrade' : 'install', cluster, name);
      return { status: existing ? 200 : 201, body: extensionJson(ctx, cluster, extension), headers: asyncHeaders(r, cluster, name, op) };
    }),
    ext(['PATCH'], `${EXT}/{extensionName}`, (r) => {
      const cluster = clusterOf(ctx, r);
      const existing = extensionOf(cluster, r.params['extensionName'] ?? '');
      ctx.extensions.assertIdle(cluster, existing.name);
      const p = propertiesOf(jsonBody(r));
      const autoUpgradeMinorVersion = optionalBoolean(p, 'autoUpgradeMinorVersion', 'properties.autoUpgradeMinorVersion') ?? existing.autoUpgradeMinorVersion;
      const version = 'version' in p ? versionOf(p, autoUpgradeMinorVersion) : existing.version;
      if (version !== null && autoUpgradeMinorVersion) throw invalidParameter('properties.version', "A version may be pinned only when 'autoUpgradeMinorVersion' is false.");
      const patch: Partial<ArcExtension> = {
        autoUpgradeMinorVersion,
        version,
        releaseTrain: optionalString(p, 'releaseTrain', 'properties.releaseTrain') ?? existing.releaseTrain,
        configurationSettings: merge(existing.configurationSettings, settingsOf(p['configurationSettings'], 'configurationSettings', true)),
        configurationProtectedSettings: merge(existing.configurationProtectedSettings, settingsOf(p['configurationProtectedSettings'], 'configurationProtectedSettings', true)),
        provisioningState: 'Updating',
        statuses: [],
        errorInfo: null,
      };
      world.updateArcExtension(cluster, existing.name, patch);
      const op = ctx.extensions.start('upgrade', cluster, existing.name);
      return { status: 202, headers: asyncHeaders(r, cluster, existing.name, op) };
    }),
    ext(['DELETE'], `${EXT}/{extensionName}`, (r) => {
      const cluster = clusterOf(ctx, r);
      const existing = findExtension(cluster, r.params['extensionName'] ?? '');
      if (!existing) return { status: 204 };
      const op = ctx.extensions.start('uninstall', cluster, existing.name, { force: r.query.get('forceDelete')?.toLowerCase() === 'true' });
      world.updateArcExtension(cluster, existing.name, { provisioningState: 'Deleting' });
      return { status: 202, headers: asyncHeaders(r, cluster, existing.name, op) };
    }),
    ext(['GET'], `${EXT}/{extensionName}/operations/{operationId}`, (r): ArmResponse => {
      const cluster = clusterOf(ctx, r);
      const name = r.params['extensionName'] ?? '';
      const op = ctx.extensions.operation(r.params['operationId'] ?? '');
      if (!op || !sameName(op.clusterId, arcClusterResourceId(cluster)) || !sameName(op.extension, name)) {
        throw new ArmError(404, 'ResourceNotFound', `The operation '${r.params['operationId']}' was not found for extension '${name}'.`);
      }
      return {
        status: 200,
        body: {
          id: `${arcExtensionResourceId(cluster, op.extension)}/operations/${op.id}`,
          name: op.id,
          status: op.status,
          // OperationStatusResult: `properties` (a string map, empty when there is nothing to add) and `error`
          // (null until the operation fails), as in GetExtensionAsyncOperationStatus.json.
          properties: {},
          error: op.error ? { code: op.error.code, message: op.error.message } : null,
          startTime: op.startTime,
          ...(op.endTime ? { endTime: op.endTime } : {}),
        },
        headers: op.status === 'InProgress' ? { 'Retry-After': String(lroRetryAfterSeconds()) } : {},
      };
    }),
  ];
}
