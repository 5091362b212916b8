// Configuration sync and the token: does the gateway get its configuration from APIM, and if not, why (no auth
// configured, the endpoint does not resolve or its TLS fails, 401/403 from the configuration API, the initial sync
// failed); is its token valid, for this gateway, and for how long. Read from the start-up and recent log (the lines
// the gateway writes, see README.md) and the token's non-secret parts.
import { dateText, ev, excerpt, gatewayName, lineEvidence, openLogsFix, outcome, TOKEN_WARNING_MS, tokenFix, DAY_MS, HOUR_MS } from './common.ts';
import type { HealthModel, LineModel } from './input.ts';
import type { HealthCheck, HealthFinding } from './types.ts';

const NO_AUTH = /No valid authentication was configured/i;
const V2_NOT_AVAILABLE = /ConfigurationApiV2NotAvailable/;
const UNAUTHORIZED = /\b401\b|Unauthorized/;
const FORBIDDEN = /\b403\b|Forbidden/;
const DNS = /Name or service not known|No such host is known|nodename nor servname|Temporary failure in name resolution|Resource temporarily unavailable|NXDOMAIN/i;
const TLS = /SSL connection could not be established|RemoteCertificate|certificate|AuthenticationException|TLS/;
const CONNECT = /Connection refused|timed out|Timeout|No route to host|Network is unreachable|Connection reset/i;
/** Events that say the configuration was received. */
const SYNC_OK = new Set(['ConfigurationUpdated', 'ConfigInitialSyncCompleted', 'EventSnapshotRestored', 'EventsSuccessfullyRestored', 'TenantStarted', 'NoNewEvents']);

function isConfigFailure(line: LineModel): boolean {
  if (NO_AUTH.test(line.text) || V2_NOT_AVAILABLE.test(line.text)) return true;
  const event = line.event ?? '';
  if (/^(LoadingConfigurationFailed|ConfigurationSyncFailed|ConfigInitialSyncFailed|ConfigurationRetrievalFailed)$/.test(event)) return true;
  // Other failures that name the configuration API or its client (the exact event names vary across versions).
  const level = (line.level ?? '').toLowerCase();
  if (level !== 'error' && level !== 'warn' && level !== 'fatal') return false;
  return /configuration\.azure-api\.net|management\.azure-api\.net|ConfigurationApiClient|ServiceConfigurationSource|ConfigurationRepositoryProvider/.test(line.text);
}

/** Whether `a` was written after `b`: by timestamps where both have one, else by where each was read. */
function after(a: LineModel, b: LineModel): boolean {
  if (a.time !== undefined && b.time !== undefined && a.part === b.part) return a.time > b.time;
  const order = { previous: 0, startup: 1, recent: 2 } as const;
  if (a.part !== b.part) {
    if (a.time !== undefined && b.time !== undefined) return a.time > b.time;
    return order[a.part] > order[b.part];
  }
  return a.index > b.index;
}

export interface SyncState {
  /** The newest failure, when it is newer than the newest success. */
  failing?: LineModel;
  failures: LineModel[];
  lastOk?: LineModel;
  /** Request records with an API id: the gateway is serving configuration. */
  serving: boolean;
}

export function syncState(model: HealthModel): SyncState | undefined {
  const log = model.log;
  if (!log) return undefined;
  // The previous container's lines explain a crash, not the current state.
  const current = log.all.filter((l) => l.part !== 'previous');
  const failures = current.filter(isConfigFailure);
  let lastOk: LineModel | undefined;
  for (const l of current) if (l.event !== undefined && SYNC_OK.has(l.event) && (!lastOk || after(l, lastOk))) lastOk = l;
  let newestFailure: LineModel | undefined;
  for (const l of failures) if (!newestFailure || after(l, newestFailure)) newestFailure = l;
  const state: SyncState = { failures, serving: current.some((l) => l.hasApiId) };
  if (lastOk) state.lastOk = lastOk;
  if (newestFailure && (!lastOk || after(newestFailure, lastOk))) state.failing = newestFailure;
  return state;
}

function wrongGateway(model: HealthModel): boolean {
  const t = model.token?.gatewayId;
  const g = model.gateway?.name;
  return t !== undefined && g !== undefined && t.toLowerCase() !== g.toLowerCase();
}

function tokenEvidence(model: HealthModel): ReturnType<typeof ev>[] {
  const t = model.token;
  if (!t) return [];
  const out = [];
  if (t.expiresAt !== undefined) out.push(ev('Gateway token expires', dateText(t.expiresAt)));
  if (t.gatewayId !== undefined) out.push(ev('Gateway token is for', t.gatewayId));
  if (t.source !== undefined) out.push(ev('Token read from', t.source));
  return out;
}

