// Reads the gateway container's stdout (1.x and 2.x, text and JSON) into entries. Pure: runs in the extension host
// and in the webview. See README.md in this folder for the formats and the entry model.
//
// The parser works a physical line at a time and decides what a line is from that line and the entry before it,
// never from what follows; so the entries do not depend on how the text was cut into chunks. The price is that the
// newest entry is held back until the next line (or `end()`), because that line may still belong to it (a stack
// frame, the rest of a `lastError`).

import { FieldBuilder } from './fields.ts';
import { fillFromJson, readJsonLine } from './json.ts';
import { KvScanner, MAX_FIELDS, keyAt } from './kv.ts';
import { MAX_LEVEL_NAME_LENGTH, normalizeLevel } from './levels.ts';
import type { GatewayLogEntry, LogLevel } from './model.ts';
import { buildRequest, looksLikeRequest } from './request.ts';
import { parseTimestamp } from './timestamp.ts';

export type {
    EntryFormat,
    EntryKind,
    GatewayError,
    GatewayLogEntry,
    GatewayRequest,
    LogLevel,
    LogTimestamp,
} from './model.ts';
export { isFailedRequest, statusClass } from './request.ts';
export type { StatusClass } from './request.ts';
export { normalizeLevel } from './levels.ts';
export { parseTimestamp } from './timestamp.ts';

/**
 * Lines an unclosed `lastError: {` / `errors: [` may take before the record is closed anyway. Real values are a
 * few dozen lines; the bound stops a truncated record from swallowing the rest of a log.
 */
export const MAX_OPEN_VALUE_LINES = 1000;
export { MAX_FIELDS } from './kv.ts';

const SPACE = 32;
const TAB = 9;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const QUOTE = 34;

/** Removes ANSI escape sequences (CSI `ESC [ … final`, two-byte `ESC x`); any other ESC is dropped on its own. */
export function stripAnsi(s: string): string {
    let i = s.indexOf('\x1b');
    if (i < 0) {
        return s;
    }
    let out = '';
    let from = 0;
    while (i >= 0) {
        out += s.slice(from, i);
        let j = i + 1;
        if (s.charCodeAt(j) === OPEN_BRACKET) {
            j++;
            while (j < s.length && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x3f) {
                j++;
            }
            while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) {
                j++;
            }
            if (j < s.length && s.charCodeAt(j) >= 0x40 && s.charCodeAt(j) <= 0x7e) {
                j++;
            }
        } else if (j < s.length && s.charCodeAt(j) >= 0x40 && s.charCodeAt(j) <= 0x5f) {
            j++;
        }
        from = j;
        i = s.indexOf('\x1b', j);
    }
    return out + s.slice(from);
}

const ASPNET_LEVELS: ReadonlyMap<string, LogLevel> = new Map([
    ['trce', 'trace'],
    ['dbug', 'debug'],
    ['info', 'info'],
    ['warn', 'warn'],
    ['fail', 'error'],
    ['crit', 'fatal'],
]);

/** ASP.NET Core's console logger writes `info: Category[eventId]` and the message on indented lines below. */
const ASPNET_INDENT = '      ';

/**
 * The entry still open to continuation lines. One instance per parser, reset for each entry: a fresh object per line
 * showed up as garbage-collector time on large logs.
 */
interface Pending {
    entry: GatewayLogEntry | undefined;
    /** Present while the entry's fields come from a `, key: value` list. */
    kv: KvScanner | undefined;
    /** Untagged 1.x records: request or event is known only once the fields are read. */
    kindFromFields: boolean;
    openLines: number;
    /** ANSI-free continuation lines of an ASP.NET console entry (its message). */
    aspNetLines: string[] | undefined;
}

/** Event names, sources and level spellings repeat on nearly every line; entries share one copy of each. */
const MAX_INTERNED = 4096;

function isDigit(c: number): boolean {
    return c >= 48 && c <= 57;
}

