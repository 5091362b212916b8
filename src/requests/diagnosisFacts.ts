// The one place that gathers what diagnosis knows about a gateway beyond the request itself, for Send Test Request,
// "Why did this fail?" in the Gateway Logs view and the editor's hover alike: the gateway's configuration from ARM,
// the token the pods run with (its gateway id and expiry, read from the cluster; the signature is dropped at once),
// the ports of the Service the request went to, and — asked only when no record shows up — whether the gateway writes
// request records at all (its start-up log). No `vscode` import.
import type { GatewayBinding, DeploymentRef } from '../azure/records.ts';
import type { GatewayFacts, ServicePort } from '../diagnosis/types.ts';
import type { Logger } from '../extensionLog.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import { servicesForDeployment, type GatewayServiceInfo } from '../kubernetes/gateways.ts';
import { readTokenFacts, type TokenFacts } from '../kubernetes/gatewayToken.ts';
import { readDeploymentAndServices } from '../kubernetes/resources.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { readLocalDiagnostics } from './logLookup.ts';

/** ARM's side: the gateway's configuration, briefly cached (src/azure/gatewayFacts.ts). */
export interface ArmFactsSource {
  get(binding: GatewayBinding, options?: { signal?: AbortSignal; maxAgeMs?: number }): Promise<GatewayFacts>;
  peek(binding: GatewayBinding): Promise<GatewayFacts> | undefined;
}

export interface FactsQuery {
  readonly target: DeploymentRef;
  /** The APIM gateway the Deployment runs, when known; without it ARM is not asked. */
  readonly binding: GatewayBinding | undefined;
  /** The Service the request went to: by name (a test request), or by the URL's host (a record). */
  readonly service: { readonly name: string } | { readonly url: string | undefined };
  /** `fresh`: read ARM now (a test request: the API may have changed in the portal); `cached`: a recent read will do. */
  readonly arm: 'fresh' | 'cached';
  readonly signal?: AbortSignal;
}

export interface GatheredFacts {
  /** Everything known, merged; undefined when nothing is. */
  readonly facts?: GatewayFacts;
  /** ARM's configuration alone (the Test Request form follows it). */
  readonly arm?: GatewayFacts;
  /** Why ARM's configuration is missing although a binding was known. */
  readonly armError?: unknown;
  /** The token the pods run with (gateway id and expiry only). */
  readonly token?: TokenFacts;
}

export class DiagnosisFactsService {
  private readonly kubernetes: KubernetesClients;
  private readonly armFacts: () => ArmFactsSource;
  private readonly log: Logger;

  constructor(deps: { kubernetes: KubernetesClients; arm: () => ArmFactsSource; log: Logger }) {
    this.kubernetes = deps.kubernetes;
    this.armFacts = deps.arm;
    this.log = deps.log;
  }

  /** Reads ARM and the cluster side by side; a part that cannot be read leaves the answer with less, not nothing. */
  async gather(query: FactsQuery): Promise<GatheredFacts> {
    const { target, binding, signal } = query;
    const armRead = async (): Promise<{ arm?: GatewayFacts; armError?: unknown }> => {
      if (!binding) return {};
      try {
        const cache = this.armFacts();
        return { arm: await (query.arm === 'fresh' ? cache.get(binding, { ...(signal ? { signal } : {}), maxAgeMs: 0 }) : (cache.peek(binding) ?? cache.get(binding, signal ? { signal } : undefined))) };
      } catch (error) {
        if (signal?.aborted) throw error;
        return { armError: error };
      }
    };
    const clusterRead = async (): Promise<{ token?: TokenFacts; ports?: ServicePort[] }> => {
      try {
        const client = await this.kubernetes.forContext(target.context);
        const { deployment, services } = await readDeploymentAndServices(client, target.namespace, target.deployment, signal);
        const token = await readTokenFacts(client, deployment, signal);
        const ports = portsOf(servicesForDeployment(deployment, services), target, query.service);
        return { ...(token ? { token } : {}), ...(ports ? { ports } : {}) };
      } catch (error) {
        if (signal?.aborted) throw error;
        this.log.debug(`${target.deployment}: token and Service ports not read (${safeErrorMessage(error)})`);
        return {};
      }
    };
    const [{ arm, armError }, { token, ports }] = await Promise.all([armRead(), clusterRead()]);
    if (armError !== undefined) this.log.warn(`gateway configuration not read: ${safeErrorMessage(armError)}`);
    if (!arm && !token) return { ...(armError !== undefined ? { armError } : {}) };
    const tokenExpiresAt = token?.expiresAt.toISOString() ?? arm?.tokenExpiresAt;
    const facts: GatewayFacts = { ...(arm ?? { gatewayId: token?.gatewayId ?? target.deployment }), ...(ports ? { ports } : {}), ...(tokenExpiresAt ? { tokenExpiresAt } : {}) };
    return { facts, ...(arm ? { arm } : {}), ...(armError !== undefined ? { armError } : {}), ...(token ? { token } : {}) };
  }

  /** Whether the gateway writes request records, as its pods' start-up logs say (asked when no record showed up). */
  async localDiagnostics(target: DeploymentRef, labelSelector: string, signal: AbortSignal): Promise<boolean | undefined> {
    const client = await this.kubernetes.forContext(target.context);
    return readLocalDiagnostics(client, target.namespace, labelSelector, signal);
  }
}

/**
 * The ports of the gateway Service the request went to: the named one, or the one the URL's host names (`svc` or
 * `svc.ns…`), or the Deployment's only Service; undefined when it cannot be told.
 */
function portsOf(services: readonly GatewayServiceInfo[], target: DeploymentRef, which: FactsQuery['service']): ServicePort[] | undefined {
  let service: GatewayServiceInfo | undefined;
  if ('name' in which) {
    service = services.find((s) => s.name === which.name);
    if (!service) return [];
  } else {
    const host = hostOf(which.url);
    service = (host ? services.find((s) => host === s.name || host.startsWith(`${s.name}.${target.namespace}`)) : undefined) ?? (services.length === 1 ? services[0] : undefined);
    if (!service) return undefined;
  }
  return service.ports.filter((p) => p.protocol === 'TCP').flatMap((p) => (p.scheme ? [{ port: p.port, scheme: p.scheme, ...(p.name ? { name: p.name } : {}) }] : []));
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
