// Microsoft.ApiManagement as @azure/arm-apimanagement 10 (api-version 2024-05-01) calls it: services, self-hosted
// gateways with keys, tokens, API assignments and hostname configurations, APIs with revisions and operations,
// version sets, subscriptions and their secrets. Every write goes through the World's mutators, so the gateway
// simulator re-syncs exactly as it does for a test's own mutation. Status codes are the ones the SDK's operation
// specs accept (regenerateKey 204 only; gateway PUT 200/201, not long-running; DELETE 200/204).
import type {
  ApimApi, ApimService, ApimSubscription, ApiOperation, ApiProtocol, ApiVersionSet, GatewayHostnameConfiguration, GatewayKeyType, SelfHostedGateway,
} from '../world/model.ts';
import {
  apiEntityName, apiResourceId, gatewayApiResourceId, gatewayResourceId, hostnameConfigurationResourceId, operationResourceId,
  serviceResourceId, subscriptionResourceId, subscriptionScopeId, versionSetResourceId,
} from '../world/ids.ts';
import { generateGatewayToken } from '../world/tokens.ts';
import { requireResourceGroup, requireSubscription, sameName, type ArmContext } from './context.ts';
import { checkIfMatch, etagOf } from './etag.ts';
import {
  entityNotFound, isRecord, jsonBody, optionalBoolean, optionalString, propertiesOf, resourceNotFound, validationError,
  type ArmRequest, type ArmResponse,
} from './http.ts';
import { filterItems, pageOf } from './paging.ts';
import type { ApiVersionRule, Route } from './router.ts';

export const APIM_API_VERSIONS: ApiVersionRule = {
  namespace: 'Microsoft.ApiManagement',
  type: 'service',
  versions: ['2021-08-01', '2021-12-01-preview', '2022-08-01', '2022-09-01-preview', '2023-03-01-preview', '2023-05-01-preview', '2023-09-01-preview', '2024-05-01', '2024-06-01-preview'],
};

