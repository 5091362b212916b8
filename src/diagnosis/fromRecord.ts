// "Why did this fail?" for a request record the user is looking at (a log view, a hover), not one this extension
// sent: the record is all there is, so the request, the response and the log lookup are all read from it. Pure.
import { isFailedRequest } from '../gatewayLogs/request.ts';
import type { GatewayLogEntry } from '../gatewayLogs/entry.ts';
import { STALE_CONFIGURATION_MS } from './configuration.ts';
import { diagnose } from './index.ts';
import { dateText } from './text.ts';
import type { ConfigurationChange, DiagnosisInput, Finding, GatewayFacts, SentRequest, SubscriptionKeySent } from './types.ts';

/** Query parameters APIM reads a subscription key from by default; their values never enter the diagnosis. */
const KEY_PARAMETER = /^(subscription-key|ocp-apim-subscription-key)$/i;

/** Whether "Why did this fail?" applies: a request record that failed (isRequestSuccess false, status ≥ 400, lastError). */
export function isDiagnosableRecord(entry: GatewayLogEntry): boolean {
  const r = entry.request;
  if (entry.kind !== 'request' || !r) return false;
  return isFailedRequest(entry) || (r.responseCode ?? 0) >= 400 || r.lastError !== undefined;
}

/**
 * The diagnosis input for a request known only from its record: method and URL as the gateway logged them (a key in
 * the query masked), sent at `timeGenerated`, answered with `responseCode`, the record itself as the log lookup.
 * Header names are not in a record, so nothing is claimed about headers. Undefined for anything but a request record.
 */
export function diagnosisInputFromRecord(entry: GatewayLogEntry & { readonly lineWindow?: number }, gateway?: GatewayFacts): DiagnosisInput | undefined {
  const r = entry.request;
  if (entry.kind !== 'request' || !r) return undefined;
  const { url, key } = maskKey(r.url ?? '');
  const sentAt = instant(r.timeGenerated?.value) ?? instant(entry.timestamp?.value);
  const request: SentRequest = {
    // A record without a method leaves it unknown: nothing is said about the method then.
    ...(r.method !== undefined && r.method.trim() !== '' ? { method: r.method.toUpperCase() } : {}),
    url,
    ...(key ? { subscriptionKey: key } : {}),
    ...(sentAt ? { sentAt } : {}),
  };
  return {
    request,
    ...(r.responseCode !== undefined ? { response: { kind: 'http' as const, status: r.responseCode } } : {}),
    // An entry of a live view that started from `--tail` (`lineWindow`) counts lines from the tail, not the pod's log.
    log: { record: entry, ...(entry.lineWindow === undefined ? { recordLine: entry.line } : {}), searchedMs: 0, requestRecordsSeen: 1 },
    ...(gateway ? { gateway } : {}),
  };
}

function instant(value: number | undefined): string | undefined {
  return value !== undefined && Number.isFinite(value) ? new Date(value).toISOString() : undefined;
}

/** The URL with the value of a subscription-key query parameter replaced by `***`, and how the key travelled. */
function maskKey(url: string): { url: string; key?: SubscriptionKeySent } {
  const q = url.indexOf('?');
  if (q < 0) return { url };
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  let key: SubscriptionKeySent | undefined;
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (!KEY_PARAMETER.test(name)) return part;
    key ??= { in: 'query', name };
    return `${name}=***`;
  });
  if (!key) return { url };
  return { url: `${url.slice(0, q + 1)}${parts.join('&')}${hash < 0 ? '' : url.slice(hash)}`, key };
}

/** What "Why did this fail?" found for one record. */
export interface RecordExplanation {
  readonly findings: readonly Finding[];
  /** Present when the gateway's configuration from Azure was not used: why (one sentence). */
  readonly withoutAzure?: string;
  /**
   * Present when it was, and the record is older than the configuration read by a minute or more (or its time is not
   * known): that the record is judged against the configuration as it is now (one sentence).
   */
  readonly asOf?: string;
}

/**
 * A record judged against the gateway's configuration as it is now (`gateway.readAt`), which may have changed since
 * the request: the answer says so, and when today's configuration would route the request it says the configuration
 * changed since, naming the changes this extension made in between (`changes`).
 */
export function explainRecordNow(
  entry: GatewayLogEntry,
  gateway: GatewayFacts,
  changes: readonly ConfigurationChange[],
  events?: readonly GatewayLogEntry[],
): RecordExplanation {
  const input = diagnosisInputFromRecord(entry, gateway);
  if (!input) return { findings: [] };
  const findings = diagnose({ ...input, changes, ...(events && input.log ? { log: { ...input.log, events } } : {}) });
  const readAt = gateway.readAt !== undefined ? Date.parse(String(gateway.readAt)) : NaN;
  const sentAt = input.request.sentAt !== undefined ? Date.parse(String(input.request.sentAt)) : NaN;
  // A record made moments before the read is judged by the configuration it met: saying otherwise would be noise.
  if (Number.isFinite(readAt) && Number.isFinite(sentAt) && readAt - sentAt < STALE_CONFIGURATION_MS) return { findings };
  const read = Number.isFinite(readAt) ? ` (read ${dateText(readAt)})` : '';
  const then = Number.isFinite(sentAt) ? `when the request was made (${dateText(sentAt)})` : 'when the request was made';
  return { findings, asOf: `Judged against the gateway’s configuration as it is now${read}, not as it was ${then}.` };
}

export const WITHOUT_AZURE = 'without the gateway’s configuration from Azure';

/** The record alone: for logs that are not from a gateway Deployment, or when Azure cannot tell. */
export function explainFromRecordAlone(entry: GatewayLogEntry, why: string): RecordExplanation {
  const input = diagnosisInputFromRecord(entry);
  return { findings: input ? diagnose(input) : [], withoutAzure: why };
}

/** One line for the reader: what the findings were made without, and why; or against which configuration. */
export function withoutAzureNote(explanation: RecordExplanation): string | undefined {
  return explanation.withoutAzure === undefined ? explanation.asOf : `Diagnosed ${WITHOUT_AZURE}: ${explanation.withoutAzure}`;
}
