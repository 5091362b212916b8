// The `az` / `kubectl` command a provisioning step is equivalent to, for the extension's log and "Copy equivalent
// command". Secrets never appear: a token is always `<token>`. Pure; no `vscode` import.
import { parseApimServiceId, parseArcExtensionId } from '../azure/armIds.ts';
import type { GatewayKeyType } from '../azure/tokens.ts';

/** Quotes a value for a POSIX shell when it needs it. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'"'"'`)}'`;
}

const API_VERSION = '2024-05-01';

/** There is no `az apim` verb for gateway tokens: the REST call through `az rest`. */
export function tokenCommand(gatewayId: string, keyType: GatewayKeyType, expiry: Date): string {
  const body = JSON.stringify({ keyType, expiry: expiry.toISOString() });
  return `az rest --method post --url ${shellQuote(`${gatewayId}/generateToken?api-version=${API_VERSION}`)} --body ${shellQuote(body)}`;
}

export function regenerateKeyCommand(gatewayId: string, keyType: GatewayKeyType): string {
  return `az rest --method post --url ${shellQuote(`${gatewayId}/regenerateKey?api-version=${API_VERSION}`)} --body ${shellQuote(JSON.stringify({ keyType }))}`;
}

function extensionArgs(extensionId: string): string {
  const ref = parseArcExtensionId(extensionId);
  if (!ref.ok) return `--ids ${shellQuote(extensionId)}`;
  const c = ref.value.cluster;
  return `--cluster-type connectedClusters --cluster-name ${shellQuote(c.name)} --resource-group ${shellQuote(c.resourceGroup)} --name ${shellQuote(ref.value.name)}`;
}

/** `<token>` stands for the whole value the chart copies verbatim: `GatewayKey <token as ARM returned it>`. */
export function updateTokenCommand(extensionId: string, tokenSetting: string): string {
  return `az k8s-extension update ${extensionArgs(extensionId)} --config-protected-settings ${shellQuote(`${tokenSetting}=<token>`)}`;
}

/** `az k8s-extension update` for changed settings (a removed one as `key=` is not supported by az: listed as such). */
export function updateSettingsCommand(extensionId: string, changes: { settings?: Readonly<Record<string, string | null>>; releaseTrain?: string; version?: string | null }): string {
  const parts = [`az k8s-extension update ${extensionArgs(extensionId)}`];
  for (const [k, v] of Object.entries(changes.settings ?? {})) if (v !== null) parts.push(`--configuration-settings ${shellQuote(`${k}=${v}`)}`);
  if (changes.releaseTrain) parts.push(`--release-train ${shellQuote(changes.releaseTrain)}`);
  if (changes.version) parts.push(`--version ${shellQuote(changes.version)} --auto-upgrade-minor-version false`);
  return parts.join(' ');
}

export function restartCommand(namespace: string, deployment: string): string {
  return `kubectl rollout restart deployment/${shellQuote(deployment)} -n ${shellQuote(namespace)}`;
}

export function uninstallCommand(extensionId: string): string {
  return `az k8s-extension delete ${extensionArgs(extensionId)} --yes`;
}

/** Creating a self-hosted gateway (the PUT; the wizard checked first that the name is free) through `az rest`. */
export function createGatewayCommand(gatewayId: string, location: { name: string; city?: string | undefined; countryOrRegion?: string | undefined }, description: string | undefined): string {
  const locationData = { name: location.name, ...(location.city ? { city: location.city } : {}), ...(location.countryOrRegion ? { countryOrRegion: location.countryOrRegion } : {}) };
  const body = JSON.stringify({ properties: { locationData, ...(description ? { description } : {}) } });
  return `az rest --method put --url ${shellQuote(`${gatewayId}?api-version=${API_VERSION}`)} --body ${shellQuote(body)}`;
}

export function deleteGatewayCommand(gatewayId: string): string {
  return `az rest --method delete --url ${shellQuote(`${gatewayId}?api-version=${API_VERSION}`)} --headers If-Match='*'`;
}

/** `az k8s-extension create` for an install (docs: how-to-deploy-self-hosted-gateway-azure-arc); the token as `<token>`. */
export function createExtensionCommand(extensionId: string, body: { extensionType: string; releaseTrain: string; scope: { namespace: { targetNamespace: string } }; configurationSettings: Readonly<Record<string, string>> }, tokenSetting: string): string {
  const parts = [`az k8s-extension create ${extensionArgs(extensionId)} --extension-type ${shellQuote(body.extensionType)} --scope namespace --target-namespace ${shellQuote(body.scope.namespace.targetNamespace)} --release-train ${shellQuote(body.releaseTrain)}`];
  for (const [k, v] of Object.entries(body.configurationSettings)) parts.push(`--configuration-settings ${shellQuote(`${k}=${v}`)}`);
  parts.push(`--config-protected-settings ${shellQuote(`${tokenSetting}=<token>`)}`);
  return parts.join(' ');
}

/** Allow HTTP: the API's protocols become http and https. */
export function allowHttpCommand(serviceId: string, apiId: string): string {
  const ref = parseApimServiceId(serviceId);
  const group = ref.ok ? ref.value.resourceGroup : '<resource-group>';
  const service = ref.ok ? ref.value.name : '<service>';
  return `az apim api update --resource-group ${shellQuote(group)} --service-name ${shellQuote(service)} --api-id ${shellQuote(apiId)} --protocols http https`;
}

/** What Uninstall Gateway from Kubernetes deletes, as kubectl would (one `kubectl delete` per kind). */
export function kubectlDeleteCommand(namespace: string, objects: ReadonlyArray<{ kind: string; name: string }>): string {
  return objects.map((o) => `kubectl delete ${o.kind.toLowerCase()}/${shellQuote(o.name)} -n ${shellQuote(namespace)}`).join(' && ');
}

/** Assigning an API to a gateway (or removing it) has no az verb: the REST call through `az rest`. */
export function gatewayApiCommand(gatewayId: string, apiId: string, mode: 'assign' | 'remove'): string {
  return `az rest --method ${mode === 'assign' ? 'put' : 'delete'} --url ${shellQuote(`${gatewayId}/apis/${apiId}?api-version=${API_VERSION}`)}`;
}
