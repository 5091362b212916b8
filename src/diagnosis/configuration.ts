// Findings about the gateway's configuration rather than the request: a gateway that never got its configuration
// (its own log says the start-up sync or its authentication failed), and an old request judged against a
// configuration that has changed since (named when this extension made the change).
import { ev, logEvidence, requestEvidence } from './evidence.ts';
import type { Model } from './input.ts';
import { dateText, gatewayName, listText, methodAndPath } from './text.ts';
import type { Finding } from './types.ts';
import type { GatewayLogEntry } from '../gatewayLogs/entry.ts';

/** A configuration read this long after the request may not be the one the request met (the gateway polls every 10 s). */
export const STALE_CONFIGURATION_MS = 60_000;

const FAILED_EVENTS = /^(ConfigInitialSyncFailed|ConfigurationSyncFailed|HostBootstrapperFailed)$/i;
const COMPLETED_EVENTS = /^(ConfigInitialSyncCompleted|ConfigurationSyncCompleted)$/i;
// Reported in the gateway's tracker (#164, #269, PR #371): what the failing line says, in whatever event it comes.
const FAILED_TEXT = /No valid authentication was configured|ConfigurationApiV2NotAvailable|ConfigInitialSyncFailed/i;
const AUTH_FAILURE = /configuration[\s\S]*\b(401|403|Unauthorized|Forbidden)\b|\b(401|403|Unauthorized|Forbidden)\b[\s\S]*configuration/i;

function textOf(entry: GatewayLogEntry): string {
  return [entry.event, entry.message, entry.fields['exception'], entry.raw[0]].filter((t) => typeof t === 'string').join(' ').slice(0, 4000);
}

function isFailure(entry: GatewayLogEntry): boolean {
  if (entry.kind === 'request') return false;
  if (entry.event !== undefined && FAILED_EVENTS.test(entry.event)) return true;
  const text = textOf(entry);
  if (FAILED_TEXT.test(text)) return true;
  return (entry.level === 'error' || entry.level === 'fatal') && AUTH_FAILURE.test(text);
}

/** The last start-up / sync failure in the gateway's log with no completed sync after it, if any. */
export function unresolvedSyncFailure(events: readonly GatewayLogEntry[]): GatewayLogEntry | undefined {
  let failure: GatewayLogEntry | undefined;
  for (const e of events) {
    if (e.event !== undefined && COMPLETED_EVENTS.test(e.event)) failure = undefined;
    else if (isFailure(e)) failure = e;
  }
  return failure;
}

function likelyWhy(text: string): string {
  if (/No valid authentication/i.test(text)) return 'its authentication settings are incomplete';
  if (/ConfigurationApiV2NotAvailable|\b403\b|Forbidden/i.test(text)) return 'the configuration API refused its identity';
  if (/\b401\b|Unauthorized|token expired|expired/i.test(text)) return 'its token is expired or wrong';
  return 'the configuration endpoint could not be reached or resolved';
}

/**
 * The gateway's log shows its configuration never arrived, and the request got what such a gateway answers (404
 * with no API named, or an empty answer with no record): that explains every request failing.
 */
export function notConfigured(model: Model, status: number | undefined, emptyOk: boolean): Finding | undefined {
  const events = model.log?.events;
  if (!events) return undefined;
  const failure = unresolvedSyncFailure(events);
  if (!failure) return undefined;
  const record = model.log?.record;
  // A record naming an API, or a backend that answered, shows a gateway that has a configuration.
  if (record?.apiId !== undefined || record?.backendResponseCode !== undefined) return undefined;
  if (status !== 404 && !emptyOk) return undefined;
  const text = textOf(failure);
  const what = failure.event ?? failure.message ?? 'a failure';
  const when = failure.timestamp?.value !== undefined ? ` at ${dateText(failure.timestamp.value)}` : '';
  const gw = gatewayName(model.gateway?.id);
  const request = model.request ? methodAndPath(model.request, model) : 'the request';
  const line = failure.raw[0] ?? '';
  const log = logEvidence(model);
  return {
    code: 'gateway-not-configured',
    severity: 'error',
    title: 'The gateway never got its configuration',
    explanation: `The gateway's log shows ${what}${when} and no completed configuration sync after it, so ${gw} runs without a configuration (likely because ${likelyWhy(text)}) and answers every request ${emptyOk ? 'with an empty 200' : '404'}, as it did for ${request}.`,
    evidence: [
      ...requestEvidence(model),
      ev(`Gateway log (line ${failure.line})`, line.length > 300 ? `${line.slice(0, 300)}…` : line),
      ev('Configuration sync completed after it', 'no'),
      ...(log ? [log] : []),
    ],
    fixes: [],
  };
}

/**
 * Today's configuration routes a request that got 404 long before it was read: the configuration changed since.
 * Changes this extension made between the request and the read are named.
 */
export function configurationChanged(model: Model, routed: { api: string; operation?: string }): Finding | undefined {
  const readAt = model.gateway?.readAt;
  const sentAt = model.request?.sentAt;
  if (readAt === undefined || sentAt === undefined || readAt - sentAt < STALE_CONFIGURATION_MS) return undefined;
  const api = routed.api.toLowerCase();
  const gatewayId = model.gateway?.id?.toLowerCase();
  const made = model.changes
    .map((c) => ({ ...c, ms: Date.parse(String(c.at)) }))
    .filter((c) => c.ms > sentAt && c.ms <= readAt)
    .filter((c) => (c.apiId === undefined || c.apiId.toLowerCase().replace(/;rev=.*$/, '') === api) && (c.gatewayId === undefined || c.gatewayId.toLowerCase() === gatewayId))
    .sort((a, b) => a.ms - b.ms);
  const request = model.request ? methodAndPath(model.request, model) : 'the request';
  const to = routed.operation !== undefined ? `operation ${routed.operation} of ${routed.api}` : routed.api;
  const named =
    made.length > 0
      ? `: this extension applied ${listText(made.map((c) => `${c.what} at ${dateText(c.ms)}`))}`
      : '; no change made by this extension since then is known (it may have been made in the portal or by another tool)';
  return {
    code: 'configuration-changed',
    severity: 'warning',
    title: 'Configuration changed since the request',
    explanation: `The configuration as it is now (read ${dateText(readAt)}) routes ${request} to ${to}, but the request got 404 at ${dateText(sentAt)}, so the configuration changed since the request${named}.`,
    evidence: [
      ...requestEvidence(model),
      ev('Request made', dateText(sentAt)),
      ev('Configuration read', dateText(readAt)),
      ...made.map((c) => ev('Changed by this extension', `${c.what} at ${dateText(c.ms)}`)),
    ],
    fixes: [],
  };
}
