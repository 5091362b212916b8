// The entry model shared by the parser, the log views and diagnosis. Pure data: no vscode, no Node APIs.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export type EntryKind = 'request' | 'event' | 'text';

/** Which of the gateway's output syntaxes the entry was read from (`telemetry.logs.std`). */
export type EntryFormat = 'text' | 'json';

export interface LogTimestamp {
    /** Exactly as written (quotes removed). */
    raw: string;
    /** Epoch milliseconds; absent when the text is not a valid date. */
    value?: number;
    /** The text carried no zone (`Z` / `±hh:mm`), so `value` reads it as UTC. */
    assumedUtc: boolean;
    /**
     * The text has the unpadded-day shape of gateway 1.x (`2021-06-3T03:25:12.570`). That format writes the hour on a
     * 12-hour clock without AM/PM (the seed log's request at `03:25:37.815` has `timeGenerated: 06/03/2021 15:25:37`),
     * so the real time may be `value` + 12 h. `value` is kept as written; order and gaps within one log stay usable.
     */
    hourAmbiguous?: true;
}

/** One element of a request record's `lastError` / `errors`. Unknown keys are kept as they came. */
export interface GatewayError {
    elapsed?: number;
    source?: string;
    path?: string;
    reason?: string;
    message?: string;
    section?: string;
    scope?: string;
    [key: string]: unknown;
}

/** The typed view of a per-request record (category GatewayLogs). Every property is optional: versions differ. */
export interface GatewayRequest {
    correlationId?: string;
    method?: string;
    url?: string;
    responseCode?: number;
    backendResponseCode?: number;
    totalTime?: number;
    backendTime?: number;
    clientTime?: number;
    apiId?: string;
    operationId?: string;
    apiRevision?: string;
    clientProtocol?: string;
    backendProtocol?: string;
    backendMethod?: string;
    backendUrl?: string;
    isRequestSuccess?: boolean;
    cache?: string;
    region?: string;
    callerIpAddress?: string;
    responseSize?: number;
    apimSubscriptionId?: string;
    timeGenerated?: LogTimestamp;
    lastError?: GatewayError;
    errors?: GatewayError[];
}

export interface LineOrigin {
    pod?: string;
    container?: string;
    /** When the container runtime received the line (`--timestamps`). */
    time?: LogTimestamp;
}

export interface GatewayLogEntry {
    kind: EntryKind;
    format: EntryFormat;
    /** 1-based number of the entry's first physical line in the stream. */
    line: number;
    /** Every physical line of the entry, without its line terminator, ANSI codes kept. */
    raw: string[];
    level?: LogLevel;
    /** The level as written (`Info`, `Informational`, `warn`, …). */
    levelRaw?: string;
    timestamp?: LogTimestamp;
    /** The bracketed event name (`ComponentStarting`, `GatewayLogs`) or a JSON record's `eventType`. */
    event?: string;
    message?: string;
    source?: string;
    /**
     * Every key/value of the record in the order written, values as strings (quotes removed, nested JSON as its
     * text). A key repeated within one record is stored again as `key#2`, `key#3`, so nothing is lost.
     */
    fields: Record<string, string>;
    request?: GatewayRequest;
    /**
     * Where the line came from, when a `kubectl logs --prefix` (`[pod/<pod>/<container>] `) or `--timestamps`
     * (`<RFC 3339> `) prefix said so; the prefix is not part of the entry's fields.
     */
    origin?: LineOrigin;
    /** What the parser could not read cleanly (unclosed JSON, trailing text after JSON, …). */
    notes?: string[];
}
