// Which APIM gateway a Deployment's token is for and when it expires, read from the cluster: the gateway container's
// `config.service.auth` (a literal value, or the Secret / ConfigMap it references). A token is
// `GatewayKey <gatewayId>&<yyyyMMddHHmm>&<signature>`: its first two parts are not secret, the signature is. Only
// those two parts leave this module; the token text is dropped as soon as it is read and never logged. This is what
// lets diagnosis tell "200 with an empty body" from an expired token (the gateway keeps running on one, silently)
// for gateways not deployed from here. No `vscode` import.
import { tokenExpiry, tokenGatewayId } from '../gatewayToken/parse.ts';
import type { KubeContextClient } from './client.ts';
import { gatewayContainerSpec } from './gateways.ts';
import type { KubeDeployment } from './types.ts';

export const AUTH_SETTING = 'config.service.auth';
export const AUTH_KEY_SETTING = 'config.service.auth.key';

export interface TokenFacts {
  /** The gateway's name in APIM, as the token names it. */
  readonly gatewayId: string;
  readonly expiresAt: Date;
  /** Where it was read, for evidence: `Secret apim/gw-token key gateway-key`. */
  readonly source: string;
}

/** Gateway id and expiry of a token text (the `GatewayKey ` prefix optional); undefined when it is not a token. */
export function tokenFacts(token: string, source: string): TokenFacts | undefined {
  const expiresAt = tokenExpiry(token);
  const gatewayId = tokenGatewayId(token);
  return expiresAt && gatewayId ? { gatewayId, expiresAt, source } : undefined;
}

/** Reads the token the Deployment's gateway container gets. Undefined when it cannot be found or read (no access). */
export async function readTokenFacts(client: KubeContextClient, deployment: KubeDeployment, signal?: AbortSignal): Promise<TokenFacts | undefined> {
  const container = gatewayContainerSpec(deployment);
  const namespace = deployment.metadata?.namespace ?? 'default';
  const ns = encodeURIComponent(namespace);
  const read = async (kind: 'secrets' | 'configmaps', name: string, key: string): Promise<TokenFacts | undefined> => {
    const object = await client.getJson<{ data?: Record<string, string> }>(`/api/v1/namespaces/${ns}/${kind}/${encodeURIComponent(name)}`, {}, signal);
    const raw = object.data?.[key];
    if (raw === undefined) return undefined;
    const text = kind === 'secrets' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    return tokenFacts(text, `${kind === 'secrets' ? 'Secret' : 'ConfigMap'} ${namespace}/${name} key ${key}`);
  };
  try {
    const env = (container?.env ?? []).find((e) => e.name === AUTH_SETTING);
    if (env?.value !== undefined) return tokenFacts(env.value, `env ${AUTH_SETTING} of Deployment ${deployment.metadata?.name ?? ''}`);
    if (env?.valueFrom?.secretKeyRef) return await read('secrets', env.valueFrom.secretKeyRef.name, env.valueFrom.secretKeyRef.key);
    if (env?.valueFrom?.configMapKeyRef) return await read('configmaps', env.valueFrom.configMapKeyRef.name, env.valueFrom.configMapKeyRef.key);
    // `config.service.auth: key` with the token in `config.service.auth.key` (the documented Kubernetes layout).
    const keyEnv = (container?.env ?? []).find((e) => e.name === AUTH_KEY_SETTING);
    if (keyEnv?.value !== undefined) return tokenFacts(keyEnv.value, `env ${AUTH_KEY_SETTING} of Deployment ${deployment.metadata?.name ?? ''}`);
    if (keyEnv?.valueFrom?.secretKeyRef) return await read('secrets', keyEnv.valueFrom.secretKeyRef.name, keyEnv.valueFrom.secretKeyRef.key);
    // envFrom: later sources win, as the kubelet applies them; an explicit env entry would have won over all of them.
    for (const setting of [AUTH_SETTING, AUTH_KEY_SETTING]) {
      for (const from of [...(container?.envFrom ?? [])].reverse()) {
        const prefix = from.prefix ?? '';
        if (!setting.startsWith(prefix)) continue;
        const key = setting.slice(prefix.length);
        const found = from.secretRef ? await read('secrets', from.secretRef.name, key) : from.configMapRef ? await read('configmaps', from.configMapRef.name, key) : undefined;
        if (found) return found;
      }
    }
    return undefined;
  } catch (error) {
    if (signal?.aborted) throw error;
    // Not allowed to read Secrets, or gone: the expiry is simply not known.
    return undefined;
  }
}