/** The token has expired: one finding, shared by the configuration and token checks. */
export function expiredTokenFinding(model: HealthModel, sync: SyncState | undefined): HealthFinding | undefined {
  const at = model.token?.expiresAt;
  if (at === undefined || at > model.now) return undefined;
  const gw = gatewayName(model) ?? 'the gateway';
  const rejected = sync?.failing && UNAUTHORIZED.test(sync.failing.text) ? sync.failing : undefined;
  const serving = sync?.lastOk !== undefined && rejected !== undefined;
  return {
    code: 'token-expired',
    severity: 'error',
    title: 'Gateway token expired',
    explanation: rejected
      ? `The token of gateway ${gw} expired on ${dateText(at)} and the configuration API now answers 401; ${serving ? 'the gateway keeps serving the configuration it already had until it restarts, then answers every request with an empty 200' : 'without configuration the gateway answers every request with an empty 200 and logs nothing'}.`
      : `The token of gateway ${gw} expired on ${dateText(at)}: a running gateway keeps the configuration it has, but a restarted one gets none and answers every request with an empty 200.`,
    evidence: [...tokenEvidence(model), ev('Now', dateText(model.now)), ...(rejected ? [lineEvidence(model, rejected)] : [])],
    fixes: tokenFix(model),
  };
}