function note(entry: GatewayLogEntry, text: string): void {
    (entry.notes ??= []).push(text);
}

interface LevelHead {
    level: LogLevel;
    raw: string;
    /** Index just past the closing bracket. */
    end: number;
}

/** `[Level]` at the start of the line: the shape every text-format gateway entry has. */
function levelHead(s: string): LevelHead | undefined {
    if (s.charCodeAt(0) !== OPEN_BRACKET) {
        return undefined;
    }
    const close = s.indexOf(']', 1);
    if (close < 2 || close > MAX_LEVEL_NAME_LENGTH + 1) {
        return undefined;
    }
    const raw = s.slice(1, close);
    const level = normalizeLevel(raw);
    return level ? { level, raw, end: close + 1 } : undefined;
}

/** A line that begins a new entry even in the middle of a multi-line value. */
function startsEntry(s: string): boolean {
    const c = s.charCodeAt(0);
    if (c === OPEN_BRACKET) {
        return levelHead(s) !== undefined;
    }
    return c === OPEN_BRACE && s.charCodeAt(1) === QUOTE;
}

function isStackLine(s: string): boolean {
    let i = 0;
    while (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB) {
        i++;
    }
    if (i > 0 && s.startsWith('at ', i)) {
        return true;
    }
    return s.startsWith('---> ', i) || s.startsWith('--- End of', i);
}

/** A source is one token up to the end of the line (`events.snapshot.storage.private`); text with spaces is message. */
function isSourceToken(s: string, from: number): boolean {
    const length = s.length - from;
    if (length <= 0 || length > 256) {
        return false;
    }
    for (let i = from; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === SPACE || c === 44) {
            return false;
        }
    }
    return true;
}

export class GatewayLogParser {
    private carry: string[] = [];
    private lineNo = 0;
    private readonly pending: Pending = {
        entry: undefined,
        kv: undefined,
        kindFromFields: false,
        openLines: 0,
        aspNetLines: undefined,
    };
    private readonly names = new Map<string, string>();
    private readonly fieldBuilder = new FieldBuilder();

    private intern(s: string): string {
        const known = this.names.get(s);
        if (known !== undefined) {
            return known;
        }
        if (this.names.size < MAX_INTERNED) {
            this.names.set(s, s);
        }
        return s;
    }

    /** Parses the next piece of the stream; returns the entries that are now complete. */
    push(chunk: string): GatewayLogEntry[] {
        const out: GatewayLogEntry[] = [];
        let start = 0;
        for (;;) {
            const nl = chunk.indexOf('\n', start);
            if (nl < 0) {
                break;
            }
            let line = chunk.slice(start, nl);
            if (this.carry.length > 0) {
                this.carry.push(line);
                line = this.carry.join('');
                this.carry = [];
            }
            if (line.charCodeAt(line.length - 1) === 13) {
                line = line.slice(0, -1);
            }
            this.handle(line, out);
            start = nl + 1;
        }
        if (start < chunk.length) {
            // Kept as pieces: joining on every push would make one long line arriving in many chunks quadratic.
            this.carry.push(start === 0 ? chunk : chunk.slice(start));
        }
        return out;
    }

    /** Ends the stream: parses an unterminated last line and returns every entry still held. Resets the parser. */
    end(): GatewayLogEntry[] {
        const out: GatewayLogEntry[] = [];
        if (this.carry.length > 0) {
            const line = this.carry.join('');
            this.carry = [];
            this.handle(line, out);
        }
        if (this.pending.entry) {
            out.push(this.finish(this.pending, this.pending.entry));
        }
        this.lineNo = 0;
        return out;
    }