const P = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ApiManagement/service/{serviceName}';
const MAX_TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** APIM's entity-id rule (apiId, gatewayId, …): no characters that would break its URLs or its token format. */
const ENTITY_ID = /^[^*#&+:<>?]+$/;
const PROTOCOLS: readonly ApiProtocol[] = ['http', 'https', 'ws', 'wss'];

// ---- lookups ------------------------------------------------------------------------------------------------------

function serviceOf(ctx: ArmContext, request: ArmRequest): ApimService {
  const { subscriptionId = '', resourceGroupName = '', serviceName = '' } = request.params;
  const service = ctx.world.findService(serviceName);
  if (!service || !sameName(service.subscriptionId, subscriptionId) || !sameName(service.resourceGroup, resourceGroupName)) {
    throw resourceNotFound('Microsoft.ApiManagement/service', serviceName, resourceGroupName);
  }
  return service;
}

function findGateway(service: ApimService, name: string): SelfHostedGateway | undefined {
  for (const g of service.gateways.values()) if (sameName(g.name, name)) return g;
  return undefined;
}

function gatewayOf(service: ApimService, name: string): SelfHostedGateway {
  const gateway = findGateway(service, name);
  if (!gateway) throw entityNotFound('Gateway');
  return gateway;
}

/** `echo-api` names the current revision; `echo-api;rev=2` a given one. */
function parseApiId(apiId: string): { name: string; revision: string | undefined } {
  const m = /^(.*);rev=(\d+)$/i.exec(apiId);
  return m ? { name: m[1] ?? '', revision: m[2] } : { name: apiId, revision: undefined };
}

function revisionsOf(service: ApimService, name: string): ApimApi[] {
  return [...service.apis.values()].filter((a) => sameName(a.name, name));
}

function findApi(service: ApimService, apiId: string): ApimApi | undefined {
  const { name, revision } = parseApiId(apiId);
  return revisionsOf(service, name).find((a) => (revision === undefined ? a.isCurrent : a.apiRevision === revision));
}

function apiOf(service: ApimService, apiId: string): ApimApi {
  const api = findApi(service, apiId);
  if (!api) throw entityNotFound('Api');
  return api;
}

// ---- serialisation ------------------------------------------------------------------------------------------------

const REGION_NAMES: Record<string, string> = {
  westeurope: 'West Europe', northeurope: 'North Europe', uksouth: 'UK South', ukwest: 'UK West', eastus: 'East US',
  eastus2: 'East US 2', westus: 'West US', westus2: 'West US 2', westus3: 'West US 3', centralus: 'Central US',
  swedencentral: 'Sweden Central', germanywestcentral: 'Germany West Central', francecentral: 'France Central',
  australiaeast: 'Australia East', southeastasia: 'Southeast Asia', japaneast: 'Japan East',
};

/** APIM, unlike most providers, reports its location by display name. */
function displayLocation(location: string): string {
  return REGION_NAMES[location.toLowerCase().replace(/\s+/g, '')] ?? location;
}

/** A stable public address per service, in a range Azure uses for APIM (the value only needs to be a real IPv4). */
function publicIp(name: string): string {
  let h = 2166136261;
  for (const c of name.toLowerCase()) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `20.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${(h & 255) || 1}`;
}

/** ARM writes .NET's seven fractional digits: `2021-09-24T08:20:36.8225295Z`. */
function dotNetTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function serviceJson(service: ApimService): Record<string, unknown> {
  const host = `${service.name}.azure-api.net`;
  // `East US` → `eastus`: the regional gateway's host names the region as ARM's location name does.
  const region = service.location.toLowerCase().replace(/\s+/g, '');
  const body: Record<string, unknown> = {
    id: serviceResourceId(service),
    name: service.name,
    type: 'Microsoft.ApiManagement/service',
    tags: {},
    location: displayLocation(service.location),
    sku: { ...service.sku },
    identity: service.identity.type === 'None' ? undefined : { ...service.identity },
    properties: {
      publisherEmail: service.publisherEmail,
      publisherName: service.publisherName,
      notificationSenderEmail: 'apimgmt-noreply@mail.windowsazure.com',
      provisioningState: 'Succeeded',
      targetProvisioningState: '',
      createdAtUtc: dotNetTime(service.createdAt),
      gatewayUrl: `https://${host}`,
      gatewayRegionalUrl: `https://${service.name}-${region}-01.regional.azure-api.net`,
      portalUrl: `https://${service.name}.portal.azure-api.net`,
      developerPortalUrl: `https://${service.name}.developer.azure-api.net`,
      managementApiUrl: `https://${service.name}.management.azure-api.net`,
      scmUrl: `https://${service.name}.scm.azure-api.net`,
      hostnameConfigurations: [{ type: 'Proxy', hostName: host, negotiateClientCertificate: false, defaultSslBinding: true, certificateSource: 'BuiltIn' }],
      publicIPAddresses: [publicIp(service.name)],
      privateIPAddresses: null,
      virtualNetworkType: 'None',
      disableGateway: false,
      natGatewayState: 'Disabled',
      apiVersionConstraint: {},
      publicNetworkAccess: 'Enabled',
      platformVersion: 'stv2',
    },
  };
  body['etag'] = etagOf(body);
  return body;
}

function gatewayJson(service: ApimService, gateway: SelfHostedGateway): Record<string, unknown> {
  return {
    id: gatewayResourceId(service, gateway.name),
    type: 'Microsoft.ApiManagement/service/gateways',
    name: gateway.name,
    properties: {
      locationData: { ...gateway.locationData },
      ...(gateway.description !== undefined ? { description: gateway.description } : {}),
    },
  };
}

function apiJson(service: ApimService, api: ApimApi, id = apiResourceId(service, api)): Record<string, unknown> {
  return {
    id,
    type: 'Microsoft.ApiManagement/service/apis',
    name: apiEntityName(api),
    properties: {
      displayName: api.displayName,
      apiRevision: api.apiRevision,
      ...(api.description !== undefined ? { description: api.description } : {}),
      subscriptionRequired: api.subscriptionRequired,
      ...(api.serviceUrl !== null ? { serviceUrl: api.serviceUrl } : {}),
      path: api.path,
      protocols: [...api.protocols],
      authenticationSettings: { oAuth2AuthenticationSettings: [], openidAuthenticationSettings: [] },
      subscriptionKeyParameterNames: { ...api.subscriptionKeyParameterNames },
      isCurrent: api.isCurrent,
      // Every revision the emulator holds is online (an offline revision is a portal feature it does not model).
      isOnline: true,
      ...(api.apiVersion !== undefined ? { apiVersion: api.apiVersion } : {}),
      ...(api.apiVersionSetId !== undefined ? { apiVersionSetId: versionSetResourceId(service, api.apiVersionSetId.split('/').pop() ?? '') } : {}),
      type: 'http',
    },
  };
}

function templateParameters(urlTemplate: string): { path: string[]; query: string[] } {
  const [pathPart = '', queryPart = ''] = urlTemplate.split('?', 2);
  const names = (text: string) => [...text.matchAll(/\{\*?([^}]+)\}/g)].map((m) => m[1] ?? '');
  return { path: names(pathPart), query: names(queryPart) };
}

