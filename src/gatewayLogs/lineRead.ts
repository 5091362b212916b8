// What a view's row needs of a one-line lazy entry (a large file's `[Level] … [Event], key: value, …` record), read
// from its line without the full parse: the request of a request record, the message and source of an event. The
// full parse builds the entry's every field (a record of ~20 properties, its layout bookkeeping) only for the row to
// let it go; this reads the list with one pattern per layout and types the values a row reads with the request
// builder's own readers (`asNumber`, `asBoolean`).
// Pure: no vscode, no Node APIs.
//
// It takes only the simple shape, where the parser's rules cannot read the line otherwise (narrower than what
// `kv.ts` › layoutPattern takes): every value unquoted and free of commas (so the next `, key: ` is its only end), none opening
// JSON, no key written twice, no ANSI code, no prefix the parser would take off. Anything else answers undefined and
// the caller reads the entry fully. `test/unit/panels/rows.test.ts` compares the rows of both ways on every fixture
// and on generated lines.

import type { GatewayRequest, LogTimestamp } from './entry.ts';
import { scanHead } from './head.ts';
import { keyAt } from './kv.ts';
import type { LazyEntry } from './lazy.ts';
import { RecentNames, levelClose } from './parser.ts';
import { asBoolean, asNumber } from './request.ts';

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
    /** A request record's request: the properties a row reads (method, url, responseCode, totalTime, apiId,
     * operationId, correlationId, isRequestSuccess), each undefined where the record has none. */
    request?: GatewayRequest;
    /** An event's message and source, and its fields (message, exception, source: all an event list holds). */
    message?: string;
    source?: string;
    fields?: Record<string, string>;
}

const names = new RecentNames();
/** The last list layout read (a log repeats a few). */
let layout: Layout | undefined;

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
        // Without a clear own time the row reads the request's `timeGenerated`, which this reader does not build.
        const request = listAt >= 0 && timestamp?.value !== undefined && !timestamp.hourAmbiguous ? readRequest(s, listAt) : undefined;
        return request ? { timestamp, request } : undefined;
    }
    if (listAt < 0) {
        // No list: the rest of the line is the message (`textRecord`).
        return i < s.length ? { timestamp, message: s.slice(i).trimStart(), fields: {} } : { timestamp, fields: {} };
    }
    return readEventList(s, listAt, timestamp);
}

/** The request properties a row reads, by the key that sets them (`applyCode` in request.ts). */
const ROW_KEYS = ['method', 'url', 'responseCode', 'totalTime', 'apiId', 'operationId', 'correlationId', 'isRequestSuccess'] as const;
/** Keys whose request property a row reads but this reader does not build: a layout with them is read fully. */
const FULL_READ_KEYS: ReadonlySet<string> = new Set(['lastError', 'errors']);

interface Layout {
    /** Per row key (in `ROW_KEYS` order), its place among the pattern's groups (1…), or 0. */
    groups: Int32Array;
    pattern: RegExp;
}

/**
 * The request properties a row reads of the list at `at`, as `KvScanner.scan` reads it and the parser's request
 * builder types it (no key is repeated, so each property is its key's value read as its type); undefined when the
 * list is not simple, or holds a `lastError` or `errors` (read fully).
 */
function readRequest(s: string, at: number): GatewayRequest | undefined {
    // The last layout's pattern reads the whole list in one call when the line has exactly its keys.
    let read = layout;
    let match = read !== undefined ? matchAt(read, s, at) : null;
    if (read === undefined || match === null) {
        read = layout = learnLayout(s, at);
        match = read !== undefined ? matchAt(read, s, at) : null;
        if (read === undefined || match === null) {
            return undefined;
        }
    }
    const g = read.groups;
    const value = (k: number): string | undefined => (g[k] ? match[g[k]] : undefined);
    return {
        method: value(0),
        url: value(1),
        responseCode: asNumber(value(2)),
        totalTime: asNumber(value(3)),
        apiId: value(4),
        operationId: value(5),
        correlationId: value(6),
        isRequestSuccess: asBoolean(value(7)),
    };
}

function matchAt(read: Layout, s: string, at: number): RegExpExecArray | null {
    read.pattern.lastIndex = at;
    return read.pattern.exec(s);
}

/** The layout of the list at `at` when it is simple (see the file's head); undefined otherwise. */
function learnLayout(s: string, at: number): Layout | undefined {
    const keys: string[] = [];
    let p = at;
    for (;;) {
        const colon = keyAt(s, p);
        if (colon < 0 || keys.length === MAX_KEYS) {
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
        keys.push(s.slice(p, colon));
        const comma = s.indexOf(',', v);
        if (comma < 0) {
            break;
        }
        if (s.charCodeAt(comma + 1) !== SPACE) {
            return undefined;
        }
        // A comma that does not start the next `, key: ` would be part of the value: `keyAt` fails there next round.
        p = comma + 2;
    }
    if (new Set(keys).size !== keys.length || keys.some((key) => FULL_READ_KEYS.has(key))) {
        return undefined;
    }
    const groups = new Int32Array(ROW_KEYS.length);
    let group = 0;
    const parts = keys.map((key) => {
        const k = (ROW_KEYS as readonly string[]).indexOf(key);
        if (k >= 0) {
            groups[k] = ++group;
        }
        // A value as the loop above reads it: not starting with a quote or a bracket (one space after the colon is
        // the separator, as the scanner takes it), no comma.
        return `${key.replace(/[.-]/g, '\\$&')}: (?!["{\\[])${k >= 0 ? '(' : '(?:'}[^,]*)`;
    });
    return { groups, pattern: new RegExp(`${parts.join(', ')}$`, 'y') };
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
    // The list starts with `message:` (which may hold an `, exception: ` part) or `exception:`, or it is the source
    // alone; any other key makes it a generic list.
    const first = s.startsWith('message:', at) ? 'message' : s.startsWith('exception:', at) ? 'exception' : undefined;
    if (first === undefined && end !== at) {
        return undefined;
    }
    let message: string | undefined;
    let exception: string | undefined;
    if (first !== undefined) {
        const colon = at + first.length + 1;
        const from = s.charCodeAt(colon) === SPACE ? colon + 1 : colon;
        const value = from <= end ? s.slice(from, end) : '';
        const cut = first === 'message' ? value.indexOf(', exception: ') : -1;
        if (first === 'exception') {
            exception = value;
        } else if (cut >= 0) {
            message = value.slice(0, cut);
            exception = value.slice(cut + 13);
        } else {
            message = value;
        }
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