    private handle(line: string, out: GatewayLogEntry[]): void {
        const n = ++this.lineNo;
        const s = stripAnsi(line);
        const p = this.pending;
        const entry = p.entry;
        if (entry) {
            if (p.kv?.isOpen) {
                if (p.openLines < MAX_OPEN_VALUE_LINES && !startsEntry(s)) {
                    entry.raw.push(line);
                    p.openLines++;
                    p.kv.resume(s);
                    return;
                }
            } else if (p.aspNetLines && s.startsWith(ASPNET_INDENT)) {
                entry.raw.push(line);
                p.aspNetLines.push(s);
                return;
            } else if (isStackLine(s)) {
                entry.raw.push(line);
                return;
            }
            out.push(this.finish(p, entry));
        }
        this.begin(line, s, n);
    }

    private begin(line: string, s: string, n: number): void {
        const entry: GatewayLogEntry = { kind: 'text', format: 'text', line: n, raw: [line], fields: {} };
        const p = this.pending;
        p.entry = entry;
        p.kv = undefined;
        p.kindFromFields = false;
        p.openLines = 0;
        p.aspNetLines = undefined;
        const c = s.charCodeAt(0);
        if (c === OPEN_BRACKET) {
            const head = levelHead(s);
            if (head) {
                this.textRecord(p, entry, s, head);
                return;
            }
        } else if (c === OPEN_BRACE) {
            const json = readJsonLine(s);
            if (json && fillFromJson(entry, json.obj)) {
                if (json.trailing) {
                    note(entry, 'text after the JSON object was not read');
                }
                return;
            }
            note(entry, json ? 'JSON nested too deeply to read' : 'starts like JSON but is not a complete JSON object');
        } else if (this.aspNetHead(p, entry, s)) {
            return;
        }
        entry.message = s;
    }

    /** `[Level] timestamp [Event], key: value, …` and the untagged 1.x request `[Level] timestamp, key: …`. */
    private textRecord(p: Pending, entry: GatewayLogEntry, s: string, head: LevelHead): void {
        entry.kind = 'event';
        entry.level = head.level;
        entry.levelRaw = this.intern(head.raw);
        let i = head.end;
        while (s.charCodeAt(i) === SPACE) {
            i++;
        }
        if (isDigit(s.charCodeAt(i))) {
            let e = i;
            while (e < s.length) {
                const c = s.charCodeAt(e);
                if (c === SPACE || c === 44 || c === OPEN_BRACKET) {
                    break;
                }
                e++;
            }
            const ts = parseTimestamp(s.slice(i, e));
            if (ts) {
                entry.timestamp = ts;
                i = e;
                while (s.charCodeAt(i) === SPACE) {
                    i++;
                }
            }
        }
        if (s.charCodeAt(i) === OPEN_BRACKET) {
            let e = i + 1;
            while (e < s.length && s.charCodeAt(e) !== CLOSE_BRACKET && s.charCodeAt(e) !== SPACE) {
                e++;
            }
            if (e > i + 1 && s.charCodeAt(e) === CLOSE_BRACKET) {
                entry.event = this.intern(s.slice(i + 1, e));
                i = e + 1;
            }
        }
        const isRequest = entry.event === 'GatewayLogs';
        if (isRequest) {
            entry.kind = 'request';
        }
        const listAt = s.charCodeAt(i) === 44 && s.charCodeAt(i + 1) === SPACE && keyAt(s, i + 2) >= 0 ? i + 2 : -1;
        if (listAt < 0) {
            if (i < s.length) {
                entry.message = s.slice(i).trimStart();
            }
            if (isRequest) {
                entry.request = {};
            }
            return;
        }
        if (entry.event !== undefined && !isRequest && this.eventList(entry, s, listAt)) {
            return;
        }
        p.kv = new KvScanner();
        p.kindFromFields = entry.event === undefined;
        p.kv.scan(s, listAt);
    }

