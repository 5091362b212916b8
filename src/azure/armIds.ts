// ARM resource ids: parsed once, built in one place. ARM compares ids case-insensitively (and the hybrid SDK writes
// `resourcegroups`), so parsing ignores case of the fixed segments and comparison uses `sameArmId`. No `vscode` import.
import { fail, ok, type Result } from '../util/errors.ts';

export interface ArmResourceId {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** `Microsoft.Kubernetes`, `Microsoft.ApiManagement`, … as written in the id. */
  readonly provider: string;
  /** Type/name pairs after the provider: [['connectedClusters','c'], ['extensions', 'e']] (nested providers flattened). */
  readonly segments: ReadonlyArray<readonly [type: string, name: string]>;
}

export interface ArcClusterRef {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export interface ArcExtensionRef {
  readonly id: string;
  readonly cluster: ArcClusterRef;
  readonly name: string;
}

export interface ApimServiceRef {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export interface ApimGatewayRef {
  readonly id: string;
  readonly service: ApimServiceRef;
  readonly name: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}…]`. */
export function parseArmId(raw: string): Result<ArmResourceId> {
  const text = raw.trim();
  const parts = text.split('/');
  // A leading slash gives an empty first part; a trailing one an empty last part.
  if (parts[0] !== '' || parts.length < 9 || parts.at(-1) === '') return fail(`Not an ARM resource id: ${JSON.stringify(raw)}`);
  const [, subs, subscriptionId, groups, resourceGroup, providers, provider, ...rest] = parts;
  if (subs?.toLowerCase() !== 'subscriptions' || !subscriptionId || !UUID.test(subscriptionId)) {
    return fail(`Not an ARM resource id (no /subscriptions/<uuid>): ${JSON.stringify(raw)}`);
  }
  if (groups?.toLowerCase() !== 'resourcegroups' || !resourceGroup || providers?.toLowerCase() !== 'providers' || !provider) {
    return fail(`Not an ARM resource id of a resource in a resource group: ${JSON.stringify(raw)}`);
  }
  const segments: Array<[string, string]> = [];
  for (let i = 0; i < rest.length; ) {
    const type = rest[i];
    if (type?.toLowerCase() === 'providers') {
      // Extension resources: …/connectedClusters/c/providers/Microsoft.KubernetesConfiguration/extensions/e
      i += 2;
      continue;
    }
    const name = rest[i + 1];
    if (!type || !name) return fail(`Not an ARM resource id (type without a name): ${JSON.stringify(raw)}`);
    segments.push([type, decodeURIComponent(name)]);
    i += 2;
  }
  if (segments.length === 0) return fail(`Not an ARM resource id (no resource type): ${JSON.stringify(raw)}`);
  return ok({ id: text, subscriptionId, resourceGroup: decodeURIComponent(resourceGroup), provider, segments });
}

function is(parsed: ArmResourceId, provider: string, ...types: string[]): boolean {
  return (
    parsed.provider.toLowerCase() === provider.toLowerCase() &&
    parsed.segments.length === types.length &&
    parsed.segments.every(([type], i) => type.toLowerCase() === types[i]?.toLowerCase())
  );
}

export function arcClusterId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

export function apimServiceId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ApiManagement/service/${name}`;
}

/** An Arc cluster's id, or the cluster an extension id belongs to. */
export function parseArcClusterId(raw: string): Result<ArcClusterRef> {
  const parsed = parseArmId(raw);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  const first = p.segments[0];
  if (!first || p.provider.toLowerCase() !== 'microsoft.kubernetes' || first[0].toLowerCase() !== 'connectedclusters') {
    return fail(`Not an Azure Arc-enabled Kubernetes cluster (Microsoft.Kubernetes/connectedClusters): ${raw}`);
  }
  return ok({ id: arcClusterId(p.subscriptionId, p.resourceGroup, first[1]), subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup, name: first[1] });
}

