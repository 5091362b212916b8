// The gateway's stdout: events and request records in the dialect of the simulated build and the configured format.
// Shapes come from real logs: 1.x (seed blog, 2021), early 2.x (Aug 2023), later 2.x (Jan 2025) and the JSON lines
// of 2.x issues (#307, #328, #386). Each physical line goes to the sink separately, as the kubelet records them.
import type { StdLogSettings } from './config.ts';
import type { LogDialect } from './version.ts';

export type EventLevel = 'Verbose' | 'Info' | 'Warn' | 'Error' | 'Fatal';

export interface GatewayEvent {
  level: EventLevel;
  name: string;
  message?: string;
  source?: string;
}

/** A request's lastError, in the key order the gateway writes it. */
export interface LastError {
  elapsed?: number;
  source: string;
  path?: string;
  reason: string;
  message: string;
  section: string;
}

/** One request record; optional fields are written only when the gateway knows them, in this order. */
export interface RequestRecord {
  isRequestSuccess: boolean;
  totalTime: number;
  callerIpAddress: string;
  timeGenerated: Date;
  region: string;
  correlationId: string;
  method: string;
  url: string;
  backendResponseCode?: number;
  responseCode: number;
  responseSize: number;
  cache: 'none' | 'hit' | 'miss';
  backendTime?: number;
  apiId?: string;
  operationId?: string;
  productId?: string;
  apimSubscriptionId?: string;
  clientTime?: number;
  clientProtocol: string;
  backendProtocol?: string;
  apiRevision?: string;
  clientTlsVersion?: string;
  backendMethod?: string;
  backendUrl?: string;
  lastError?: LastError;
}

const RANK: Record<EventLevel, number> = { Verbose: 1, Info: 2, Warn: 3, Error: 4, Fatal: 5 };
const THRESHOLD: Record<StdLogSettings['level'], number> = { all: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };
// JSON output names levels after System.Diagnostics.Tracing.EventLevel (issue #328 shows "Verbose").
const JSON_LEVEL: Record<EventLevel, string> = { Verbose: 'Verbose', Info: 'Informational', Warn: 'Warning', Error: 'Error', Fatal: 'Critical' };
const COLOR: Record<EventLevel, string> = { Verbose: '\u001b[90m', Info: '\u001b[32m', Warn: '\u001b[33m', Error: '\u001b[31m', Fatal: '\u001b[41;97m' };
const RESET = '\u001b[0m';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * 1.x: month padded, day not, hour on a 12-hour clock without AM/PM (`2021-06-3T03:25:37.815` for 15:25 UTC).
 * 2.x: ISO-like and padded, 24-hour (`2023-08-25T10:56:03.147`).
 */
export function formatTextTimestamp(at: Date, dialect: LogDialect): string {
  const y = at.getUTCFullYear();
  const mo = pad(at.getUTCMonth() + 1);
  const ms = pad(at.getUTCMilliseconds(), 3);
  const mi = pad(at.getUTCMinutes());
  const s = pad(at.getUTCSeconds());
  if (dialect === 'v1') {
    const h12 = ((at.getUTCHours() + 11) % 12) + 1;
    return `${y}-${mo}-${at.getUTCDate()}T${pad(h12)}:${mi}:${s}.${ms}`;
  }
  return `${y}-${mo}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${mi}:${s}.${ms}`;
}

