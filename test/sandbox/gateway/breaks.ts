// Break modes: a deployed gateway broken on demand, the ways real ones break, so the health check (and anything else
// that reads a gateway) can be tested against each. Each mode changes only what a person or the cluster would
// change — the token in the Secret, the endpoint in the ConfigMap, the Deployment's image, the service's
// diagnostics — then restarts the rollout as `kubectl rollout restart` does; the gateway program itself is not
// touched, so what it logs is what it always logs for that situation (see README.md for which lines are known from
// real gateways). Reachable in-process and at `POST /sandbox/v1/faults/breakGateway {mode, namespace, deployment}`.
import type { KubeApiServer } from '../k8s/server.ts';
import { badRequest } from '../k8s/status.ts';
import type { KubeObject } from '../k8s/types.ts';
import type { SelfHostedGateway } from '../world/model.ts';
import { generateGatewayToken, newGatewayKey, parseGatewayToken } from '../world/tokens.ts';
import type { World } from '../world/world.ts';

export const GATEWAY_BREAKS = ['expired-token', 'wrong-token', 'unresolvable-endpoint', 'image-pull', 'crash-loop', 'local-diagnostics-off', 'old-image'] as const;
export type GatewayBreak = (typeof GATEWAY_BREAKS)[number];

export interface BreakGatewayOptions {
  mode: GatewayBreak;
  namespace: string;
  /** The gateway's Deployment. */
  deployment: string;
}

export interface BreakGatewayResult {
  mode: GatewayBreak;
  /** What was changed, for the test's log: `Secret apim/x key gateway-key`. */
  changed: string[];
}

const AUTH = 'config.service.auth';
const ENDPOINT = 'config.service.endpoint';
/** A custom domain in front of APIM: what issue #164's users had, and what does not resolve in the cluster. */
export const UNRESOLVABLE_ENDPOINT = 'https://apim-config.contoso.example';
/** A private mirror the node has no access to (the image path is the gateway's, so it still reads as one). */
export const UNPULLABLE_IMAGE = 'contosoregistry.azurecr.io/azure-api-management/gateway:2.11.1';
/** A 2.x release older than 2.11.0 (CVE-2025-55248, CVE-2025-55315). */
export const OLD_IMAGE = 'mcr.microsoft.com/azure-api-management/gateway:2.4.0';

interface Container {
  name: string;
  image?: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ prefix?: string; secretRef?: { name: string }; configMapRef?: { name: string } }>;
}

type Source = { kind: 'env'; container: string } | { kind: 'secrets' | 'configmaps'; name: string; key: string };

function gatewayContainer(deployment: KubeObject): Container {
  const containers = ((deployment as { spec?: { template?: { spec?: { containers?: Container[] } } } }).spec?.template?.spec?.containers ?? []);
  const found = containers.find((c) => /azure-api-management\/gateway/.test(c.image ?? '')) ?? containers[0];
  if (!found) throw badRequest(`deployment ${deployment.metadata?.name ?? ''} has no container`);
  return found;
}

/** Where the container's setting comes from, as the kubelet resolves env: env entries win over envFrom, later envFrom over earlier. */
function sourceOf(kube: KubeApiServer, namespace: string, container: Container, setting: string): Source {
  const env = container.env?.find((e) => e.name === setting);
  if (env?.valueFrom?.secretKeyRef) return { kind: 'secrets', ...env.valueFrom.secretKeyRef };
  if (env?.valueFrom?.configMapKeyRef) return { kind: 'configmaps', ...env.valueFrom.configMapKeyRef };
  if (env) return { kind: 'env', container: container.name };
  for (const from of [...(container.envFrom ?? [])].reverse()) {
    const prefix = from.prefix ?? '';
    if (!setting.startsWith(prefix)) continue;
    const key = setting.slice(prefix.length);
    const ref = from.secretRef ? { kind: 'secrets' as const, name: from.secretRef.name } : from.configMapRef ? { kind: 'configmaps' as const, name: from.configMapRef.name } : undefined;
    if (!ref) continue;
    const object = kube.get(ref.kind, namespace, ref.name) as { data?: Record<string, string> } | undefined;
    if (object?.data?.[key] !== undefined) return { ...ref, key };
  }
  throw badRequest(`the gateway container gets no ${setting}`);
}