function failureFinding(model: HealthModel, line: LineModel, sync: SyncState): HealthFinding {
  const t = line.text;
  const hostMatch = /\(([A-Za-z0-9.-]+):(\d+)\)/.exec(t) ?? /https?:\/\/([A-Za-z0-9.-]+)/.exec(t);
  const host = hostMatch?.[1];
  const serving = sync.lastOk !== undefined;
  const base = { evidence: [lineEvidence(model, line), ...(sync.lastOk ? [ev('Last successful sync', excerpt(sync.lastOk.text))] : [])], fixes: openLogsFix(model, line) };
  const without = serving
    ? 'it keeps serving the configuration it already had ("fail static") but gets no changes, and a restart leaves it with none'
    : 'without configuration it answers every request with 404, or an empty 200';
  if (NO_AUTH.test(t)) {
    return { code: 'config-no-auth', severity: 'error', title: 'No authentication configured for the configuration API', explanation: `The gateway found no usable credential for APIM's configuration API (config.service.auth is missing, empty or incomplete), so it cannot load its configuration.`, ...base, fixes: [...tokenFix(model), ...base.fixes] };
  }
  if (V2_NOT_AVAILABLE.test(t)) {
    return { code: 'config-api-v2-not-available', severity: 'error', title: 'Configuration API refused the gateway (ConfigurationApiV2NotAvailable)', explanation: `The configuration API answered 403 ConfigurationApiV2NotAvailable, seen when the gateway's identity (workload identity or Entra app) is not set up for this APIM service or the gateway name is wrong; ${without}.`, ...base };
  }
  if (DNS.test(t)) {
    return { code: 'config-endpoint-unreachable', severity: 'error', title: 'Configuration endpoint does not resolve', explanation: `The gateway cannot resolve ${host ?? 'the configuration endpoint'} (a typo, a custom domain, or DNS the cluster cannot reach); ${without}.`, ...base };
  }
  if (TLS.test(t) && !UNAUTHORIZED.test(t)) {
    return { code: 'config-endpoint-unreachable', severity: 'error', title: 'TLS to the configuration endpoint fails', explanation: `The gateway cannot establish TLS with ${host ?? 'the configuration endpoint'} (a proxy or firewall that intercepts TLS, or a missing CA); ${without}.`, ...base };
  }
  if (UNAUTHORIZED.test(t) || (FORBIDDEN.test(t) && /configuration|gateways\//i.test(t))) {
    const status = UNAUTHORIZED.test(t) ? '401' : '403';
    let cause: string;
    if (wrongGateway(model)) cause = `the token is for gateway ${model.token?.gatewayId ?? ''}, not ${model.gateway?.name ?? ''}`;
    else if (model.token?.expiresAt !== undefined) cause = `the token is still valid until ${dateText(model.token.expiresAt)}, so it was most likely made from a key that has since been regenerated, or for another APIM service`;
    else cause = 'the token has expired, was made from a regenerated key, or is for another gateway';
    return { code: 'config-unauthorized', severity: 'error', title: `Configuration API answers ${status}`, explanation: `APIM's configuration API turns the gateway's token away (${status}): ${cause}; ${without}.`, evidence: [...base.evidence, ...tokenEvidence(model)], fixes: [...tokenFix(model), ...base.fixes] };
  }
  if (CONNECT.test(t)) {
    return { code: 'config-endpoint-unreachable', severity: 'error', title: 'Configuration endpoint unreachable', explanation: `The gateway cannot connect to ${host ?? 'the configuration endpoint'} (outbound port 443 blocked, or a proxy); ${without}.`, ...base };
  }
  return { code: 'config-initial-sync-failed', severity: 'error', title: line.event === 'ConfigInitialSyncFailed' ? 'Initial configuration sync failed' : 'Configuration sync failed', explanation: `The gateway could not load its configuration from APIM; ${without}.`, ...base };
}

export function checkConfiguration(model: HealthModel, expired: HealthFinding | undefined): HealthCheck {
  const title = 'Configuration sync with APIM';
  const sync = syncState(model);
  if (!sync) return outcome('configuration', title, [], { unknown: 'the gateway log was not read' });
  if (sync.failing) {
    const finding = expired && UNAUTHORIZED.test(sync.failing.text) ? expired : failureFinding(model, sync.failing, sync);
    return outcome('configuration', title, [finding], { unknown: '' });
  }
  // A start-up that never got as far as the configuration (the log holds only the banner) is not a success.
  const noAuth = sync.failures.find((l) => NO_AUTH.test(l.text));
  if (noAuth) return outcome('configuration', title, [failureFinding(model, noAuth, sync)], { unknown: '' });
  if (sync.lastOk) return outcome('configuration', title, [], { summary: `configuration received (${sync.lastOk.event ?? 'sync'})`, evidence: [lineEvidence(model, sync.lastOk)] });
  if (sync.serving) return outcome('configuration', title, [], { summary: 'the gateway serves APIs (request records name them)' });
  return outcome('configuration', title, [], { unknown: 'the log read shows neither a sync nor a failure' });
}

export function checkToken(model: HealthModel, expired: HealthFinding | undefined): HealthCheck {
  const title = 'Gateway token valid';
  const t = model.token;
  if (!t || (t.expiresAt === undefined && t.gatewayId === undefined)) return outcome('token', title, [], { unknown: 'the running token was not read' });
  const findings: HealthFinding[] = [];
  if (wrongGateway(model)) {
    findings.push({
      code: 'token-wrong-gateway',
      severity: 'error',
      title: 'Token is for another gateway',
      explanation: `The gateway runs with a token for gateway ${t.gatewayId ?? ''}, but this is gateway ${model.gateway?.name ?? ''}: it gets ${t.gatewayId ?? 'that'}'s configuration, or none.`,
      evidence: tokenEvidence(model),
      fixes: tokenFix(model),
    });
  }
  if (expired) findings.push(expired);
  else if (t.expiresAt !== undefined && t.expiresAt - model.now <= TOKEN_WARNING_MS) {
    const left = t.expiresAt - model.now;
    const hours = Math.ceil(left / HOUR_MS);
    const inText = hours < 48 ? `in ${hours} hour${hours === 1 ? '' : 's'}` : `in ${Math.floor(left / DAY_MS)} days`;
    findings.push({
      code: 'token-expiring',
      severity: 'warning',
      title: `Gateway token expires ${inText}`,
      explanation: `The token of gateway ${gatewayName(model) ?? ''} expires on ${dateText(t.expiresAt)}; renew it before then, or the next restart leaves the gateway without configuration.`,
      evidence: [...tokenEvidence(model), ev('Now', dateText(model.now))],
      fixes: tokenFix(model),
    });
  }
  if (t.expiresAt === undefined && findings.length === 0) return outcome('token', title, [], { unknown: 'the token\'s expiry was not read' });
  return outcome('token', title, findings, { summary: `valid until ${dateText(t.expiresAt ?? 0)}`, evidence: tokenEvidence(model) });
}

export function checkConnection(model: HealthModel, configuration: HealthCheck): HealthCheck {
  const title = 'Connected to APIM';
  const g = model.gateway;
  if (g?.connected === false) {
    const finding: HealthFinding = {
      code: 'gateway-disconnected',
      severity: 'error',
      title: 'APIM sees no heartbeat',
      explanation: `APIM has not received a heartbeat from gateway ${g.name ?? ''}${g.lastSeen !== undefined ? ` since ${dateText(g.lastSeen)}` : ''}: no instance of it is connected.`,
      evidence: [ev('Heartbeat', g.lastSeen !== undefined ? `last seen ${dateText(g.lastSeen)}` : 'not seen')],
      fixes: [],
    };
    return outcome('connection', title, [finding], { unknown: '' });
  }
  if (g?.connected === true) return outcome('connection', title, [], { summary: 'APIM sees the gateway\'s heartbeat', evidence: g.lastSeen !== undefined ? [ev('Heartbeat', `last seen ${dateText(g.lastSeen)}`)] : [] });
  // No heartbeat from ARM: the log's view of the connection is the configuration sync's.
  if (configuration.status === 'failed') return { ...outcome('connection', title, configuration.findings, { unknown: '' }), summary: 'the configuration API turns the gateway away or cannot be reached (see Configuration sync)' };
  if (configuration.status === 'passed') return outcome('connection', title, [], { summary: 'the log shows the gateway talking to APIM', evidence: configuration.evidence });
  return outcome('connection', title, [], { unknown: 'neither APIM\'s heartbeat nor the log\'s sync lines were read' });
}