function operationJson(service: ApimService, api: ApimApi, operation: ApiOperation): Record<string, unknown> {
  const params = templateParameters(operation.urlTemplate);
  const parameter = (name: string) => ({ name, type: 'string', required: true, values: [] });
  return {
    id: operationResourceId(service, api, operation.name),
    type: 'Microsoft.ApiManagement/service/apis/operations',
    name: operation.name,
    properties: {
      displayName: operation.displayName,
      method: operation.method,
      urlTemplate: operation.urlTemplate,
      templateParameters: params.path.map(parameter),
      ...(operation.description !== undefined ? { description: operation.description } : {}),
      request: { queryParameters: params.query.map(parameter), headers: [], representations: [] },
      responses: [],
    },
  };
}

function subscriptionJson(service: ApimService, s: ApimSubscription): Record<string, unknown> {
  return {
    id: subscriptionResourceId(service, s.name),
    type: 'Microsoft.ApiManagement/service/subscriptions',
    name: s.name,
    properties: {
      ...(s.ownerId !== undefined ? { ownerId: `${serviceResourceId(service)}${s.ownerId}` } : {}),
      scope: subscriptionScopeId(service, s.scope),
      displayName: s.displayName,
      state: s.state,
      createdDate: s.createdDate,
      allowTracing: s.allowTracing,
    },
  };
}

function hostnameJson(service: ApimService, gateway: SelfHostedGateway, h: GatewayHostnameConfiguration): Record<string, unknown> {
  return {
    id: hostnameConfigurationResourceId(service, gateway.name, h.name),
    type: 'Microsoft.ApiManagement/service/gateways/hostnameConfigurations',
    name: h.name,
    properties: {
      hostname: h.hostname,
      ...(h.certificateId !== undefined ? { certificateId: h.certificateId } : {}),
      negotiateClientCertificate: h.negotiateClientCertificate,
      tls10Enabled: h.tls10Enabled,
      tls11Enabled: h.tls11Enabled,
      http2Enabled: h.http2Enabled,
    },
  };
}

function withEtag(status: number, body: Record<string, unknown>): ArmResponse {
  return { status, body, headers: { ETag: etagOf(body) } };
}

function list(ctx: ArmContext, request: ArmRequest, items: unknown[]): ArmResponse {
  const filtered = filterItems(request, items);
  // APIM's collections carry `count`, the number of items across all pages (after $filter).
  return { status: 200, body: { ...pageOf(request, filtered, ctx.pageSize()), count: filtered.length } };
}

// ---- validation ---------------------------------------------------------------------------------------------------

function validateGatewayId(name: string): void {
  if (name.length > 80) throw validationError('gatewayId', `'gatewayId' must be at most 80 characters long; it has ${name.length}.`);
  if (!ENTITY_ID.test(name)) throw validationError('gatewayId', `'gatewayId' may not contain any of the characters * # & + : < > ?; '${name}' does.`);
  if (name.toLowerCase() === 'managed') throw validationError('gatewayId', "'managed' is reserved for the service's managed gateway.");
}

