// How the gateway is set up: its image version, the configuration endpoint it uses, local diagnostics, the
// Service's ports against the assigned APIs' protocols, its replicas and its APIs.
import { capped, listText } from '../diagnosis/text.ts';
import { ev, excerpt, gatewayName, lineEvidence, outcome, plural } from './common.ts';
import type { HealthModel, LineModel, PortModel } from './input.ts';
import type { HealthCheck, HealthFinding, HealthFix } from './types.ts';

/** The release that fixed CVE-2025-55248 and CVE-2025-55315. */
export const MIN_SAFE_VERSION: readonly [number, number, number] = [2, 11, 0];
/** What to move to (the Helm chart 1.15.1's image). */
export const RECOMMENDED_VERSION = '2.11.1';
const FLOATING = /^(v2|2|latest|beta)$/i;

function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const colon = withoutDigest.lastIndexOf(':');
  const slash = withoutDigest.lastIndexOf('/');
  if (colon > slash) return withoutDigest.slice(colon + 1);
  return image.includes('@') ? undefined : 'latest';
}

function parseVersion(text: string): [number, number, number] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function older(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

function updateFix(model: HealthModel): HealthFix[] {
  return [{ id: 'update-gateway', label: `Update the gateway to ${RECOMMENDED_VERSION}`, version: RECOMMENDED_VERSION, via: model.settings?.source === 'arc-extension' ? 'arc-extension' : 'deployment' }];
}

export function checkImage(model: HealthModel): HealthCheck {
  const title = 'Gateway image supported and patched';
  const image = model.deployment?.images.find((i) => /azure-api-management\/gateway/.test(i)) ?? model.deployment?.images[0]
    ?? model.pods?.flatMap((p) => p.specImages).find((i) => /azure-api-management\/gateway/.test(i));
  // The banner's `version: 2.11.1.0` is what runs; a floating tag (`v2`) says nothing about it.
  // The parser gives the whole banner as one entry (src/gatewayLogs/banner.ts): the version is one of its lines.
  const banner = model.log?.all.flatMap((l) => (l.part !== 'previous' ? versionLine(l) : [])).at(0);
  const bannerVersion = banner ? parseVersion(banner.text.slice('version: '.length)) : undefined;
  const tag = image !== undefined ? imageTag(image) : undefined;
  const evidence = [...(image !== undefined ? [ev('Image', image)] : []), ...(banner ? [lineEvidence(model, banner)] : [])];
  let version = bannerVersion;
  if (!version && tag !== undefined && !FLOATING.test(tag)) version = /^v?[01]$/i.test(tag) ? [Number(tag.replace(/^v/i, '')), 0, 0] : parseVersion(tag);
  if (!version) {
    if (image === undefined && !banner) return outcome('image', title, [], { unknown: 'the image was not read' });
    return outcome('image', title, [], { unknown: tag !== undefined && FLOATING.test(tag) ? `the tag ${tag} floats and the start-up log's version line was not read` : `the version of ${image ?? 'the image'} could not be read` });
  }
  const text = version.join('.');
  if (version[0] < 2) {
    const finding: HealthFinding = {
      code: 'image-unsupported',
      severity: 'error',
      title: `Gateway ${text} is out of support`,
      explanation: `Gateway ${text} is a v${version[0]} image, long out of support: it speaks only the retired v1 configuration API and misses years of fixes, including CVE-2025-55248 and CVE-2025-55315.`,
      evidence,
      fixes: updateFix(model),
    };
    return outcome('image', title, [finding], { unknown: '' });
  }
  if (older(version, MIN_SAFE_VERSION)) {
    const finding: HealthFinding = {
      code: 'image-outdated',
      severity: 'warning',
      title: `Gateway ${text} has known vulnerabilities`,
      explanation: `Gateway ${text} is older than 2.11.0, which fixed CVE-2025-55248 and CVE-2025-55315; update to ${RECOMMENDED_VERSION} or later.`,
      evidence,
      fixes: updateFix(model),
    };
    return outcome('image', title, [finding], { unknown: '' });
  }
  return outcome('image', title, [], { summary: `gateway ${text}`, evidence });
}

const ENDPOINT_SETTINGS = ['config.service.endpoint', 'gateway.configuration.uri', 'gateway.endpoint'];

export function checkEndpoint(model: HealthModel): HealthCheck {
  const title = 'Configuration endpoint (v2)';
  const setting = ENDPOINT_SETTINGS.map((k) => [k, model.settings?.values.get(k)] as const).find(([, v]) => v !== undefined && v.trim() !== '');
  const deprecated = model.log?.all.find((l) => l.event === 'ConfigurationEndpointDeprecated');
  const loading = model.log?.all.find((l) => l.event === 'LoadingConfiguration' && l.part !== 'previous');
  const value = setting?.[1] ?? (loading?.message !== undefined ? loading.message : undefined);
  const v1 = deprecated !== undefined || (value !== undefined && /\.management\.azure-api\.net/i.test(value));
  const evidence = [
    ...(setting ? [ev(`Setting ${setting[0]}${model.settings?.origin !== undefined ? ` (${model.settings.origin})` : ''}`, excerpt(setting[1] ?? ''))] : []),
    ...(deprecated ? [lineEvidence(model, deprecated)] : !setting && loading ? [lineEvidence(model, loading)] : []),
  ];
  if (v1) {
    const service = /\/service\/([^/?\s]+)/i.exec(value ?? '')?.[1] ?? model.gateway?.serviceName;
    const finding: HealthFinding = {
      code: 'v1-config-endpoint',
      severity: 'error',
      title: 'Retired v1 configuration endpoint',
      explanation: `The gateway is configured with the v1 configuration endpoint (…management.azure-api.net/subscriptions/…), which lost support in October 2023; use https://${service ?? '<apim>'}.configuration.azure-api.net with a v2 image.`,
      evidence,
      fixes: [],
    };
    return outcome('endpoint', title, [finding], { unknown: '' });
  }
  if (value === undefined) return outcome('endpoint', title, [], { unknown: 'neither the settings nor the start-up log were read' });
  return outcome('endpoint', title, [], { summary: 'uses the v2 configuration endpoint', evidence });
}

export function checkLocalDiagnostics(model: HealthModel): HealthCheck {
  const title = 'Request records in the log (local diagnostics)';
  const lines = model.log?.all.filter((l) => l.part !== 'previous') ?? [];
  const added = lines.find((l) => l.event === 'LocalDiagnosticAddedToTenant');
  const records = lines.some((l) => l.kind === 'request');
  const loggerAdded = lines.find((l) => l.event === 'LocalLoggerAddedToTenant');
  const tenantStarted = lines.some((l) => l.event === 'TenantStarted' || l.event === 'ConfigInitialSyncCompleted');
  const arm = model.gateway?.localDiagnostics;
  const off = arm === false || (arm === undefined && !added && !records && loggerAdded !== undefined && tenantStarted);
  if (off) {
    const evidence = arm === false
      ? [ev('Local diagnostics (ARM)', 'off')]
      : [lineEvidence(model, loggerAdded ?? lines[0]!), ev('Start-up log', 'the tenant started without LocalDiagnosticAddedToTenant')];
    const finding: HealthFinding = {
      code: 'local-diagnostics-off',
      severity: 'warning',
      title: 'Request logging is off',
      explanation: `Local diagnostics are off for ${model.gateway?.serviceName ?? 'the APIM service'}, so the gateway writes no per-request records to its log: failed requests cannot be traced or diagnosed from it. Enable a "Local" diagnostic (All APIs or per API).`,
      evidence,
      fixes: [],
    };
    return outcome('local-diagnostics', title, [finding], { unknown: '' });
  }
  if (arm === true || added || records) {
    return outcome('local-diagnostics', title, [], { summary: 'local diagnostics are on', evidence: arm === true ? [ev('Local diagnostics (ARM)', 'on')] : added ? [lineEvidence(model, added)] : [ev('Gateway log', 'has request records')] });
  }
  return outcome('local-diagnostics', title, [], { unknown: 'ARM\'s diagnostics and the start-up log\'s tenant lines were not read' });
}

/** What a Service port speaks, from what points at the gateway's ports 8080 (http) / 8081 (https). */
export function portScheme(port: PortModel): 'http' | 'https' | undefined {
  const app = port.appProtocol?.toLowerCase();
  if (app === 'https' || app === 'http') return app;
  const target = port.targetPort;
  if (target === 8081 || target === 'https') return 'https';
  if (target === 8080 || target === 'http') return 'http';
  const name = port.name?.toLowerCase() ?? '';
  if (/https|tls/.test(name)) return 'https';
  if (/http/.test(name)) return 'http';
  if (target === undefined && port.port === 443) return 'https';
  if (target === undefined && port.port === 80) return 'http';
  return undefined;
}

export function checkServicePorts(model: HealthModel): HealthCheck {
  const title = 'Service ports match the APIs\' protocols';
  const ports = model.service?.ports;
  const apis = model.gateway?.apis;
  if (!ports) return outcome('service-ports', title, [], { unknown: 'the gateway Service was not read' });
  if (!apis) return outcome('service-ports', title, [], { unknown: 'the assigned APIs were not read' });
  const schemes = new Set(ports.flatMap((p) => portScheme(p) ?? []));
  const portsText = ports.map((p) => `${p.port ?? '?'}→${p.targetPort ?? '?'} (${portScheme(p) ?? 'scheme not known'})`).join(', ');
  if (ports.some((p) => portScheme(p) === undefined)) return outcome('service-ports', title, [], { unknown: `what some Service ports speak is not known: ${portsText}` });
  const unreachable = apis.filter((a) => a.protocols !== undefined && a.protocols.length > 0 && !a.protocols.some((p) => (p === 'http' || p === 'https') && schemes.has(p)));
  const evidence = [ev(`Service ${model.service?.name ?? ''} ports`.replace('  ', ' '), portsText), ev('Assigned APIs\' protocols', capped(apis.map((a) => `${a.displayName ?? a.name}: ${a.protocols?.join('+') ?? 'not known'}`)))];
  if (unreachable.length > 0) {
    const need = [...new Set(unreachable.flatMap((a) => a.protocols ?? []))];
    const finding: HealthFinding = {
      code: 'service-ports-mismatch',
      severity: unreachable.length === apis.length ? 'error' : 'warning',
      title: `No ${listText(need, 'or')} port for ${plural(unreachable.length, 'API')}`,
      explanation: `${listText(unreachable.map((a) => a.displayName ?? a.name))} accept${unreachable.length === 1 ? 's' : ''} only ${listText(need, 'or')}, but the gateway Service exposes only ${listText([...schemes])}: through it, every request to ${unreachable.length === 1 ? 'it' : 'them'} gets 404. Expose the gateway's ${need.includes('https') ? 'https port 8081' : 'http port 8080'} or allow ${listText([...schemes])} on the API.`,
      evidence,
      fixes: [],
    };
    return outcome('service-ports', title, [finding], { unknown: '' });
  }
  return outcome('service-ports', title, [], { summary: 'every assigned API can be reached through the Service', evidence });
}

export function checkReplicas(model: HealthModel): HealthCheck {
  const title = 'More than one replica';
  const setting = model.settings?.values.get('replicaCount');
  const replicas = model.deployment?.replicas ?? (setting !== undefined && /^\d+$/.test(setting) ? Number(setting) : undefined);
  if (replicas === undefined) return outcome('replicas', title, [], { unknown: 'the Deployment was not read' });
  if (replicas === 1) {
    const finding: HealthFinding = {
      code: 'single-replica',
      severity: 'info',
      title: 'A single replica',
      explanation: 'The gateway runs one replica: a restart, a node drain or an update leaves no gateway serving in the meantime. Production gateways run at least two (the Helm chart enables high availability by default).',
      evidence: [ev('Replicas', '1')],
      fixes: [],
    };
    return outcome('replicas', title, [finding], { unknown: '' });
  }
  return outcome('replicas', title, [], { summary: `${replicas} replicas`, evidence: [ev('Replicas', String(replicas))] });
}

export function checkApis(model: HealthModel): HealthCheck {
  const title = 'APIs assigned to the gateway';
  const apis = model.gateway?.apis;
  if (!apis) return outcome('apis', title, [], { unknown: 'the gateway\'s APIs were not read from Azure' });
  if (apis.length === 0) {
    const gw = gatewayName(model);
    const finding: HealthFinding = {
      code: 'no-api-assigned',
      severity: 'warning',
      title: 'No API assigned',
      explanation: `No API is assigned to gateway ${gw ?? ''}, so it answers every request with 404.`,
      evidence: [ev(`APIs assigned to ${gw ?? 'the gateway'}`, 'none')],
      fixes: gw !== undefined ? [{ id: 'assign-apis', label: `Assign APIs to ${gw}`, gatewayId: gw }] : [],
    };
    return outcome('apis', title, [finding], { unknown: '' });
  }
  return outcome('apis', title, [], { summary: plural(apis.length, 'API'), evidence: [ev('Assigned APIs', capped(apis.map((a) => a.displayName ?? a.name)))] });
}

/** The `version: 2.11.1.0` line of a log entry, as a line of its own (its line number counted from the entry's). */
function versionLine(l: LineModel): LineModel[] {
  const lines = l.text.split('\n');
  const at = lines.findIndex((t) => /^version: \d+\.\d+/.test(t.trim()));
  if (at < 0) return [];
  return [{ ...l, text: (lines[at] ?? '').trim(), ...(l.line !== undefined ? { line: l.line + at } : {}) }];
}
