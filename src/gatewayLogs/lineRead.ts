// What a view's row needs of a one-line lazy entry (a large file's `[Level] … [Event], key: value, …` record), read
// from its line without the full parse: the request of a request record, the message and source of an event. The
// full parse builds the entry's every field (a record of ~20 properties, its layout bookkeeping) only for the row to
// let it go; this reads the list in one pass and builds the request with the parser's own `buildRequestPlanned`.
// Pure: no vscode, no Node APIs.
//
// It takes only the simple shape, where the parser's rules cannot read the line otherwise (`kv.ts` › layoutPattern
// takes the same): every value unquoted and free of commas (so the next `, key: ` is its only end), none opening
// JSON, no key written twice, no ANSI code, no prefix the parser would take off. Anything else answers undefined and
// the caller reads the entry fully. `test/unit/panels/rows.test.ts` compares the rows of both ways on every fixture
// and on generated lines.

import type { GatewayRequest, LogTimestamp } from './entry.ts';
import { scanHead } from './head.ts';
import { keyAt } from './kv.ts';
import type { LazyEntry } from './lazy.ts';
import { RecentNames, levelClose } from './parser.ts';
import { buildRequestPlanned, requestPlan, type RequestPlan } from './request.ts';

const SPACE = 32;
const COMMA = 44;
const QUOTE = 34;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
/** Real records have about twenty keys; a list longer than this is left to the parser (which bounds it itself). */
const MAX_KEYS = 64;

/** What the parser reads of a one-line record besides what the lazy entry holds. */
export interface LineRead {
    timestamp: LogTimestamp | undefined;
    /** A request record's request. */
    request?: GatewayRequest;
    /** An event's message and source, and its fields (message, exception, source: all an event list holds). */
    message?: string;
    source?: string;
    fields?: Record<string, string>;
}

const names = new RecentNames();
const keys: string[] = [];
const values: string[] = [];
/** The last list layout read: its key count, request plan and pattern (a log repeats a few layouts). */
let layout: { count: number; plan: RequestPlan; pattern: RegExp } | undefined;

/** The one-line lazy entry's request or event list as `GatewayLogParser` reads the line alone; undefined when not sure. */
export function readLine(entry: LazyEntry): LineRead | undefined {
    const event = entry.event;
    if (entry.lineCount !== 1 || event === undefined) {
        return undefined;
    }
    const s = entry.text;
    const second = s.charCodeAt(1);
    // `[p` (`[pod/…]`) and `[<digit>` are prefixes the parser may take off the line; ESC begins a colour code.
    if (s.charCodeAt(0) !== OPEN_BRACKET || second === 112 || (second >= 48 && second <= 57) || s.indexOf('\x1b') >= 0) {
        return undefined;
    }
    const close = levelClose(s);
    if (close < 0) {
        return undefined;
    }
    const head = scanHead(s, close + 1, s.length, names, false);
    if (head.event !== event) {
        return undefined;
    }
    const i = head.end;
    const listAt = s.charCodeAt(i) === COMMA && s.charCodeAt(i + 1) === SPACE && keyAt(s, i + 2) >= 0 ? i + 2 : -1;
    const timestamp = entry.peekTimestamp();
    if (event === 'GatewayLogs') {
        const request = listAt >= 0 ? readRequest(s, listAt, timestamp) : undefined;
        return request ? { timestamp, request } : undefined;
    }
    if (listAt < 0) {
        // No list: the rest of the line is the message (`textRecord`).
        return i < s.length ? { timestamp, message: s.slice(i).trimStart(), fields: {} } : { timestamp, fields: {} };
    }
    return readEventList(s, listAt, timestamp);
}

