// What the Gateway Logs webview is sent for an entry: a light row for the table and, on request, the full details.
// Pure (no `vscode`): the data provider, the tests and the benchmarks share it.
//
// Gateway logs are the user's data, but a request URL can carry `subscription-key=…` and JSON records can carry
// tokens; everything that leaves the host is passed through `redact` first, so the webview (and the clipboard, which
// copies what the webview shows) never holds the secret.
import type { EntryDetails, FindingView, LogRow, TimeSource } from '../contract/gatewayLogs.ts';
import type { Finding } from '../diagnosis/types.ts';
import { displayFields } from '../gatewayLogs/displayFields.ts';
import type { GatewayLogEntry, LogTimestamp } from '../gatewayLogs/entry.ts';
import { LazyEntry } from '../gatewayLogs/lazy.ts';
import { readLine } from '../gatewayLogs/lineRead.ts';
import { GatewayLogParser, isFailedRequest, stripAnsi } from '../gatewayLogs/parser.ts';
import type { TaggedEntry } from '../logSessions/session.ts';
import { redact, redactField } from '../util/redact.ts';

/** Free-text search looks at most this much of an entry: a 1000-line stack trace should not cost the filter 1000 lines. */
export const MAX_SEARCH_CHARS = 8192;
/** The message column is one line; the details pane has the rest. */
export const MAX_MESSAGE_CHARS = 500;

/** Reads lazy entries for their rows; its record layouts stay warm from one row to the next. */
const reader = new GatewayLogParser();

/** What a row reads of an entry. */
type RowEntry = Pick<GatewayLogEntry, 'kind' | 'raw' | 'level' | 'event' | 'timestamp' | 'request' | 'message' | 'source' | 'fields'> & {
  kubeletTime?: LogTimestamp;
};

/**
 * The entry as its row reads it. A lazy entry (a large file's) is read into a copy that is let go with the row:
 * reading the entry itself would keep its fields for the life of the session (the memory the lazy entries save); the
 * details pane reads it again when the row is opened. A one-line record of the usual shape is read from its line
 * (`readLine`) rather than fully parsed: the same row at a fraction of the cost.
 */
function readForRow(entry: TaggedEntry): RowEntry {
  if (!(entry instanceof LazyEntry)) return entry;
  const line = readLine(entry);
  if (line) {
    const read: RowEntry = { kind: entry.kind, raw: [entry.text], level: entry.level, event: entry.event, timestamp: line.timestamp, fields: line.fields ?? NO_FIELDS };
    if (line.request) read.request = line.request;
    if (line.message !== undefined) read.message = line.message;
    if (line.source !== undefined) read.source = line.source;
    if (entry.kubeletTime !== undefined) read.kubeletTime = entry.kubeletTime;
    return read;
  }
  reader.push(entry.text + entry.eol);
  const full: GatewayLogEntry & { kubeletTime?: LogTimestamp } | undefined = reader.end()[0];
  if (!full) return entry;
  if (entry.kubeletTime !== undefined) full.kubeletTime = entry.kubeletTime;
  return full;
}

/** A request's row reads its request, never its fields. */
const NO_FIELDS: Record<string, string> = Object.freeze({});

export function toLogRow(tagged: TaggedEntry): LogRow {
  const entry = readForRow(tagged);
  const request = entry.request;
  const { time, source, text } = pickTime(entry);
  const firstLine = stripAnsi(entry.raw[0] ?? '');
  const row: {
    -readonly [K in keyof LogRow]: LogRow[K];
  } = {
    seq: tagged.seq,
    timeSource: source,
    kind: entry.kind,
    message: redact(clip(summary(entry, firstLine), MAX_MESSAGE_CHARS)),
    failed: isFailedRequest(entry),
    search: searchText(entry, tagged.pod),
  };
  if (time !== undefined) row.time = time;
  if (text !== undefined) row.timeText = text;
  if (tagged.pod !== undefined) row.pod = tagged.pod;
  if (entry.level !== undefined) row.level = entry.level;
  if (entry.event !== undefined) row.event = entry.event;
  if (request) {
    if (request.method !== undefined) row.method = request.method;
    if (request.url !== undefined) row.path = redact(urlPath(request.url));
    if (request.responseCode !== undefined) row.status = request.responseCode;
    if (request.totalTime !== undefined) row.totalTime = request.totalTime;
    if (request.apiId !== undefined) row.api = request.apiId;
    if (request.operationId !== undefined) row.operation = request.operationId;
    if (request.correlationId !== undefined) row.correlationId = request.correlationId;
  }
  return row;
}

/**
 * The gateway's timestamp when it can be believed; else the kubelet's (exact, but when the line was read, not when the
 * gateway wrote it); else a request's `timeGenerated`; else the 1.x time that may be 12 hours off.
 */