function locationDataOf(value: unknown, base: SelfHostedGateway['locationData'] | undefined): SelfHostedGateway['locationData'] {
  if (value === undefined || value === null) {
    if (base) return base;
    throw validationError('locationData', "'locationData' is required.");
  }
  if (!isRecord(value)) throw validationError('locationData', "'locationData' must be an object.");
  const merged: Record<string, unknown> = { ...base, ...value };
  const result: SelfHostedGateway['locationData'] = { name: '' };
  for (const key of ['name', 'city', 'district', 'countryOrRegion'] as const) {
    const v = merged[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw validationError(`locationData.${key}`, `'locationData.${key}' must be a string.`);
    if (v.length > 256) throw validationError(`locationData.${key}`, `'locationData.${key}' must be at most 256 characters long.`);
    result[key] = v;
  }
  if (!result.name) throw validationError('locationData.name', "'locationData.name' is required.");
  return result;
}

function description(properties: Record<string, unknown>): string | undefined {
  const value = optionalString(properties, 'description');
  if (value !== undefined && value.length > 1000) throw validationError('description', "'description' must be at most 1000 characters long.");
  return value;
}

function protocolsOf(value: unknown): ApiProtocol[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw validationError('protocols', "'protocols' must list at least one of http, https, ws, wss.");
  const result: ApiProtocol[] = [];
  for (const p of value) {
    const lower = typeof p === 'string' ? p.toLowerCase() : '';
    if (!PROTOCOLS.includes(lower as ApiProtocol)) throw validationError('protocols', `'${String(p)}' is not a protocol APIM supports (http, https, ws, wss).`);
    if (!result.includes(lower as ApiProtocol)) result.push(lower as ApiProtocol);
  }
  return result;
}

function serviceUrlOf(properties: Record<string, unknown>): string | null | undefined {
  if (!('serviceUrl' in properties)) return undefined;
  const value = properties['serviceUrl'];
  if (value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > 2000 || !/^https?:\/\/[^\s/]+/i.test(value)) {
    throw validationError('serviceUrl', "'serviceUrl' must be an absolute http or https URL of at most 2000 characters.");
  }
  return value;
}

function versionSetOf(service: ApimService, properties: Record<string, unknown>): string | undefined {
  const id = optionalString(properties, 'apiVersionSetId');
  if (id === undefined) return undefined;
  const name = id.split('/').pop() ?? '';
  if (!service.versionSets.has(name)) throw validationError('apiVersionSetId', `Version set '${id}' does not exist.`);
  return name;
}

function keyTypeOf(body: unknown): GatewayKeyType {
  const keyType = isRecord(body) ? body['keyType'] : undefined;
  if (keyType !== 'primary' && keyType !== 'secondary') throw validationError('keyType', "'keyType' must be 'primary' or 'secondary'.");
  return keyType;
}

// ---- routes -------------------------------------------------------------------------------------------------------

export function apimRoutes(ctx: ArmContext): Route[] {
  const world = ctx.world;
  const v = APIM_API_VERSIONS;
  const route = (methods: string[], path: string, handler: Route['handler']): Route => ({ methods, pattern: path, apiVersions: v, handler });

  const servicesIn = (subscriptionId: string, resourceGroup?: string) =>
    [...world.services.values()].filter((s) => sameName(s.subscriptionId, subscriptionId) && (resourceGroup === undefined || sameName(s.resourceGroup, resourceGroup)));

  return [
    // Services
    route(['GET'], '/subscriptions/{subscriptionId}/providers/Microsoft.ApiManagement/service', (r) => {
      const sub = requireSubscription(world, r.params['subscriptionId'] ?? '');
      return { status: 200, body: pageOf(r, servicesIn(sub.subscriptionId).map(serviceJson), ctx.pageSize()) };
    }),
    route(['GET'], '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ApiManagement/service', (r) => {
      requireResourceGroup(world, r.params['subscriptionId'] ?? '', r.params['resourceGroupName'] ?? '');
      return { status: 200, body: pageOf(r, servicesIn(r.params['subscriptionId'] ?? '', r.params['resourceGroupName']).map(serviceJson), ctx.pageSize()) };
    }),
    route(['GET'], P, (r) => {
      const body = serviceJson(serviceOf(ctx, r));
      return { status: 200, body, headers: { ETag: String(body['etag']) } };
    }),

    // Gateways
    route(['GET'], `${P}/gateways`, (r) => {
      const service = serviceOf(ctx, r);
      return list(ctx, r, [...service.gateways.values()].map((g) => gatewayJson(service, g)));
    }),
    route(['GET', 'HEAD'], `${P}/gateways/{gatewayId}`, (r) => {
      const service = serviceOf(ctx, r);
      return withEtag(200, gatewayJson(service, gatewayOf(service, r.params['gatewayId'] ?? '')));
    }),
    route(['PUT'], `${P}/gateways/{gatewayId}`, (r) => {
      const service = serviceOf(ctx, r);
      const name = r.params['gatewayId'] ?? '';
      validateGatewayId(name);
      const existing = findGateway(service, name);
      checkIfMatch(r, existing ? etagOf(gatewayJson(service, existing)) : undefined, false);
      const properties = propertiesOf(jsonBody(r));
      const locationData = locationDataOf(properties['locationData'], undefined);
      const desc = description(properties);
      const gateway = world.putGateway(service.name, { name: existing?.name ?? name, locationData, ...(desc !== undefined ? { description: desc } : {}) });
      return withEtag(existing ? 200 : 201, gatewayJson(service, gateway));
    }),
    route(['PATCH'], `${P}/gateways/{gatewayId}`, (r) => {
      const service = serviceOf(ctx, r);
      const existing = gatewayOf(service, r.params['gatewayId'] ?? '');
      checkIfMatch(r, etagOf(gatewayJson(service, existing)), true);
      const properties = propertiesOf(jsonBody(r));
      const locationData = locationDataOf(properties['locationData'], existing.locationData);
      const desc = 'description' in properties ? description(properties) : existing.description;
      const gateway = world.putGateway(service.name, { name: existing.name, locationData, ...(desc !== undefined ? { description: desc } : {}) });
      return withEtag(200, gatewayJson(service, gateway));
    }),
    route(['DELETE'], `${P}/gateways/{gatewayId}`, (r) => {
      const service = serviceOf(ctx, r);
      const existing = findGateway(service, r.params['gatewayId'] ?? '');
      checkIfMatch(r, existing ? etagOf(gatewayJson(service, existing)) : undefined, true);
      if (!existing) return { status: 204 };
      world.deleteGateway(service.name, existing.name);
      return { status: 200 };
    }),
    route(['POST'], `${P}/gateways/{gatewayId}/listKeys`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      return { status: 200, body: { primary: gateway.keys.primary, secondary: gateway.keys.secondary }, headers: { ETag: etagOf(gatewayJson(service, gateway)) } };
    }),
    route(['POST'], `${P}/gateways/{gatewayId}/regenerateKey`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      world.regenerateGatewayKey(service.name, gateway.name, keyTypeOf(jsonBody(r)));
      return { status: 204 };
    }),
    route(['POST'], `${P}/gateways/{gatewayId}/generateToken`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      const body = jsonBody(r);
      const keyType = keyTypeOf(body);
      const expiryText = isRecord(body) ? body['expiry'] : undefined;
      const expiry = typeof expiryText === 'string' ? new Date(expiryText) : undefined;
      if (!expiry || Number.isNaN(expiry.getTime())) throw validationError('expiry', "'expiry' is required and must be an ISO 8601 date and time.");
      const now = world.now().getTime();
      if (expiry.getTime() <= now) throw validationError('expiry', "'expiry' must be in the future.");
      if (expiry.getTime() > now + MAX_TOKEN_LIFETIME_MS) throw validationError('expiry', "'expiry' must be at most 30 days from now.");
      return { status: 200, body: { value: generateGatewayToken(gateway, keyType, expiry) } };
    }),

    // APIs assigned to a gateway
    route(['GET'], `${P}/gateways/{gatewayId}/apis`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      const apis = [...service.apis.values()].filter((a) => a.isCurrent && gateway.apis.has(a.name));
      return list(ctx, r, apis.map((a) => apiJson(service, a, gatewayApiResourceId(service, gateway.name, a.name))));
    }),
    route(['HEAD'], `${P}/gateways/{gatewayId}/apis/{apiId}`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      const api = apiOf(service, r.params['apiId'] ?? '');
      if (!gateway.apis.has(api.name)) throw entityNotFound('Api');
      return withEtag(200, apiJson(service, api, gatewayApiResourceId(service, gateway.name, api.name)));
    }),
    route(['PUT'], `${P}/gateways/{gatewayId}/apis/{apiId}`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      // The body ({properties:{provisioningState:'created'}}) is optional and the SDK may send none at all.
      jsonBody(r);
      const api = apiOf(service, r.params['apiId'] ?? '');
      const existed = gateway.apis.has(api.name);
      world.assignApi(service.name, gateway.name, api.name);
      return { status: existed ? 200 : 201, body: apiJson(service, api, gatewayApiResourceId(service, gateway.name, api.name)) };
    }),
    route(['DELETE'], `${P}/gateways/{gatewayId}/apis/{apiId}`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      const api = findApi(service, r.params['apiId'] ?? '');
      const removed = api !== undefined && world.unassignApi(service.name, gateway.name, api.name);
      return { status: removed ? 200 : 204 };
    }),

    // Hostname configurations of a gateway
    route(['GET'], `${P}/gateways/{gatewayId}/hostnameConfigurations`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      return list(ctx, r, [...gateway.hostnameConfigurations.values()].map((h) => hostnameJson(service, gateway, h)));
    }),
    route(['GET', 'HEAD'], `${P}/gateways/{gatewayId}/hostnameConfigurations/{hcId}`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      const h = gateway.hostnameConfigurations.get(r.params['hcId'] ?? '');
      if (!h) throw entityNotFound('Hostname configuration');
      return withEtag(200, hostnameJson(service, gateway, h));
    }),
    route(['PUT'], `${P}/gateways/{gatewayId}/hostnameConfigurations/{hcId}`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      const name = r.params['hcId'] ?? '';
      if (!ENTITY_ID.test(name) || name.length > 80) throw validationError('hcId', `'hcId' must be 1-80 characters without * # & + : < > ?.`);
      const existing = gateway.hostnameConfigurations.get(name);
      checkIfMatch(r, existing ? etagOf(hostnameJson(service, gateway, existing)) : undefined, false);
      const p = propertiesOf(jsonBody(r));
      const hostname = optionalString(p, 'hostname');
      if (!hostname) throw validationError('hostname', "'hostname' is required.");
      const certificateId = optionalString(p, 'certificateId');
      const configuration: GatewayHostnameConfiguration = {
        name,
        hostname,
        ...(certificateId !== undefined ? { certificateId } : {}),
        negotiateClientCertificate: optionalBoolean(p, 'negotiateClientCertificate') ?? false,
        tls10Enabled: optionalBoolean(p, 'tls10Enabled') ?? false,
        tls11Enabled: optionalBoolean(p, 'tls11Enabled') ?? false,
        http2Enabled: optionalBoolean(p, 'http2Enabled') ?? true,
      };
      world.putHostnameConfiguration(service.name, gateway.name, configuration);
      return withEtag(existing ? 200 : 201, hostnameJson(service, gateway, configuration));
    }),
    route(['DELETE'], `${P}/gateways/{gatewayId}/hostnameConfigurations/{hcId}`, (r) => {
      const service = serviceOf(ctx, r);
      const gateway = gatewayOf(service, r.params['gatewayId'] ?? '');
      const existing = gateway.hostnameConfigurations.get(r.params['hcId'] ?? '');
      checkIfMatch(r, existing ? etagOf(hostnameJson(service, gateway, existing)) : undefined, true);
      if (!existing) return { status: 204 };
      world.deleteHostnameConfiguration(service.name, gateway.name, existing.name);
      return { status: 200 };
    }),

    // APIs, revisions, operations
    route(['GET'], `${P}/apis`, (r) => {
      const service = serviceOf(ctx, r);
      // Only current revisions: the others are listed under /apis/{apiId}/revisions, as in APIM.
      return list(ctx, r, [...service.apis.values()].filter((a) => a.isCurrent).map((a) => apiJson(service, a)));
    }),
    route(['GET', 'HEAD'], `${P}/apis/{apiId}`, (r) => {
      const service = serviceOf(ctx, r);
      return withEtag(200, apiJson(service, apiOf(service, r.params['apiId'] ?? '')));
    }),
    route(['PUT'], `${P}/apis/{apiId}`, (r) => putApi(ctx, r)),
    route(['PATCH'], `${P}/apis/{apiId}`, (r) => {
      const service = serviceOf(ctx, r);
      const api = apiOf(service, r.params['apiId'] ?? '');
      checkIfMatch(r, etagOf(apiJson(service, api)), true);
      const p = propertiesOf(jsonBody(r));
      const patch: Parameters<typeof world.updateApi>[2] = {};
      const displayName = optionalString(p, 'displayName');
      if (displayName !== undefined) patch.displayName = displayName;
      const path = optionalString(p, 'path');
      if (path !== undefined) patch.path = checkPath(service, api.name, path, api.apiVersionSetId);
      const protocols = protocolsOf(p['protocols']);
      if (protocols) patch.protocols = protocols;
      const serviceUrl = serviceUrlOf(p);
      if (serviceUrl !== undefined) patch.serviceUrl = serviceUrl;
      const subscriptionRequired = optionalBoolean(p, 'subscriptionRequired');
      if (subscriptionRequired !== undefined) patch.subscriptionRequired = subscriptionRequired;
      const desc = optionalString(p, 'description');
      if (desc !== undefined) patch.description = desc;
      const apiVersion = optionalString(p, 'apiVersion');
      if (apiVersion !== undefined) patch.apiVersion = apiVersion;
      const versionSet = versionSetOf(service, p);
      if (versionSet !== undefined) patch.apiVersionSetId = versionSet;
      const names = p['subscriptionKeyParameterNames'];
      if (isRecord(names)) patch.subscriptionKeyParameterNames = { ...api.subscriptionKeyParameterNames, ...(names as Partial<ApimApi['subscriptionKeyParameterNames']>) };
      const updated = world.updateApi(service.name, api.name, patch, api.apiRevision);
      if (optionalBoolean(p, 'isCurrent') === true && !updated.isCurrent) world.makeRevisionCurrent(service.name, api.name, api.apiRevision);
      return withEtag(200, apiJson(service, updated));
    }),
    route(['DELETE'], `${P}/apis/{apiId}`, (r) => {
      const service = serviceOf(ctx, r);
      const apiId = r.params['apiId'] ?? '';
      const api = findApi(service, apiId);
      checkIfMatch(r, api ? etagOf(apiJson(service, api)) : undefined, true);
      if (!api) return { status: 204 };
      const { revision } = parseApiId(apiId);
      if (revision !== undefined && api.isCurrent) throw validationError('apiId', 'The current revision of an API cannot be deleted on its own; delete the API or make another revision current first.');
      world.deleteApi(service.name, api.name, revision);
      return { status: 200 };
    }),
    route(['GET'], `${P}/apis/{apiId}/revisions`, (r) => {
      const service = serviceOf(ctx, r);
      const api = apiOf(service, r.params['apiId'] ?? '');
      const revisions = revisionsOf(service, api.name).sort((a, b) => Number(a.apiRevision) - Number(b.apiRevision));
      return list(ctx, r, revisions.map((rev) => ({
        apiId: `/apis/${apiEntityName(rev)}`,
        apiRevision: rev.apiRevision,
        privateUrl: `/${rev.path};rev=${rev.apiRevision}`,
        isOnline: true,
        isCurrent: rev.isCurrent,
      })));
    }),
    route(['GET'], `${P}/apis/{apiId}/operations`, (r) => {
      const service = serviceOf(ctx, r);
      const api = apiOf(service, r.params['apiId'] ?? '');
      return list(ctx, r, [...api.operations.values()].map((o) => operationJson(service, api, o)));
    }),
    route(['GET', 'HEAD'], `${P}/apis/{apiId}/operations/{operationId}`, (r) => {
      const service = serviceOf(ctx, r);
      const api = apiOf(service, r.params['apiId'] ?? '');
      const operation = [...api.operations.values()].find((o) => sameName(o.name, r.params['operationId'] ?? ''));
      if (!operation) throw entityNotFound('Operation');
      return withEtag(200, operationJson(service, api, operation));
    }),

    // Version sets
    route(['GET'], `${P}/apiVersionSets`, (r) => {
      const service = serviceOf(ctx, r);
      return list(ctx, r, [...service.versionSets.values()].map((s) => versionSetJson(service, s)));
    }),
    route(['GET', 'HEAD'], `${P}/apiVersionSets/{versionSetId}`, (r) => {
      const service = serviceOf(ctx, r);
      const set = service.versionSets.get(r.params['versionSetId'] ?? '');
      if (!set) throw entityNotFound('Version set');
      return withEtag(200, versionSetJson(service, set));
    }),

    // Subscriptions (APIM's, keyed by sid)
    route(['GET'], `${P}/subscriptions`, (r) => {
      const service = serviceOf(ctx, r);
      return list(ctx, r, [...service.subscriptions.values()].map((s) => subscriptionJson(service, s)));
    }),
    route(['GET', 'HEAD'], `${P}/subscriptions/{sid}`, (r) => {
      const service = serviceOf(ctx, r);
      return withEtag(200, subscriptionJson(service, apimSubscriptionOf(service, r.params['sid'] ?? '')));
    }),
    route(['POST'], `${P}/subscriptions/{sid}/listSecrets`, (r) => {
      const service = serviceOf(ctx, r);
      const s = apimSubscriptionOf(service, r.params['sid'] ?? '');
      return { status: 200, body: { primaryKey: s.primaryKey, secondaryKey: s.secondaryKey }, headers: { ETag: etagOf(subscriptionJson(service, s)) } };
    }),
  ];
}