    /**
     * The event list `message: …, source: X`. Messages hold `: ` and `, ` of their own (`key: scope: System, id:
     * system, revision: 1`), so only the known keys split it: the last `, source: <token>` and a `, exception: `.
     * Returns false for lists with other keys, which the generic scanner reads.
     */
    private eventList(entry: GatewayLogEntry, s: string, at: number): boolean {
        let end = s.length;
        let source: string | undefined;
        const si = s.lastIndexOf(', source: ');
        if (si >= at && isSourceToken(s, si + 10)) {
            source = this.intern(s.slice(si + 10));
            end = si;
        } else if (s.startsWith('source: ', at) && isSourceToken(s, at + 8)) {
            source = this.intern(s.slice(at + 8));
            end = at;
        }
        let message: string | undefined;
        let exception: string | undefined;
        if (s.startsWith('message:', at)) {
            const from = s.charCodeAt(at + 8) === SPACE ? at + 9 : at + 8;
            const ei = from <= end ? s.indexOf(', exception: ', from) : -1;
            if (ei >= 0 && ei < end) {
                message = s.slice(from, ei);
                exception = s.slice(ei + 13, end);
            } else {
                message = from <= end ? s.slice(from, end) : '';
            }
        } else if (s.startsWith('exception:', at)) {
            const from = s.charCodeAt(at + 10) === SPACE ? at + 11 : at + 10;
            exception = from <= end ? s.slice(from, end) : '';
        } else if (end !== at) {
            return false;
        }
        if (message !== undefined) {
            entry.fields['message'] = message;
            entry.message = message;
        }
        if (exception !== undefined) {
            entry.fields['exception'] = exception;
        }
        if (source !== undefined) {
            entry.fields['source'] = source;
            entry.source = source;
        }
        return true;
    }

    private aspNetHead(p: Pending, entry: GatewayLogEntry, s: string): boolean {
        if (s.charCodeAt(4) !== 58 || s.charCodeAt(5) !== SPACE || s.charCodeAt(s.length - 1) !== CLOSE_BRACKET) {
            return false;
        }
        const level = ASPNET_LEVELS.get(s.slice(0, 4));
        const open = s.lastIndexOf('[');
        if (!level || open <= 6 || s.indexOf(' ', 6) >= 0) {
            return false;
        }
        for (let i = open + 1; i < s.length - 1; i++) {
            if (!isDigit(s.charCodeAt(i))) {
                return false;
            }
        }
        entry.kind = 'event';
        entry.level = level;
        entry.levelRaw = s.slice(0, 4);
        entry.source = s.slice(6, open);
        entry.fields['category'] = entry.source;
        entry.fields['eventId'] = s.slice(open + 1, -1);
        p.aspNetLines = [];
        return true;
    }

    private finish(p: Pending, entry: GatewayLogEntry): GatewayLogEntry {
        p.entry = undefined;
        const kv = p.kv;
        if (kv) {
            if (kv.isOpen) {
                kv.abandon();
                note(entry, `the JSON value of '${kv.abandonedKey ?? ''}' never closed; kept as read`);
            }
            if (kv.tooManyFields) {
                note(entry, `more than ${MAX_FIELDS} fields; the rest of the line is the last field's value`);
            }
            entry.fields = this.fieldBuilder.build(kv.keys, kv.values);
            if (entry.kind === 'request' || (p.kindFromFields && looksLikeRequest(kv.keys, kv.values))) {
                entry.kind = 'request';
                entry.request = buildRequest(kv.keys, kv.values);
            } else {
                const fields = entry.fields;
                if (Object.hasOwn(fields, 'message')) {
                    entry.message = fields['message'];
                }
                if (Object.hasOwn(fields, 'source')) {
                    entry.source = fields['source'];
                }
            }
        }
        if (p.aspNetLines && p.aspNetLines.length > 0) {
            entry.message = p.aspNetLines.map((l) => l.slice(ASPNET_INDENT.length)).join('\n');
        }
        return entry;
    }
}

/** Parses a whole log at once; the same entries as pushing it in any pieces and calling `end()`. */
export function parseGatewayLog(text: string): GatewayLogEntry[] {
    const parser = new GatewayLogParser();
    const entries = parser.push(text);
    for (const e of parser.end()) {
        entries.push(e);
    }
    return entries;
}
