// The Gateway Logs view's messages. Pure (no `vscode`, no DOM): the extension host and the webview bundle both
// compile this file. Log content crosses as data (strings and numbers) and is only ever shown with textContent.
import type { EntryKind, EntryFormat, LogLevel } from '../gatewayLogs/entry.ts';
import type { PodState, PodStatus, SessionNotice } from '../logSessions/session.ts';

export type { PodStatus, SessionNotice };

/**
 * Which clock the time column shows: the gateway's own timestamp; the kubelet's when the gateway's is missing or
 * ambiguous; a request record's `timeGenerated`; the gateway's ambiguous 1.x time as a last resort; or none.
 */
export type TimeSource = 'gateway' | 'kubelet' | 'request' | 'ambiguous' | 'none';

/**
 * One table row: what the columns, the filters and the chart need, and no more. Everything else about an entry
 * (fields, lastError, raw lines) is fetched on demand for the details pane, so 50k live rows stay light.
 */
export interface LogRow {
  /**
   * The session's sequence number (`TaggedEntry.seq`): unique, increasing in the order rows are shown, the key of the
   * row. An append may carry a row whose seq is below rows already sent: a late entry of a live session, which the
   * view inserts at its seq's place.
   */
  readonly seq: number;
  /** Epoch milliseconds of the time column; absent when no clock could be read. */
  readonly time?: number;
  readonly timeSource: TimeSource;
  /** The timestamp as written, when it has no usable value (shown instead of a formatted time). */
  readonly timeText?: string;
  readonly pod?: string;
  readonly level?: LogLevel;
  readonly kind: EntryKind;
  readonly method?: string;
  /** Path and query of the request URL (scheme and host removed). */
  readonly path?: string;
  readonly status?: number;
  /** Milliseconds. */
  readonly totalTime?: number;
  readonly api?: string;
  readonly operation?: string;
  readonly event?: string;
  /** One line: the message, or the entry's first line for text the parser kept as it was. */
  readonly message: string;
  readonly failed: boolean;
  readonly correlationId?: string;
  /** Lower-cased text the free-text filter searches (raw lines included), computed once so filtering never does. */
  readonly search: string;
}

/** Everything about one entry, for the details pane. Secrets are masked by the host before this is built. */
export interface EntryDetails {
  readonly seq: number;
  readonly line: number;
  /** `line` counts from the first of this many lines read with `--tail` (see `TaggedEntry.lineWindow`). */
  readonly lineWindow?: number;
  readonly kind: EntryKind;
  readonly format: EntryFormat;
  readonly pod?: string;
  readonly level?: string;
  readonly timestamp?: string;
  readonly kubeletTime?: string;
  /** Every key/value as the gateway wrote it, in order. */
  readonly fields: readonly (readonly [string, string])[];
  /** `lastError` and `errors`, pretty-printed JSON. */
  readonly lastErrorJson?: string;
  readonly errorsJson?: string;
  readonly raw: readonly string[];
  readonly notes: readonly string[];
}

export interface LogsSettings {
  readonly maxEntries: number;
}

// ---- Host → webview ----------------------------------------------------------------------------------------------

/** Starts (or restarts, after the webview was reloaded) the view: rows follow in `append` messages. */
export interface ResetMessage {
  readonly type: 'gatewayLogs/reset';
  readonly title: string;
  readonly live: boolean;
  readonly ended: boolean;
  readonly settings: LogsSettings;
  /** Entries the session had already let go before this snapshot (never sent). */
  readonly droppedBefore: number;
  readonly pods: readonly PodStatus[];
}

export interface AppendMessage {
  readonly type: 'gatewayLogs/append';
  /** Echoed by the webview's `ack`, which is what lets the host send the next batch. */
  readonly batch: number;
  readonly rows: readonly LogRow[];
  /** Entries that never reached the view because it fell too far behind (they count as dropped). */
  readonly skipped: number;
}

/**
 * An `append` as it crosses to the webview: the rows' properties as columns (one array per property, `null` where a
 * row has none) rather than one object per row, so a batch of thousands of rows is a few arrays to serialise, copy
 * and parse instead of tens of thousands of keyed objects (a 100 MB file is ~200k rows). The webview unpacks it into
 * the `append` it stands for. Built by `packAppend`, read by `unpackAppend`.
 */
