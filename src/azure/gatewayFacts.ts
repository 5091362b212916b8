// What diagnosis needs to know about an APIM gateway, read from ARM: every API (one entry per revision) with its
// operations, which APIs are assigned to the gateway, the version sets, the gateway's hostnames, and — from what this extension remembers of deployments made
// here — when the token in use expires. Cached briefly per gateway, since a hover or a retry asks again within
// seconds; a fix that changes ARM invalidates. No `vscode` import.
import type { GatewayFacts } from '../diagnosis/types.ts';
import type { AzureData, CallOptions } from './armService.ts';
import type { AzureRecords, GatewayBinding } from './records.ts';

const DEFAULT_TTL_MS = 30_000;

export async function loadGatewayFacts(data: AzureData, records: AzureRecords, binding: GatewayBinding, options?: CallOptions): Promise<GatewayFacts> {
  // APIs and assignments are what most answers rest on: their failure fails the read. Version sets and hostnames
  // only sharpen some answers, so without them the diagnosis says less rather than nothing.
  const optional = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => (options?.signal?.aborted ? Promise.reject(options.signal.reason) : undefined));
  const [apis, assigned, versionSets, hostnames] = await Promise.all([
    data.listApisWithOperations(binding.serviceId, options),
    data.listGatewayApis(binding.gatewayId, options),
    optional(data.listApiVersionSets(binding.serviceId, options)),
    optional(data.listGatewayHostnames(binding.gatewayId, options)),
  ]);
  // The newest deployment made from here carries the token most likely in use; older ones were replaced.
  const newest = records
    .deploymentsOf(binding.gatewayId)
    .sort((a, b) => Date.parse(b.deployedAt) - Date.parse(a.deployedAt))[0];
  return {
    gatewayId: binding.gatewayName,
    readAt: new Date().toISOString(),
    apis,
    assignedApiIds: assigned.map((a) => a.name),
    ...(versionSets ? { versionSets } : {}),
    ...(hostnames ? { hostnames } : {}),
    ...(newest ? { tokenExpiresAt: newest.tokenExpiry } : {}),
  };
}

export class GatewayFactsCache {
  private readonly entries = new Map<string, { at: number; facts: Promise<GatewayFacts> }>();
  private readonly data: () => AzureData;
  private readonly records: AzureRecords;
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(data: () => AzureData, records: AzureRecords, options: { now?: () => number; ttlMs?: number } = {}) {
    this.data = data;
    this.records = records;
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  /**
   * Facts read within the last `ttlMs` (or `maxAgeMs`: 0 reads afresh, as a test request does — someone may have
   * changed the API in the portal since), else read now. A failed read is not kept.
   */
  get(binding: GatewayBinding, options?: CallOptions & { maxAgeMs?: number }): Promise<GatewayFacts> {
    const k = binding.gatewayId.toLowerCase();
    const hit = this.entries.get(k);
    if (hit && this.now() - hit.at < Math.min(this.ttlMs, options?.maxAgeMs ?? this.ttlMs)) return hit.facts;
    const facts = loadGatewayFacts(this.data(), this.records, binding, options);
    this.entries.set(k, { at: this.now(), facts });
    facts.catch(() => {
      if (this.entries.get(k)?.facts === facts) this.entries.delete(k);
    });
    return facts;
  }

  /** Facts already read and still fresh, without calling ARM (for hovers that must not wait). */
  peek(binding: GatewayBinding): Promise<GatewayFacts> | undefined {
    const hit = this.entries.get(binding.gatewayId.toLowerCase());
    return hit && this.now() - hit.at < this.ttlMs ? hit.facts : undefined;
  }

  /** Something changed in ARM (a fix was applied): read again next time. Without an id, forget everything. */
  invalidate(gatewayId?: string): void {
    if (gatewayId === undefined) this.entries.clear();
    else this.entries.delete(gatewayId.toLowerCase());
  }
}