function apimSubscriptionOf(service: ApimService, sid: string): ApimSubscription {
  for (const s of service.subscriptions.values()) if (sameName(s.name, sid)) return s;
  throw entityNotFound('Subscription');
}

function versionSetJson(service: ApimService, set: ApiVersionSet): Record<string, unknown> {
  return {
    id: versionSetResourceId(service, set.name),
    type: 'Microsoft.ApiManagement/service/apiVersionSets',
    name: set.name,
    properties: {
      displayName: set.displayName,
      versioningScheme: set.versioningScheme,
      ...(set.versionQueryName !== undefined ? { versionQueryName: set.versionQueryName } : {}),
      ...(set.versionHeaderName !== undefined ? { versionHeaderName: set.versionHeaderName } : {}),
    },
  };
}

/** Two APIs may share a path only inside one version set (or as revisions of one API). */
function checkPath(service: ApimService, apiName: string, path: string, versionSet: string | undefined): string {
  if (path.length > 400) throw validationError('path', "'path' must be at most 400 characters long.");
  const normalised = path.replace(/^\/+|\/+$/g, '');
  for (const other of service.apis.values()) {
    if (sameName(other.name, apiName)) continue;
    if (other.path.toLowerCase() !== normalised.toLowerCase()) continue;
    if (versionSet !== undefined && other.apiVersionSetId !== undefined && other.apiVersionSetId.split('/').pop() === versionSet) continue;
    throw validationError('path', `Path '${normalised}' is already used by API '${other.name}'; APIs may share a path only within one version set.`);
  }
  return normalised;
}

