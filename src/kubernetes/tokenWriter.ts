// Where a plain-Kubernetes gateway Deployment reads its token, and how to put a new one there: the Secret (or
// ConfigMap) its gateway container's `config.service.auth` / `config.service.auth.key` comes from, patched with a
// JSON merge patch of that one key. The value keeps the form the Deployment already uses (`GatewayKey <token>` where
// `config.service.auth` itself holds the token; the bare token or the prefixed one under `config.service.auth.key`,
// as before). Pods read env only at start: a rollout restart must follow. The token never reaches a message here.
// No `vscode` import.
import type { GatewayToken } from '../azure/tokens.ts';
import type { KubeContextClient } from './client.ts';
import { KubeApiError } from './client.ts';
import { AUTH_KEY_SETTING, AUTH_SETTING } from './gatewayToken.ts';
import { gatewayContainerSpec } from './gateways.ts';
import type { KubeDeployment } from './types.ts';

export interface TokenLocation {
  readonly kind: 'secrets' | 'configmaps';
  readonly namespace: string;
  readonly name: string;
  readonly key: string;
  /** `config.service.auth` holds the token itself: it must carry `GatewayKey `. */
  readonly direct: boolean;
}

export function describeTokenLocation(l: TokenLocation): string {
  return `${l.kind === 'secrets' ? 'Secret' : 'ConfigMap'} ${l.namespace}/${l.name} key ${l.key}`;
}

/**
 * Where the gateway container's token comes from, or why it cannot be written (a literal in the Deployment, Entra ID
 * auth, nothing found). Reads the referenced objects only to learn whether a `config.service.auth` in an envFrom
 * source is the token or the auth mode (`key`).
 */
export async function locateToken(client: KubeContextClient, deployment: KubeDeployment, signal?: AbortSignal): Promise<TokenLocation | string> {
  const container = gatewayContainerSpec(deployment);
  const namespace = deployment.metadata?.namespace ?? 'default';
  const name = deployment.metadata?.name ?? '';
  if (!container) return `Deployment ${namespace}/${name} has no gateway container`;
  const env = (container.env ?? []).find((e) => e.name === AUTH_SETTING);
  if (env?.value !== undefined) {
    return `Deployment ${namespace}/${name} sets ${AUTH_SETTING} as a literal value in its pod template; move it into a Secret (the documented layout) to rotate it from here`;
  }
  if (env?.valueFrom?.secretKeyRef) return { kind: 'secrets', namespace, name: env.valueFrom.secretKeyRef.name, key: env.valueFrom.secretKeyRef.key, direct: true };
  if (env?.valueFrom?.configMapKeyRef) return { kind: 'configmaps', namespace, name: env.valueFrom.configMapKeyRef.name, key: env.valueFrom.configMapKeyRef.key, direct: true };
  const keyEnv = (container.env ?? []).find((e) => e.name === AUTH_KEY_SETTING);
  if (keyEnv?.valueFrom?.secretKeyRef) return { kind: 'secrets', namespace, name: keyEnv.valueFrom.secretKeyRef.name, key: keyEnv.valueFrom.secretKeyRef.key, direct: false };
  // envFrom: later sources win, as the kubelet applies them.
  for (const from of [...(container.envFrom ?? [])].reverse()) {
    const ref = from.secretRef ? { kind: 'secrets' as const, name: from.secretRef.name } : from.configMapRef ? { kind: 'configmaps' as const, name: from.configMapRef.name } : undefined;
    if (!ref) continue;
    const prefix = from.prefix ?? '';
    const object = await client.getJson<{ data?: Record<string, string> }>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/${ref.kind}/${encodeURIComponent(ref.name)}`, {}, signal);
    const data = object.data ?? {};
    const value = (k: string) => (data[k] === undefined ? undefined : ref.kind === 'secrets' ? Buffer.from(data[k], 'base64').toString('utf8') : data[k]);
    for (const [setting, direct] of [[AUTH_KEY_SETTING, false], [AUTH_SETTING, true]] as const) {
      if (!setting.startsWith(prefix)) continue;
      const key = setting.slice(prefix.length);
      const v = value(key);
      if (v === undefined) continue;
      // `config.service.auth: key` (or azureAdApp…) names the mode, not the token.
      if (direct && !/^GatewayKey\s/i.test(v)) continue;
      return { kind: ref.kind, namespace, name: ref.name, key, direct };
    }
  }
  return `no Secret or ConfigMap of Deployment ${namespace}/${name} holds ${AUTH_SETTING} or ${AUTH_KEY_SETTING} (Entra ID or workload identity auth has no token to rotate)`;
}

/** The merge patch that writes `value` under the location's key (base64 for a Secret's data). Exported for tests. */
export function tokenPatch(location: TokenLocation, value: string): string {
  const data = location.kind === 'secrets' ? Buffer.from(value, 'utf8').toString('base64') : value;
  return JSON.stringify({ data: { [location.key]: data } });
}

/** Writes the token where the Deployment reads it. */
export async function writeToken(client: KubeContextClient, location: TokenLocation, token: GatewayToken, signal: AbortSignal): Promise<void> {
  // Under config.service.auth.key the container accepts the prefix or not; write the documented prefixed form.
  const value = token.revealForGatewayConfig();
  const response = await client.send({
    method: 'PATCH',
    path: `/api/v1/namespaces/${encodeURIComponent(location.namespace)}/${location.kind}/${encodeURIComponent(location.name)}`,
    query: { fieldManager: 'arc-apim-gateway' },
    headers: { 'Content-Type': 'application/merge-patch+json', Accept: 'application/json' },
    body: tokenPatch(location, value),
    maxBody: 64 * 1024,
  }, signal);
  if (response.status < 200 || response.status >= 300) {
    let message = `${response.status} ${response.statusText}`;
    try {
      message = (JSON.parse(response.body.toString('utf8')) as { message?: string }).message ?? message;
    } catch {
      // Keep the status line.
    }
    // The Status message names the object, never the data.
    throw new KubeApiError(`writing the token to ${describeTokenLocation(location)}: ${message}`, response.status);
  }
}