export interface PackedAppendMessage {
  readonly type: 'gatewayLogs/appendPacked';
  readonly batch: number;
  readonly skipped: number;
  /**
   * One column per name of `PACKED_ROW_KEYS`, in that order, each with one value per row. The columns of
   * `SHARED_STRING_KEYS` (a few distinct values repeated on every row: kind, level, method, API, …) hold the index of
   * the value in `strings`. A message that is not ASCII is `[escaped]` (see `escapeToAscii`), so a batch's JSON
   * stays a one-byte string.
   */
  readonly columns: readonly (readonly unknown[])[];
  readonly strings: readonly string[];
}

export interface PodsMessage {
  readonly type: 'gatewayLogs/pods';
  readonly pods: readonly PodStatus[];
}

export interface NoticeMessage {
  readonly type: 'gatewayLogs/notice';
  readonly notice: SessionNotice;
}

export interface EndedMessage {
  readonly type: 'gatewayLogs/ended';
}

export interface DetailsMessage {
  readonly type: 'gatewayLogs/details';
  readonly seq: number;
  /** Absent when the entry has left the session's buffer. */
  readonly details?: EntryDetails;
}

/**
 * The answer to `clear`: rows up to `throughSeq` go, including any of a batch that was already on its way when the
 * user pressed Clear (messages arrive in order, so those come before this).
 */
export interface ClearedMessage {
  readonly type: 'gatewayLogs/cleared';
  readonly throughSeq: number;
}

/** One finding of "Why did this fail?", as shown: text only, masked by the host. */
export interface FindingView {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly title: string;
  readonly explanation: string;
  readonly evidence: readonly { readonly label: string; readonly value: string }[];
  /** What would fix it, in words (the Test Request view is where fixes are acted on). */
  readonly fixes: readonly string[];
}

/**
 * The answer to `explain`, for the row `seq`: `busy` while the gateway's configuration is read (repeatable, with
 * what is being done), then `done` with the findings (`note` says what they were made without) or `error`.
 */
export type ExplanationMessage =
  | { readonly type: 'gatewayLogs/explanation'; readonly seq: number; readonly state: 'busy'; readonly message: string }
  | {
      readonly type: 'gatewayLogs/explanation';
      readonly seq: number;
      readonly state: 'done';
      readonly findings: readonly FindingView[];
      readonly note?: string;
      /** The request can be opened in Send Test Request (the log comes from a gateway Deployment), where fixes act. */
      readonly canResend?: boolean;
    }
  | { readonly type: 'gatewayLogs/explanation'; readonly seq: number; readonly state: 'error'; readonly message: string };

export type GatewayLogsToWebview =
  | ResetMessage
  | ExplanationMessage
  | AppendMessage
  | PodsMessage
  | NoticeMessage
  | EndedMessage
  | DetailsMessage
  | ClearedMessage;

/** What the Gateway Logs webview takes: the messages above, appends also packed (the panel packs them). */
export type GatewayLogsWire = GatewayLogsToWebview | PackedAppendMessage;

// ---- Webview → host ----------------------------------------------------------------------------------------------

export interface AckMessage {
  readonly type: 'gatewayLogs/ack';
  readonly batch: number;
  /** Rows of that batch the webview stored. */
  readonly rows: number;
}

export interface ClearMessage {
  readonly type: 'gatewayLogs/clear';
}

export interface RequestDetailsMessage {
  readonly type: 'gatewayLogs/requestDetails';
  readonly seq: number;
}

export interface CopyMessage {
  readonly type: 'gatewayLogs/copy';
  readonly text: string;
}

/** "Why did this fail?" on a failed request record: the host answers with `explanation` messages. */
export interface ExplainMessage {
  readonly type: 'gatewayLogs/explain';
  readonly seq: number;
}

/** "Send again…": open this record's request in Send Test Request, where the fixes can be acted on. */
export interface ResendMessage {
  readonly type: 'gatewayLogs/resend';
  readonly seq: number;
}

export type GatewayLogsToHost = AckMessage | ClearMessage | RequestDetailsMessage | CopyMessage | ExplainMessage | ResendMessage;

// ---- Guards ------------------------------------------------------------------------------------------------------
// Both sides check what they receive: a message is just `unknown` until its shape is proven.

/** The host masks secrets before sending, but a copy request is capped so a runaway selection cannot flood the clipboard. */
export const MAX_COPY_CHARS = 4_000_000;

