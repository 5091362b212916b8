// What the checks share: evidence wording, the fixes they offer, and how a check's outcome is built.
import { dateText } from '../diagnosis/text.ts';
import type { HealthModel, LineModel } from './input.ts';
import type { Evidence, HealthCheck, HealthCheckId, HealthFinding, HealthFix, OpenLogsFix } from './types.ts';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
/** Tokens live at most 30 days and are renewed by hand: a week's notice (the diagnosis uses the same). */
export const TOKEN_WARNING_MS = 7 * DAY_MS;
/** Evidence quotes at most this much of one log entry or message. */
const EXCERPT = 300;

export function ev(label: string, value: string): Evidence {
  return { label, value };
}

/**
 * Whatever a log line or a setting holds is quoted through here, and a token or key can turn up anywhere (a token
 * pasted into the wrong setting, a key in a logged URL): their secret parts are masked before anything is shown.
 */
export function maskSecrets(value: string): string {
  return value
    .replace(/(GatewayKey\s+)\S+/gi, '$1***')
    .replace(/([^\s&=]+&\d{12}&)[^\s,"']+/g, '$1***')
    .replace(/((?:subscription-key|sig|key|token|password|secret)=)[^&\s,"']+/gi, '$1***');
}

export function excerpt(value: string): string {
  // Cut before masking keeps the masking's cost bounded on a huge line; a secret cut in two is masked from where it starts.
  const one = maskSecrets(value.slice(0, EXCERPT * 2)).replace(/\s+/g, ' ').trim();
  return one.length > EXCERPT ? `${one.slice(0, EXCERPT)}…` : one;
}

export { dateText };

/** `Gateway log (pod x, line 12)`: where an entry can be found again. */
export function lineLabel(model: HealthModel, line: LineModel): string {
  const where: string[] = [];
  if (line.part === 'previous') where.push('previous container');
  if (model.log?.pod !== undefined) where.push(`pod ${model.log.pod}`);
  if (line.line !== undefined) where.push(line.part === 'recent' ? `recent line ${line.line}` : `line ${line.line}`);
  return where.length > 0 ? `Gateway log (${where.join(', ')})` : 'Gateway log';
}

export function lineEvidence(model: HealthModel, line: LineModel): Evidence {
  return ev(lineLabel(model, line), excerpt(line.text));
}

/** The gateway's name in APIM: from ARM, else the one its token names. */
export function gatewayName(model: HealthModel): string | undefined {
  return model.gateway?.name ?? model.token?.gatewayId;
}

export function tokenFix(model: HealthModel): HealthFix[] {
  const id = gatewayName(model);
  return id !== undefined ? [{ id: 'open-token-wizard', label: `Renew the token of ${id}`, gatewayId: id }] : [];
}

/** Open the log where `line` is (the start-up entries, or the crashed container's). */
export function openLogsFix(model: HealthModel, line: LineModel | undefined, pod?: string): HealthFix[] {
  const name = pod ?? model.log?.pod;
  if (name === undefined) return [];
  const fix: OpenLogsFix = { id: 'open-logs', label: line?.part === 'previous' ? `Open the crashed container's log of ${name}` : `Open the log of ${name}`, pod: name };
  if (model.log?.container !== undefined) fix.container = model.log.container;
  if (line?.part === 'previous') fix.previous = true;
  if (line?.line !== undefined && line.part !== 'recent') fix.line = line.line;
  return [fix];
}

export function outcome(id: HealthCheckId, title: string, findings: HealthFinding[], passed: { summary: string; evidence?: Evidence[] } | { unknown: string }): HealthCheck {
  if (findings.length > 0) return { id, title, status: 'failed', summary: findings.map((f) => f.title).join('; '), evidence: [], findings };
  if ('unknown' in passed) return { id, title, status: 'unknown', summary: passed.unknown, evidence: [], findings: [] };
  return { id, title, status: 'passed', summary: passed.summary, evidence: passed.evidence ?? [], findings: [] };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
