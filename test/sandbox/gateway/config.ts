// The container's configuration, read from its environment the way the real gateway reads it. Kubernetes resolves
// ConfigMap/Secret references into env before the process starts, so the names here are the gateway's own setting
// names (dots included: legal in Kubernetes env); chart settings such as `gateway.endpoint` never reach the
// container under those names (see arc-chart.ts for how the chart maps them).

export type StdFormat = 'text' | 'json' | 'none';
export type StdLevel = 'all' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface ConfigEndpoint {
  /** As configured. */
  configured: string;
  /** `v2`: `<apim>.configuration.azure-api.net`; `v1`: the retired `<apim>.management.azure-api.net/subscriptions/…`. */
  kind: 'v1' | 'v2';
  host: string;
  /** The APIM service the host names; undefined for a host that names none (a custom domain, a typo). */
  serviceName: string | undefined;
  /** The URL the gateway logs at LoadingConfiguration. */
  loadUrl: string;
}

export interface StdLogSettings {
  format: StdFormat;
  level: StdLevel;
  color: boolean;
}

export interface GatewayEnvConfig {
  endpoint: ConfigEndpoint;
  /** The token without its `GatewayKey ` prefix. */
  token: string;
  gatewayName: string | undefined;
  std: StdLogSettings;
}

export type ConfigProblem =
  | { kind: 'missing-endpoint'; message: string }
  | { kind: 'invalid-endpoint'; message: string }
  | { kind: 'no-auth'; message: string }
  | { kind: 'unsupported-auth'; message: string };

export type ConfigResult = { ok: true; config: GatewayEnvConfig } | { ok: false; problem: ConfigProblem; std: StdLogSettings };

const FORMATS: readonly StdFormat[] = ['text', 'json', 'none'];
const LEVELS: readonly StdLevel[] = ['all', 'debug', 'info', 'warn', 'error', 'fatal'];

export function readStdLogSettings(env: Readonly<Record<string, string>>): StdLogSettings {
  const format = env['telemetry.logs.std']?.trim().toLowerCase() as StdFormat | undefined;
  const level = env['telemetry.logs.std.level']?.trim().toLowerCase() as StdLevel | undefined;
  return {
    format: format && FORMATS.includes(format) ? format : 'text',
    level: level && LEVELS.includes(level) ? level : 'info',
    // The seed's 2021 logs carry no colour codes, so an unset value reads as off.
    color: env['telemetry.logs.std.color']?.trim().toLowerCase() === 'true',
  };
}

export function parseEndpoint(value: string): ConfigEndpoint | undefined {
  const trimmed = value.trim();
  // The portal's Docker env.conf shows the endpoint without a scheme; the container accepts both.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  if (!host) return undefined;
  const v2 = /^([a-z0-9-]+)\.configuration\.azure-api\.net$/.exec(host);
  if (v2) return { configured: value, kind: 'v2', host, serviceName: v2[1], loadUrl: `https://${host}` };
  if (/\.management\.azure-api\.net$/.test(host)) {
    const service = /\/providers\/microsoft\.apimanagement\/service\/([^/?]+)/i.exec(url.pathname)?.[1];
    const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    // The 1.x gateway drops the configured api-version and asks the service for its configuration document.
    return { configured: value, kind: 'v1', host, serviceName: service, loadUrl: `${base}/gateways/getConfiguration?api-version=2018-06-01-preview` };
  }
  return { configured: value, kind: 'v2', host, serviceName: undefined, loadUrl: `${url.origin}` };
}

// The real message's tail after "The sup…" was cut off in the one public report (issue #269); this ending is ours.
const NO_AUTH =
  'No valid authentication was configured for the configuration API. The supported authentication types are gateway token (GatewayKey), azureAdApp and workloadIdentity.';

export function readGatewayConfig(env: Readonly<Record<string, string>>): ConfigResult {
  const std = readStdLogSettings(env);
  const endpointValue = env['config.service.endpoint'];
  if (endpointValue === undefined || endpointValue.trim() === '') {
    return { ok: false, std, problem: { kind: 'missing-endpoint', message: "Required setting 'config.service.endpoint' is not set." } };
  }
  const endpoint = parseEndpoint(endpointValue);
  if (!endpoint) {
    return { ok: false, std, problem: { kind: 'invalid-endpoint', message: `Invalid URI: the setting 'config.service.endpoint' ('${endpointValue}') could not be parsed.` } };
  }
  const auth = env['config.service.auth']?.trim() ?? '';
  let token: string | undefined;
  if (auth.startsWith('GatewayKey ')) {
    token = auth.slice('GatewayKey '.length).trim();
  } else if (auth.toLowerCase() === 'key') {
    const key = env['config.service.auth.key']?.trim() ?? '';
    token = key.startsWith('GatewayKey ') ? key.slice('GatewayKey '.length).trim() : key;
  } else if (/^(azureadapp|workloadidentity)$/i.test(auth)) {
    return {
      ok: false,
      std,
      problem: { kind: 'unsupported-auth', message: `[sandbox] config.service.auth=${auth} needs Microsoft Entra ID, which the sandbox does not emulate; use a gateway token.` },
    };
  }
  if (!token) return { ok: false, std, problem: { kind: 'no-auth', message: NO_AUTH } };
  return { ok: true, config: { endpoint, token, gatewayName: env['gateway.name']?.trim() || undefined, std } };
}