/** .NET's round-trip format: seven fractional digits and a Z. */
export function formatJsonTimestamp(at: Date): string {
  return at.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** 1.x writes timeGenerated in the invariant culture's general format, 24-hour: `06/03/2021 15:25:37`. */
function formatV1TimeGenerated(at: Date): string {
  return `${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
}

export function formatEventText(event: GatewayEvent, at: Date, dialect: LogDialect, color = false): string {
  const level = color ? `${COLOR[event.level]}[${event.level}]${RESET}` : `[${event.level}]`;
  let line = `${level} ${formatTextTimestamp(at, dialect)} [${event.name}]`;
  if (event.message !== undefined) line += `, message: ${event.message}`;
  if (event.source !== undefined) line += `, source: ${event.source}`;
  return line;
}

export function formatEventJson(event: GatewayEvent, at: Date): string {
  const o: Record<string, string> = { level: JSON_LEVEL[event.level], timestamp: formatJsonTimestamp(at), eventType: event.name };
  if (event.message !== undefined) o['message'] = event.message;
  if (event.source !== undefined) o['source'] = event.source;
  return JSON.stringify(o);
}

type Field = [key: string, value: string | number | boolean | Date | LastError];

function recordFields(r: RequestRecord): Field[] {
  const fields: Field[] = [
    ['isRequestSuccess', r.isRequestSuccess],
    ['totalTime', r.totalTime],
    ['category', 'GatewayLogs'],
    ['callerIpAddress', r.callerIpAddress],
    ['timeGenerated', r.timeGenerated],
    ['region', r.region],
    ['correlationId', r.correlationId],
    ['method', r.method],
    ['url', r.url],
  ];
  const optional = (key: keyof RequestRecord) => {
    const value = r[key];
    if (value !== undefined) fields.push([key, value]);
  };
  optional('backendResponseCode');
  fields.push(['responseCode', r.responseCode], ['responseSize', r.responseSize], ['cache', r.cache]);
  for (const key of ['backendTime', 'apiId', 'operationId', 'productId', 'apimSubscriptionId', 'clientTime'] as const) optional(key);
  fields.push(['clientProtocol', r.clientProtocol]);
  for (const key of ['backendProtocol', 'apiRevision', 'clientTlsVersion', 'backendMethod', 'backendUrl', 'lastError'] as const) optional(key);
  return fields;
}

function textValue(key: string, value: Field[1], dialect: LogDialect): string {
  if (value instanceof Date) return dialect === 'v1' ? formatV1TimeGenerated(value) : formatTextTimestamp(value, dialect);
  if (typeof value === 'boolean') return dialect === 'v2-quoted' ? String(value) : value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return dialect === 'v2-quoted' && key !== 'timeGenerated' ? JSON.stringify(value) : value;
  return JSON.stringify(value, null, 2);
}

/** A record as text: several physical lines when it carries a lastError. */
export function formatRecordText(r: RequestRecord, at: Date, dialect: LogDialect, color = false): string {
  const level = color ? `${COLOR.Info}[Info]${RESET}` : '[Info]';
  const head = dialect === 'v1' ? `${level} ${formatTextTimestamp(at, dialect)}` : `${level} ${formatTextTimestamp(at, dialect)} [GatewayLogs]`;
  const body = recordFields(r)
    .map(([key, value]) => `${key}: ${textValue(key, value, dialect)}`)
    .join(', ');
  // 2.x repeats the correlation id, bare, after everything else (both the 2023 and the 2025 logs do).
  const tail = dialect === 'v1' ? '' : `, correlationId: ${r.correlationId}`;
  return `${head}, ${body}${tail}`;
}

export function formatRecordJson(r: RequestRecord): string {
  const o: Record<string, unknown> = {};
  for (const [key, value] of recordFields(r)) o[key] = value instanceof Date ? formatJsonTimestamp(value) : value;
  return JSON.stringify(o);
}

export class GatewayLog {
  readonly #sink: (line: string) => void;
  readonly #settings: StdLogSettings;
  readonly #dialect: LogDialect;
  readonly #now: () => Date;

  constructor(sink: (line: string) => void, settings: StdLogSettings, dialect: LogDialect, now: () => Date) {
    this.#sink = sink;
    this.#settings = settings;
    this.#dialect = dialect;
    this.#now = now;
  }

  get dialect(): LogDialect {
    return this.#dialect;
  }

  /** Console output that bypasses the log pipeline (banner, ASP.NET hosting lines): written in every format. */
  raw(text: string): void {
    for (const line of text.split('\n')) this.#sink(line);
  }

  enabled(level: EventLevel): boolean {
    return this.#settings.format !== 'none' && RANK[level] >= THRESHOLD[this.#settings.level];
  }

  event(event: GatewayEvent, at: Date = this.#now()): void {
    if (!this.enabled(event.level)) return;
    this.#sink(this.#settings.format === 'json' ? formatEventJson(event, at) : formatEventText(event, at, this.#dialect, this.#settings.color));
  }

  info(name: string, message?: string, source?: string): void {
    this.event({ level: 'Info', name, ...(message === undefined ? {} : { message }), ...(source === undefined ? {} : { source }) });
  }

  /** Records are stamped with the request's arrival but written when it ends, so they can precede earlier lines. */
  request(record: RequestRecord, startedAt: Date): void {
    if (!this.enabled('Info')) return;
    if (this.#settings.format === 'json') this.#sink(formatRecordJson(record));
    else this.raw(formatRecordText(record, startedAt, this.#dialect, this.#settings.color));
  }
}