const LEVELS: ReadonlySet<string> = new Set<LogLevel>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const KINDS: ReadonlySet<string> = new Set<EntryKind>(['request', 'event', 'text']);
const TIME_SOURCES: ReadonlySet<string> = new Set<TimeSource>(['gateway', 'kubelet', 'request', 'ambiguous', 'none']);
const POD_STATES: ReadonlySet<string> = new Set<PodState>(['following', 'waiting', 'resuming', 'restarted', 'gone', 'error']);

type Shape = Record<string, unknown>;

function isObject(value: unknown): value is Shape {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function optional(value: unknown, check: (v: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function isGatewayLogsToHost(value: unknown): value is GatewayLogsToHost {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'gatewayLogs/ack':
      return isCount(value.batch) && isCount(value.rows);
    case 'gatewayLogs/clear':
      return true;
    case 'gatewayLogs/requestDetails':
      return isCount(value.seq);
    case 'gatewayLogs/copy':
      return isString(value.text) && value.text.length <= MAX_COPY_CHARS;
    case 'gatewayLogs/explain':
    case 'gatewayLogs/resend':
      return isCount(value.seq);
    default:
      return false;
  }
}

export function isLogRow(value: unknown): value is LogRow {
  if (!isObject(value)) return false;
  return (
    isCount(value.seq) &&
    optional(value.time, isFiniteNumber) &&
    TIME_SOURCES.has(value.timeSource as string) &&
    optional(value.timeText, isString) &&
    optional(value.pod, isString) &&
    optional(value.level, (v) => LEVELS.has(v as string)) &&
    KINDS.has(value.kind as string) &&
    optional(value.method, isString) &&
    optional(value.path, isString) &&
    optional(value.status, isFiniteNumber) &&
    optional(value.totalTime, isFiniteNumber) &&
    optional(value.api, isString) &&
    optional(value.operation, isString) &&
    optional(value.event, isString) &&
    isString(value.message) &&
    typeof value.failed === 'boolean' &&
    optional(value.correlationId, isString) &&
    isString(value.search)
  );
}

function isPodStatus(value: unknown): value is PodStatus {
  return (
    isObject(value) &&
    isString(value.pod) &&
    POD_STATES.has(value.state as string) &&
    optional(value.restartCount, isCount) &&
    optional(value.message, isString)
  );
}

function isPodList(value: unknown): value is readonly PodStatus[] {
  return Array.isArray(value) && value.every(isPodStatus);
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every(isString);
}

const SEVERITIES: ReadonlySet<string> = new Set(['error', 'warning', 'info']);

function isFindingView(value: unknown): value is FindingView {
  return (
    isObject(value) &&
    isString(value.code) &&
    SEVERITIES.has(value.severity as string) &&
    isString(value.title) &&
    isString(value.explanation) &&
    Array.isArray(value.evidence) &&
    value.evidence.every((e) => isObject(e) && isString(e.label) && isString(e.value)) &&
    isStringList(value.fixes)
  );
}

function isExplanation(value: Shape): boolean {
  if (!isCount(value.seq)) return false;
  switch (value.state) {
    case 'busy':
    case 'error':
      return isString(value.message);
    case 'done':
      return Array.isArray(value.findings) && value.findings.every(isFindingView) && optional(value.note, isString) && optional(value.canResend, (v) => typeof v === 'boolean');
    default:
      return false;
  }
}

/**
 * An entry's line number as a reader can use it with `kubectl logs`: the number alone when it is the log's (or the
 * file's) own, otherwise saying what it counts from, so it is never taken for the pod log's line.
 */
export function entryLineText(line: number, lineWindow: number | undefined): string {
  return lineWindow === undefined ? String(line) : `${line} of the last ${lineWindow} lines read at start (--tail=${lineWindow}), not the pod log's line number`;
}

function isEntryDetails(value: unknown): value is EntryDetails {
  return (
    isObject(value) &&
    isCount(value.seq) &&
    isCount(value.line) &&
    optional(value.lineWindow, isCount) &&
    KINDS.has(value.kind as string) &&
    (value.format === 'text' || value.format === 'json') &&
    optional(value.pod, isString) &&
    optional(value.level, isString) &&
    optional(value.timestamp, isString) &&
    optional(value.kubeletTime, isString) &&
    Array.isArray(value.fields) &&
    value.fields.every((f) => Array.isArray(f) && f.length === 2 && isString(f[0]) && isString(f[1])) &&
    optional(value.lastErrorJson, isString) &&
    optional(value.errorsJson, isString) &&
    isStringList(value.raw) &&
    isStringList(value.notes)
  );
}

/**
 * The webview's check of what arrives on `message` events. Rows are checked one by one on purpose: a batch is at most
 * a few thousand rows and the check is a handful of typeof tests each.
 */
export function isGatewayLogsToWebview(value: unknown): value is GatewayLogsToWebview {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'gatewayLogs/reset':
      return (
        isString(value.title) &&
        typeof value.live === 'boolean' &&
        typeof value.ended === 'boolean' &&
        isObject(value.settings) &&
        isCount(value.settings.maxEntries) &&
        value.settings.maxEntries > 0 &&
        isCount(value.droppedBefore) &&
        isPodList(value.pods)
      );
    case 'gatewayLogs/append':
      return isCount(value.batch) && isCount(value.skipped) && Array.isArray(value.rows) && value.rows.every(isLogRow);
    case 'gatewayLogs/pods':
      return isPodList(value.pods);
    case 'gatewayLogs/notice':
      return (
        isObject(value.notice) &&
        isFiniteNumber(value.notice.time) &&
        isString(value.notice.text) &&
        optional(value.notice.pod, isString)
      );
    case 'gatewayLogs/ended':
      return true;
    case 'gatewayLogs/cleared':
      return typeof value.throughSeq === 'number' && Number.isSafeInteger(value.throughSeq) && value.throughSeq >= -1;
    case 'gatewayLogs/details':
      return isCount(value.seq) && optional(value.details, isEntryDetails);
    case 'gatewayLogs/explanation':
      return isExplanation(value);
    default:
      return false;
  }
}

// ---- Packed appends ------------------------------------------------------------------------------------------------

/** Every property of a row, in the order of a packed append's columns. */
export const PACKED_ROW_KEYS = [
  'seq',
  'time',
  'timeSource',
  'timeText',
  'pod',
  'level',
  'kind',
  'method',
  'path',
  'status',
  'totalTime',
  'api',
  'operation',
  'event',
  'message',
  'failed',
  'correlationId',
  'search',
] as const satisfies readonly (keyof LogRow)[];

/** Row properties with few distinct values, sent once per batch in `strings` and referred to by index. */
const SHARED_STRING_KEYS: ReadonlySet<keyof LogRow> = new Set<keyof LogRow>(['timeSource', 'pod', 'level', 'kind', 'method', 'api', 'operation', 'event']);
const SHARED_COLUMN = PACKED_ROW_KEYS.map((key) => SHARED_STRING_KEYS.has(key));
const MESSAGE_COLUMN = PACKED_ROW_KEYS.indexOf('message');

/** A compile-time check that no row property is left out of the columns. */
const everyRowKeyPacked: Exclude<keyof LogRow, (typeof PACKED_ROW_KEYS)[number]> extends never ? true : never = true;
void everyRowKeyPacked;

/** The message as the host posts it: an append packed into columns, anything else as it is. */
export function toWire(message: GatewayLogsToWebview): GatewayLogsWire {
  return message.type === 'gatewayLogs/append' ? packAppend(message) : message;
}

export function packAppend(message: AppendMessage): PackedAppendMessage {
  const rows = message.rows;
  const n = rows.length;
  const columns = PACKED_ROW_KEYS.map(() => new Array<unknown>(n));
  const column = (key: keyof LogRow): unknown[] => columns[PACKED_ROW_KEYS.indexOf(key)] as unknown[];
  const [seq, time, timeSource, timeText, pod, level, kind, method, path, status, totalTime, api, operation, event, text, failed, correlationId, search] = [
    column('seq'), column('time'), column('timeSource'), column('timeText'), column('pod'), column('level'), column('kind'), column('method'), column('path'),
    column('status'), column('totalTime'), column('api'), column('operation'), column('event'), column('message'), column('failed'), column('correlationId'), column('search'),
  ] as const;
  // Each property read by its name: rows come in several shapes (optional properties), and a loop over the names
  // made every read a generic keyed lookup, most of what packing cost.
  for (let i = 0; i < n; i++) {
    const row = rows[i] as LogRow;
    seq[i] = row.seq;
    time[i] = row.time ?? null;
    timeSource[i] = row.timeSource;
    timeText[i] = row.timeText ?? null;
    pod[i] = row.pod ?? null;
    level[i] = row.level ?? null;
    kind[i] = row.kind;
    method[i] = row.method ?? null;
    path[i] = row.path ?? null;
    status[i] = row.status ?? null;
    totalTime[i] = row.totalTime ?? null;
    api[i] = row.api ?? null;
    operation[i] = row.operation ?? null;
    event[i] = row.event ?? null;
    text[i] = asciiOnly(row.message);
    failed[i] = row.failed;
    correlationId[i] = row.correlationId ?? null;
    search[i] = row.search;
  }
  const strings: string[] = [];
  const index = new Map<string, number>();
  for (let k = 0; k < columns.length; k++) {
    if (!SHARED_COLUMN[k]) continue;
    const values = columns[k] as unknown[];
    // Rows in a row mostly share these values: the previous one is compared before the table is looked up.
    let last = '';
    let lastAt = -1;
    for (let i = 0; i < n; i++) {
      const value = values[i];
      if (typeof value !== 'string') continue;
      if (value !== last || lastAt < 0) {
        let at = index.get(value);
        if (at === undefined) index.set(value, (at = strings.push(value) - 1));
        last = value;
        lastAt = at;
      }
      values[i] = lastAt;
    }
  }
  return { type: 'gatewayLogs/appendPacked', batch: message.batch, skipped: message.skipped, columns, strings };
}

/**
 * A message as the packed column carries it: itself when it is ASCII, else `[escaped]` (see `escapeToAscii`). The
 * messages the host writes have a `—` or a `…` in them (an event's `message — source`), and one such character makes
 * a whole batch's JSON a two-byte string, which the extension host then encodes to UTF-8 at about half the speed of
 * an ASCII one (the search texts, most of a batch, are ASCII in the usual log).
 */
function asciiOnly(message: string): string | [string] {
  return NON_ASCII.test(message) ? [escapeToAscii(message)] : message;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** Each character above U+007F as `\uXXXX` (its UTF-16 code unit), each backslash doubled: ASCII, and reversible. */
export function escapeToAscii(text: string): string {
  // A loop rather than a replace with a callback: a message has one or two such characters, and the callback's
  // call and match array cost more than reading its thirty-odd characters.
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 && c !== BACKSLASH) continue;
    out += text.slice(from, i) + (c === BACKSLASH ? '\\\\' : `\\u${(c | 0x10000).toString(16).slice(1)}`);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

const BACKSLASH = 92;

/** The text `escapeToAscii` was given. */
export function unescapeFromAscii(text: string): string {
  return text.replace(/\\(\\|u[0-9a-f]{4})/g, (_, code: string) => (code === '\\' ? '\\' : String.fromCharCode(parseInt(code.slice(1), 16))));
}

/**
 * The append a packed one stands for, its rows checked one by one as `isGatewayLogsToWebview` checks an append's;
 * undefined when anything in it is not what `packAppend` makes.
 */
export function unpackAppend(value: unknown): AppendMessage | undefined {
  if (!isObject(value) || value.type !== 'gatewayLogs/appendPacked' || !isCount(value.batch) || !isCount(value.skipped)) return undefined;
  const { columns, strings } = value;
  if (!Array.isArray(columns) || columns.length !== PACKED_ROW_KEYS.length || !columns.every(Array.isArray)) return undefined;
  if (!isStringList(strings)) return undefined;
  const cols = columns as unknown[][];
  const n = (cols[0] as unknown[]).length;
  if (!cols.every((c) => c.length === n)) return undefined;
  const rows = new Array<LogRow>(n);
  for (let i = 0; i < n; i++) {
    const row: Shape = {};
    for (let k = 0; k < PACKED_ROW_KEYS.length; k++) {
      let v = (cols[k] as unknown[])[i];
      if (v === null || v === undefined) continue;
      if (k === MESSAGE_COLUMN && Array.isArray(v)) {
        // A message escaped to ASCII (`asciiOnly`): exactly one string, else the row check refuses it.
        v = v.length === 1 && typeof v[0] === 'string' ? unescapeFromAscii(v[0]) : v;
      }
      if (SHARED_COLUMN[k]) {
        // An index that is not one of `strings` leaves the property unset (or a number), which the row check refuses.
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= strings.length) return undefined;
        v = strings[v];
      }
      row[PACKED_ROW_KEYS[k] as string] = v;
    }
    if (!isLogRow(row)) return undefined;
    rows[i] = row;
  }
  return { type: 'gatewayLogs/append', batch: value.batch, skipped: value.skipped, rows };
}

/** The webview's check of what arrives: a host message, or a packed append (fully checked when unpacked). */
export function isGatewayLogsWire(value: unknown): value is GatewayLogsWire {
  return isObject(value) && (value.type === 'gatewayLogs/appendPacked' ? Array.isArray(value.columns) : isGatewayLogsToWebview(value));
}