export function pickTime(entry: Pick<TaggedEntry, 'timestamp' | 'kubeletTime' | 'request'>): { time?: number; source: TimeSource; text?: string } {
  const own = entry.timestamp;
  if (own?.value !== undefined && !own.hourAmbiguous) return { time: own.value, source: 'gateway' };
  if (entry.kubeletTime?.value !== undefined) return { time: entry.kubeletTime.value, source: 'kubelet' };
  const generated = entry.request?.timeGenerated;
  if (generated?.value !== undefined && !generated.hourAmbiguous) return { time: generated.value, source: 'request' };
  if (own?.value !== undefined) return { time: own.value, source: 'ambiguous' };
  const written = own?.raw ?? generated?.raw;
  return written !== undefined ? { source: 'none', text: written } : { source: 'none' };
}

/** `http://host:5000/echo/resource?x=1` → `/echo/resource?x=1`; anything that is not an absolute URL stays as it is. */
export function urlPath(url: string): string {
  const scheme = url.indexOf('://');
  if (scheme <= 0 || scheme > 10 || !/^[A-Za-z][A-Za-z0-9+.-]*$/.test(url.slice(0, scheme))) return url;
  const slash = url.indexOf('/', scheme + 3);
  if (slash < 0) {
    const query = url.indexOf('?', scheme + 3);
    return query < 0 ? '/' : `/${url.slice(query)}`;
  }
  return url.slice(slash);
}

function summary(entry: RowEntry, firstLine: string): string {
  if (entry.kind === 'text') return entry.raw.length > 1 ? `${firstLine} (+${entry.raw.length - 1} lines)` : firstLine;
  const request = entry.request;
  if (request) {
    const error = request.lastError ?? request.errors?.[0];
    if (!error) return '';
    return [error.reason, error.message].filter((part) => typeof part === 'string' && part.length > 0).join(': ');
  }
  if (entry.message !== undefined) return entry.source !== undefined ? `${entry.message} — ${entry.source}` : entry.message;
  // An event whose payload is other keys (`[PoolTrimmed], pool: a, removed: 2`): show them as written.
  const parts: string[] = [];
  for (const key in entry.fields) {
    if (key !== 'source') parts.push(`${key}: ${redactField(key, entry.fields[key] ?? '')}`);
    if (parts.length >= 8) break;
  }
  const text = parts.join(', ');
  return entry.source !== undefined ? `${text} — ${entry.source}` : text;
}

function searchText(entry: RowEntry, pod: string | undefined): string {
  const raw = entry.raw;
  const only = raw.length === 1 && pod === undefined ? (raw[0] as string) : undefined;
  if (only !== undefined && only.length < MAX_SEARCH_CHARS && only.indexOf('\x1b') < 0) {
    // One line: masked as it is (a slice of the file, read in place) rather than as a new `line\n` string the
    // masking's scans would first copy; a line end changes nothing masking does (redact.test.ts).
    return `${redact(only).toLowerCase()}\n`;
  }
  let text = pod !== undefined ? `${pod}\n` : '';
  for (const line of entry.raw) {
    if (text.length >= MAX_SEARCH_CHARS) break;
    text += `${line}\n`;
  }
  return redact(stripAnsi(clip(text, MAX_SEARCH_CHARS))).toLowerCase();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Everything about one entry for the details pane, secrets masked, colour codes removed. */
export function toEntryDetails(entry: TaggedEntry): EntryDetails {
  // By name too: `ocp-apim-subscription-key: <key>` is a secret whatever the key looks like.
  const masked: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const key in entry.fields) masked[key] = redactField(key, entry.fields[key] ?? '');
  const fields = displayFields(masked);
  const request = entry.request;
  const details: { -readonly [K in keyof EntryDetails]: EntryDetails[K] } = {
    seq: entry.seq,
    line: entry.line,
    kind: entry.kind,
    format: entry.format,
    fields,
    raw: entry.raw.map((line) => redact(stripAnsi(line))),
    notes: entry.notes ? [...entry.notes] : [],
  };
  if (entry.pod !== undefined) details.pod = entry.pod;
  if (entry.lineWindow !== undefined) details.lineWindow = entry.lineWindow;
  const level = entry.levelRaw ?? entry.level;
  if (level !== undefined) details.level = level;
  if (entry.timestamp) details.timestamp = entry.timestamp.raw;
  if (entry.kubeletTime) details.kubeletTime = entry.kubeletTime.raw;
  if (request?.lastError !== undefined) details.lastErrorJson = prettyJson(request.lastError);
  if (request?.errors !== undefined) details.errorsJson = prettyJson(request.errors);
  return details;
}

function prettyJson(value: unknown): string {
  try {
    return redact(JSON.stringify(value, null, 2) ?? String(value));
  } catch {
    return redact(String(value));
  }
}

/** A finding as the details pane shows it: text only, masked like everything else that leaves the host. */
export function toFindingView(finding: Finding): FindingView {
  return {
    code: finding.code,
    severity: finding.severity,
    title: redact(finding.title),
    explanation: redact(finding.explanation),
    evidence: finding.evidence.map((e) => ({ label: redact(e.label), value: redact(e.value) })),
    fixes: finding.fixes.map((f) => redact(f.label)),
  };
}