/** The list at `at` as `KvScanner.scan` reads it, made a request by the parser's plan; undefined if not simple. */
function readRequest(s: string, at: number, timestamp: LogTimestamp | undefined): GatewayRequest | undefined {
    if (layout !== undefined) {
        // The last layout's pattern reads the whole list in one call when the line has exactly its keys.
        layout.pattern.lastIndex = at;
        const match = layout.pattern.exec(s);
        if (match !== null) {
            for (let k = 0; k < layout.count; k++) {
                values[k] = match[k + 1] as string;
            }
            return buildRequestPlanned(layout.plan, values, timestamp);
        }
    }
    let count = 0;
    let p = at;
    for (;;) {
        const colon = keyAt(s, p);
        if (colon < 0 || count === MAX_KEYS) {
            return undefined;
        }
        let v = colon + 1;
        if (s.charCodeAt(v) === SPACE) {
            v++;
        }
        const c = s.charCodeAt(v);
        if (c === QUOTE || c === OPEN_BRACE || c === OPEN_BRACKET) {
            return undefined;
        }
        const comma = s.indexOf(',', v);
        keys[count] = s.slice(p, colon);
        values[count] = s.slice(v, comma < 0 ? s.length : comma);
        count++;
        if (comma < 0) {
            break;
        }
        if (s.charCodeAt(comma + 1) !== SPACE) {
            return undefined;
        }
        // A comma that does not start the next `, key: ` would be part of the value: `keyAt` fails there next round.
        p = comma + 2;
    }
    const written = keys.slice(0, count);
    if (new Set(written).size !== count || written.includes('__proto__')) {
        return undefined;
    }
    layout = { count, plan: requestPlan(written), pattern: simplePattern(written) };
    return buildRequestPlanned(layout.plan, values, timestamp);
}

/**
 * A sticky pattern for a list of exactly these keys whose values are what `readRequest` reads: not starting with a
 * quote or a bracket (one space after the colon is the separator, as the scanner takes it), no comma.
 */
function simplePattern(written: readonly string[]): RegExp {
    const value = '(?!["{\\[])([^,]*)';
    return new RegExp(`${written.map((key) => `${key.replace(/[.-]/g, '\\$&')}: ${value}`).join(', ')}$`, 'y');
}

/** Whether the rest of `s` from `from` is a source name as the parser takes it (`isSourceToken`). */
function sourceFrom(s: string, from: number): boolean {
    const length = s.length - from;
    return length > 0 && length <= 256 && s.indexOf(' ', from) < 0 && s.indexOf(',', from) < 0;
}

/**
 * The event list `message: …, source: X` as the parser's `eventList` reads it: the last `, source: <name>` and a
 * `, exception: ` split it; a list with other keys answers undefined (the parser reads it generically).
 */
function readEventList(s: string, at: number, timestamp: LogTimestamp | undefined): LineRead | undefined {
    let end = s.length;
    let source: string | undefined;
    const sourceAt = s.lastIndexOf(', source: ');
    if (sourceAt >= at && sourceFrom(s, sourceAt + 10)) {
        source = s.slice(sourceAt + 10);
        end = sourceAt;
    } else if (s.startsWith('source: ', at) && sourceFrom(s, at + 8)) {
        source = s.slice(at + 8);
        end = at;
    }
    let message: string | undefined;
    let exception: string | undefined;
    if (s.startsWith('message:', at)) {
        const from = s.charCodeAt(at + 8) === SPACE ? at + 9 : at + 8;
        const exceptionAt = from <= end ? s.indexOf(', exception: ', from) : -1;
        if (exceptionAt >= 0 && exceptionAt < end) {
            message = s.slice(from, exceptionAt);
            exception = s.slice(exceptionAt + 13, end);
        } else {
            message = from <= end ? s.slice(from, end) : '';
        }
    } else if (s.startsWith('exception:', at)) {
        const from = s.charCodeAt(at + 10) === SPACE ? at + 11 : at + 10;
        exception = from <= end ? s.slice(from, end) : '';
    } else if (end !== at) {
        return undefined;
    }
    const fields: Record<string, string> = {};
    const read: LineRead = { timestamp, fields };
    if (message !== undefined) {
        fields['message'] = message;
        read.message = message;
    }
    if (exception !== undefined) {
        fields['exception'] = exception;
    }
    if (source !== undefined) {
        fields['source'] = source;
        read.source = source;
    }
    return read;
}
