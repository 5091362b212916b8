// What APIM's configuration API hands one self-hosted gateway: its assigned APIs (every revision), their operations,
// version sets, and the subscriptions and products that decide which keys open which API. The gateway keeps the last
// snapshot it received and serves from it alone, which is what makes it "fail static" when the cloud stops answering.
import { apiRevisionKey } from '../world/ids.ts';
import type { ApiProtocol, ApimService, SubscriptionScope } from '../world/model.ts';
import type { World } from '../world/world.ts';

export interface ConfiguredOperation {
  name: string;
  method: string;
  urlTemplate: string;
}

export interface ConfiguredVersioning {
  versionSet: string;
  scheme: 'Segment' | 'Query' | 'Header';
  queryName: string;
  headerName: string;
  /** Empty for the set's original (unversioned) API. */
  version: string;
}

export interface ConfiguredApi {
  /** `echo-api;rev=1`: stable key of one revision. */
  key: string;
  name: string;
  revision: string;
  isCurrent: boolean;
  path: string;
  protocols: ApiProtocol[];
  serviceUrl: string | null;
  subscriptionRequired: boolean;
  subscriptionKeyHeader: string;
  subscriptionKeyQuery: string;
  versioning?: ConfiguredVersioning;
  operations: ConfiguredOperation[];
}

export interface ConfiguredSubscription {
  name: string;
  primaryKey: string;
  secondaryKey: string;
  active: boolean;
  scope: SubscriptionScope;
}

export interface GatewaySnapshot {
  revision: number;
  serviceName: string;
  /** `<apim>.azure-api.net`: what LocalLoggerAddedToTenant names. */
  serviceHost: string;
  tenantId: string;
  gatewayId: string;
  region: string;
  localDiagnostics: boolean;
  applicationInsights: boolean;
  systemAssignedIdentity: boolean;
  correlationHeader: string | undefined;
  /** In assignment order, each API's revisions in revision order. */
  apis: ConfiguredApi[];
  subscriptions: ConfiguredSubscription[];
  products: Array<{ name: string; published: boolean; apis: string[] }>;
}

function apisOf(service: ApimService, assigned: Iterable<string>): ConfiguredApi[] {
  const out: ConfiguredApi[] = [];
  for (const name of assigned) {
    const revisions = [...service.apis.values()].filter((a) => a.name === name).sort((a, b) => Number(a.apiRevision) - Number(b.apiRevision));
    for (const api of revisions) {
      const set = api.apiVersionSetId ? service.versionSets.get(api.apiVersionSetId.split('/').pop() ?? '') : undefined;
      const configured: ConfiguredApi = {
        key: apiRevisionKey(api.name, api.apiRevision),
        name: api.name,
        revision: api.apiRevision,
        isCurrent: api.isCurrent,
        path: api.path.replace(/^\/+|\/+$/g, ''),
        protocols: [...api.protocols],
        serviceUrl: api.serviceUrl,
        subscriptionRequired: api.subscriptionRequired,
        subscriptionKeyHeader: api.subscriptionKeyParameterNames.header,
        subscriptionKeyQuery: api.subscriptionKeyParameterNames.query,
        operations: [...api.operations.values()].map((o) => ({ name: o.name, method: o.method.toUpperCase(), urlTemplate: o.urlTemplate })),
      };
      if (set) {
        configured.versioning = {
          versionSet: set.name,
          scheme: set.versioningScheme,
          queryName: set.versionQueryName ?? 'api-version',
          headerName: set.versionHeaderName ?? 'Api-Version',
          version: api.apiVersion ?? '',
        };
      }
      out.push(configured);
    }
  }
  return out;
}

export function buildSnapshot(world: World, serviceName: string, gatewayId: string): GatewaySnapshot | undefined {
  const service = world.findService(serviceName);
  const gateway = service?.gateways.get(gatewayId);
  if (!service || !gateway) return undefined;
  return {
    revision: service.configurationRevision,
    serviceName: service.name,
    serviceHost: `${service.name}.azure-api.net`,
    tenantId: service.tenantId,
    gatewayId: gateway.name,
    region: gateway.locationData.name,
    localDiagnostics: service.localDiagnostics,
    applicationInsights: service.applicationInsights,
    systemAssignedIdentity: service.identity.type === 'SystemAssigned',
    correlationHeader: service.responseCorrelationHeader,
    apis: apisOf(service, gateway.apis),
    subscriptions: [...service.subscriptions.values()].map((s) => ({
      name: s.name,
      primaryKey: s.primaryKey,
      secondaryKey: s.secondaryKey,
      active: s.state === 'active',
      scope: s.scope,
    })),
    products: [...service.products.values()].map((p) => ({ name: p.name, published: p.state === 'published', apis: [...p.apis] })),
  };
}

/** API revisions that are new or differ between two snapshots: the ones whose route table the gateway rebuilds. */
export function changedApis(previous: GatewaySnapshot | undefined, next: GatewaySnapshot): ConfiguredApi[] {
  const before = new Map((previous?.apis ?? []).map((a) => [a.key, JSON.stringify(a)]));
  return next.apis.filter((a) => before.get(a.key) !== JSON.stringify(a));
}