function readSetting(kube: KubeApiServer, namespace: string, deployment: KubeObject, setting: string): string {
  const container = gatewayContainer(deployment);
  const source = sourceOf(kube, namespace, container, setting);
  if (source.kind === 'env') return container.env?.find((e) => e.name === setting)?.value ?? '';
  const object = kube.get(source.kind, namespace, source.name) as { data?: Record<string, string> } | undefined;
  const raw = object?.data?.[source.key] ?? '';
  return source.kind === 'secrets' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

function writeSetting(kube: KubeApiServer, namespace: string, deployment: KubeObject, setting: string, value: string): string {
  const container = gatewayContainer(deployment);
  const source = sourceOf(kube, namespace, container, setting);
  if (source.kind === 'env') {
    const env = (container.env ?? []).map((e) => (e.name === setting ? { name: setting, value } : e));
    kube.patch('deployments', namespace, deployment.metadata?.name ?? '', 'strategic', { spec: { template: { spec: { containers: [{ name: container.name, env }] } } } });
    return `Deployment ${namespace}/${deployment.metadata?.name ?? ''} env ${setting}`;
  }
  const data = { [source.key]: source.kind === 'secrets' ? Buffer.from(value, 'utf8').toString('base64') : value };
  kube.patch(source.kind, namespace, source.name, 'merge', { data });
  return `${source.kind === 'secrets' ? 'Secret' : 'ConfigMap'} ${namespace}/${source.name} key ${source.key}`;
}

function setImage(kube: KubeApiServer, namespace: string, deployment: KubeObject, image: string): string {
  const container = gatewayContainer(deployment);
  kube.patch('deployments', namespace, deployment.metadata?.name ?? '', 'strategic', { spec: { template: { spec: { containers: [{ name: container.name, image }] } } } });
  return `Deployment ${namespace}/${deployment.metadata?.name ?? ''} image ${image}`;
}

/** `kubectl rollout restart`: new pods read the changed Secret / ConfigMap. */
function rolloutRestart(kube: KubeApiServer, namespace: string, name: string): string {
  kube.patch('deployments', namespace, name, 'strategic', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } });
  return `Deployment ${namespace}/${name} restarted`;
}

function gatewayOfToken(world: World, token: string): { service: string; gateway: SelfHostedGateway } {
  const parsed = parseGatewayToken(token.trim().replace(/^GatewayKey\s+/, ''));
  if (!parsed) throw badRequest('the gateway container\'s config.service.auth holds no gateway token');
  for (const service of world.services.values()) {
    const gateway = service.gateways.get(parsed.gatewayId);
    if (gateway) return { service: service.name, gateway };
  }
  throw badRequest(`no APIM gateway ${parsed.gatewayId} in the world`);
}

export function breakGateway(kube: KubeApiServer, world: World, options: BreakGatewayOptions): BreakGatewayResult {
  const mode = options?.mode;
  if (!GATEWAY_BREAKS.includes(mode)) throw badRequest(`unknown break mode "${String(mode)}"; known: ${GATEWAY_BREAKS.join(', ')}`);
  const { namespace, deployment: name } = options;
  const deployment = kube.get('deployments', namespace, name);
  if (!deployment) throw badRequest(`no deployment ${namespace}/${name}`);
  const changed: string[] = [];
  const day = 24 * 60 * 60 * 1000;
  switch (mode) {
    case 'expired-token': {
      const { gateway } = gatewayOfToken(world, readSetting(kube, namespace, deployment, AUTH));
      // A real token made with the gateway's key that expired a day ago: what a pod restarted after expiry runs with.
      const token = generateGatewayToken(gateway, 'primary', new Date(world.now().getTime() - day));
      changed.push(writeSetting(kube, namespace, deployment, AUTH, `GatewayKey ${token}`));
      break;
    }
    case 'wrong-token': {
      const { gateway } = gatewayOfToken(world, readSetting(kube, namespace, deployment, AUTH));
      // Signed with a key APIM does not have, as after "regenerate key": the configuration API answers 401.
      const token = generateGatewayToken({ name: gateway.name, keys: { primary: newGatewayKey(), secondary: newGatewayKey() } }, 'primary', new Date(world.now().getTime() + 20 * day));
      changed.push(writeSetting(kube, namespace, deployment, AUTH, `GatewayKey ${token}`));
      break;
    }
    case 'unresolvable-endpoint':
      changed.push(writeSetting(kube, namespace, deployment, ENDPOINT, UNRESOLVABLE_ENDPOINT));
      break;
    case 'crash-loop':
      // Incomplete auth settings: the gateway refuses to start (issue #269's message) and Kubernetes restarts it.
      changed.push(writeSetting(kube, namespace, deployment, AUTH, ''));
      break;
    case 'local-diagnostics-off': {
      const { service } = gatewayOfToken(world, readSetting(kube, namespace, deployment, AUTH));
      world.setLocalDiagnostics(service, false);
      changed.push(`APIM ${service}: local diagnostics off`);
      break;
    }
    case 'image-pull':
      changed.push(setImage(kube, namespace, deployment, UNPULLABLE_IMAGE));
      return { mode, changed };
    case 'old-image':
      changed.push(setImage(kube, namespace, deployment, OLD_IMAGE));
      return { mode, changed };
  }
  changed.push(rolloutRestart(kube, namespace, name));
  return { mode, changed };
}