export function parseArcExtensionId(raw: string): Result<ArcExtensionRef> {
  const parsed = parseArmId(raw);
  if (!parsed.ok) return parsed;
  if (!is(parsed.value, 'Microsoft.Kubernetes', 'connectedClusters', 'extensions')) {
    return fail(`Not an Arc cluster extension (…/connectedClusters/<c>/providers/Microsoft.KubernetesConfiguration/extensions/<e>): ${raw}`);
  }
  const cluster = parseArcClusterId(raw);
  if (!cluster.ok) return cluster;
  const name = parsed.value.segments[1]?.[1] ?? '';
  return ok({ id: arcExtensionId(cluster.value, name), cluster: cluster.value, name });
}

export function arcExtensionId(cluster: Pick<ArcClusterRef, 'id'>, name: string): string {
  return `${cluster.id}/providers/Microsoft.KubernetesConfiguration/extensions/${name}`;
}

/** An APIM service id, or the service a gateway (or any child entity) id belongs to. */
export function parseApimServiceId(raw: string): Result<ApimServiceRef> {
  const parsed = parseArmId(raw);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  const first = p.segments[0];
  if (!first || p.provider.toLowerCase() !== 'microsoft.apimanagement' || first[0].toLowerCase() !== 'service') {
    return fail(`Not an API Management service (Microsoft.ApiManagement/service): ${raw}`);
  }
  return ok({ id: apimServiceId(p.subscriptionId, p.resourceGroup, first[1]), subscriptionId: p.subscriptionId, resourceGroup: p.resourceGroup, name: first[1] });
}

export function parseApimGatewayId(raw: string): Result<ApimGatewayRef> {
  const parsed = parseArmId(raw);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  const second = p.segments[1];
  if (!second || p.provider.toLowerCase() !== 'microsoft.apimanagement' || p.segments[0]?.[0].toLowerCase() !== 'service' || second[0].toLowerCase() !== 'gateways') {
    return fail(`Not an API Management self-hosted gateway (…/service/<s>/gateways/<g>): ${raw}`);
  }
  const service = parseApimServiceId(raw);
  if (!service.ok) return service;
  return ok({ id: apimGatewayId(service.value, second[1]), service: service.value, name: second[1] });
}

export function apimGatewayId(service: Pick<ApimServiceRef, 'id'>, name: string): string {
  return `${service.id}/gateways/${name}`;
}

/** ARM ids are case-insensitive (`resourcegroups` vs `resourceGroups`, names included). */
export function sameArmId(a: string, b: string): boolean {
  return a.replace(/\/+$/, '').toLowerCase() === b.replace(/\/+$/, '').toLowerCase();
}

/** The part of an id that starts at `/subscriptions/` (tree ids of other extensions may carry an account prefix). */
export function armIdWithin(text: string): string | undefined {
  const at = text.toLowerCase().indexOf('/subscriptions/');
  return at < 0 ? undefined : text.slice(at);
}

export function isSubscriptionId(value: string): boolean {
  return UUID.test(value);
}

/** A gateway, or an API or operation below it, as our tree names them: `…/gateways/<g>[/apis/<api>[/operations/<op>]]`. */
export interface ApimGatewayItemRef {
  readonly gateway: ApimGatewayRef;
  readonly api?: string;
  readonly operation?: string;
}

export function parseApimGatewayItemId(raw: string): Result<ApimGatewayItemRef> {
  const m = /^(.*\/gateways\/[^/]+?)(?:\/apis\/([^/]+)(?:\/operations\/([^/]+))?)?$/i.exec(raw.trim());
  if (!m?.[1]) return fail(`Not an API Management gateway, API or operation id: ${raw}`);
  const gateway = parseApimGatewayId(m[1]);
  if (!gateway.ok) return gateway;
  return ok({ gateway: gateway.value, ...(m[2] ? { api: m[2] } : {}), ...(m[3] ? { operation: m[3] } : {}) });
}

/** The API an id below a gateway names (`…/gateways/<g>/apis/<api>`), if it is one. */
export function gatewayApiName(raw: string): string | undefined {
  return /\/gateways\/[^/]+\/apis\/([^/]+)$/i.exec(raw)?.[1];
}

/** Whether an id ends in `/extensions/<name>` (an extension resource, of whatever kind: parse it to be sure). */
export function namesExtension(raw: string): boolean {
  return /\/extensions\/[^/]+$/i.test(raw);
}