function putApi(ctx: ArmContext, r: ArmRequest): ArmResponse {
  const world = ctx.world;
  const service = serviceOf(ctx, r);
  const apiId = r.params['apiId'] ?? '';
  const parsed = parseApiId(apiId);
  if (parsed.name.length === 0 || parsed.name.length > 256 || !ENTITY_ID.test(parsed.name)) {
    throw validationError('apiId', "'apiId' must be 1-256 characters without * # & + : < > ?.");
  }
  const p = propertiesOf(jsonBody(r));
  if (p['format'] !== undefined || p['value'] !== undefined) {
    throw validationError('format', 'Importing an API definition (format/value) is not emulated by the sandbox; create the API and add its operations instead.');
  }
  const siblings = revisionsOf(service, parsed.name);
  const canonicalName = siblings[0]?.name ?? parsed.name;
  const bodyRevision = optionalString(p, 'apiRevision');
  const revision = parsed.revision ?? bodyRevision ?? siblings.find((a) => a.isCurrent)?.apiRevision ?? '1';
  const existing = siblings.find((a) => a.apiRevision === revision);
  checkIfMatch(r, existing ? etagOf(apiJson(service, existing)) : undefined, false);

  // A new revision starts as a copy of its source (`sourceApiId: /apis/echo-api`), as in the portal.
  const sourceId = optionalString(p, 'sourceApiId');
  const source = sourceId !== undefined ? findApi(service, sourceId.split('/').pop() ?? '') : undefined;
  if (sourceId !== undefined && !source) throw validationError('sourceApiId', `Source API '${sourceId}' does not exist.`);
  const base = existing ?? source;

  const displayName = optionalString(p, 'displayName') ?? base?.displayName;
  if (!displayName) throw validationError('displayName', "'displayName' is required.");
  const versionSet = versionSetOf(service, p) ?? base?.apiVersionSetId;
  const pathText = optionalString(p, 'path') ?? base?.path;
  if (pathText === undefined) throw validationError('path', "'path' is required.");
  const path = checkPath(service, canonicalName, pathText, versionSet);
  const serviceUrl = serviceUrlOf(p);
  const desc = optionalString(p, 'description') ?? base?.description;
  const apiVersion = optionalString(p, 'apiVersion') ?? base?.apiVersion;
  const names = p['subscriptionKeyParameterNames'];
  const api = world.putApi(service.name, {
    name: canonicalName,
    displayName,
    path,
    apiRevision: revision,
    protocols: protocolsOf(p['protocols']) ?? base?.protocols ?? ['https'],
    serviceUrl: serviceUrl !== undefined ? serviceUrl : base?.serviceUrl ?? null,
    subscriptionRequired: optionalBoolean(p, 'subscriptionRequired') ?? base?.subscriptionRequired ?? true,
    ...(isRecord(names) ? { subscriptionKeyParameterNames: { ...(base?.subscriptionKeyParameterNames ?? { header: 'Ocp-Apim-Subscription-Key', query: 'subscription-key' }), ...(names as object) } } : base ? { subscriptionKeyParameterNames: base.subscriptionKeyParameterNames } : {}),
    ...(desc !== undefined ? { description: desc } : {}),
    ...(apiVersion !== undefined ? { apiVersion } : {}),
    ...(versionSet !== undefined ? { apiVersionSetId: versionSet } : {}),
    ...(existing ? {} : { operations: source ? [...source.operations.values()] : [], isCurrent: siblings.length === 0 }),
  });
  if (optionalBoolean(p, 'isCurrent') === true && !api.isCurrent) world.makeRevisionCurrent(service.name, api.name, api.apiRevision);
  return withEtag(existing ? 200 : 201, apiJson(service, api));
}
