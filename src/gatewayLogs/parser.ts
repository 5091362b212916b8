// Reads the gateway container's stdout (1.x and 2.x, text and JSON) into entries. Pure: runs in the extension host
// and in the webview. See README.md in this folder for the formats and the entry model.
//
// The parser works a physical line at a time and decides what a line is from that line and the entry before it,
// never from what follows; so the entries do not depend on how the text was cut into chunks. The price is that the
// newest entry is held back until the next line (or `end()`), because that line may still belong to it (a stack
// frame, the rest of a `lastError`). `flush()` lets a live view have it earlier, at the cost of that invariance.

import { BannerGrouper } from './banner.ts';
import { FieldBuilder } from './fields.ts';
import { fillFromJson, readJsonLine } from './json.ts';
import { scanHead } from './head.ts';
import { recoverJsonLike } from './jsonLike.ts';
import { KvScanner, MAX_FIELDS, hasAt, keyAt } from './kv.ts';
import { MAX_LEVEL_NAME_LENGTH, normalizeLevel } from './levels.ts';
import type { GatewayLogEntry, LineOrigin, LogLevel } from './entry.ts';
import { REQUEST_KEYS, buildRequest, buildTextRequest, looksLikeRequest, requestPlan } from './request.ts';
import { parseTimestamp } from './timestamp.ts';

export type {
    EntryFormat,
    EntryKind,
    GatewayError,
    GatewayLogEntry,
    GatewayRequest,
    LineOrigin,
    LogLevel,
    LogTimestamp,
} from './entry.ts';
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

/**
 * Physical lines one request record may be wrapped over (by a terminal, a blog or a chat) and still be read as one,
 * and the length the joined record may reach.
 */
export const MAX_WRAPPED_LINES = 50;
export const MAX_WRAPPED_LENGTH = 65_536;

const SPACE = 32;
const TAB = 9;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const QUOTE = 34;
const CARET = 94;
const BOM = 0xfeff;

function isBlank(c: number): boolean {
    return c === SPACE || c === TAB;
}

/** Up to `count` leading spaces or tabs removed: the indentation a pasted record's head had. */
function dropIndent(s: string, count: number): string {
    let i = 0;
    while (i < count && isBlank(s.charCodeAt(i))) {
        i++;
    }
    return i === 0 ? s : s.slice(i);
}

/**
 * End of an RFC 3339 time at `i` followed by a space, as `kubectl logs --timestamps` (and `docker logs -t`) put in
 * front of every line (`2021-06-03T03:25:12.570859341Z `), or -1.
 */
function kubeletTimeEnd(s: string, i: number): number {
    // yyyy-mm-ddThh:mm:ss
    const shape = 'dddd-dd-ddTdd:dd:dd';
    for (let k = 0; k < shape.length; k++) {
        const c = s.charCodeAt(i + k);
        if (shape.charCodeAt(k) === 100 ? !isDigit(c) : c !== shape.charCodeAt(k)) {
            return -1;
        }
    }
    let j = i + shape.length;
    if (s.charCodeAt(j) === 46) {
        j++;
        while (isDigit(s.charCodeAt(j))) {
            j++;
        }
    }
    const z = s.charCodeAt(j);
    if (z === 90) {
        j++;
    } else if (z === 43 || z === 45) {
        if (!(isDigit(s.charCodeAt(j + 1)) && isDigit(s.charCodeAt(j + 2)) && s.charCodeAt(j + 3) === 58)) {
            return -1;
        }
        j += 6;
    } else {
        return -1;
    }
    return s.charCodeAt(j) === SPACE ? j : -1;
}

/** A colour code whose ESC was lost in a copy (`[32m`, `[1;31m`, or `^[[0m` as some terminals show ESC) at `i`. */
function lostColourAt(s: string, i: number): boolean {
    let j = i;
    if (s.charCodeAt(j) === CARET && s.charCodeAt(j + 1) === OPEN_BRACKET) {
        j++;
    }
    if (s.charCodeAt(j) !== OPEN_BRACKET) {
        return false;
    }
    j++;
    while (isDigit(s.charCodeAt(j)) || s.charCodeAt(j) === 59) {
        j++;
    }
    return j > i + 1 && s.charCodeAt(j) === 109;
}

/** Request keys that, written as `, key: ` or starting a line, mark the rest of a wrapped record. */
export const WRAPPED_KEY = new RegExp(`(?:^|, )(?:${REQUEST_KEYS.join('|')}|category|timeGenerated|callerIpAddress|region|responseSize|cache): `);

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

export const ASPNET_LEVELS: ReadonlyMap<string, LogLevel> = new Map([
    ['trce', 'trace'],
    ['dbug', 'debug'],
    ['info', 'info'],
    ['warn', 'warn'],
    ['fail', 'error'],
    ['crit', 'fatal'],
]);

/** The `fields` of an entry whose list is still being read; `finish` always replaces it. Frozen: never filled. */
const NO_FIELDS_YET: Record<string, string> = Object.freeze({});

/** ASP.NET Core's console logger writes `info: Category[eventId]` and the message on indented lines below. */
export const ASPNET_INDENT = '      ';

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
    /** Spaces or tabs before the entry's head (a pasted, indented log): its continuation lines lose as many. */
    indent: number;
    /** The head of a request record as read (prefixes and indentation removed), while it may go on over lines. */
    head: string | undefined;
    /** Physical lines joined to `head` because the record was wrapped. */
    wrapped: number;
    /** Length of the record's first piece, of the piece joined last, and whether every piece so far but the last
     * had the first one's length: a terminal's hard wrap, which loses no character. */
    firstWidth: number;
    lastWidth: number;
    evenWidths: boolean;
}

/**
 * Event names, sources and level spellings repeat on nearly every line; entries share one copy of each. A small
 * table indexed by length and a few characters, rather than a `Map`, which would hash every fresh copy.
 */
export class RecentNames {
    private static readonly SIZE = 1024;
    private readonly slots: string[] = new Array<string>(RecentNames.SIZE).fill('');

    get(s: string, from: number, to: number): string {
        const length = to - from;
        if (length <= 0) {
            return '';
        }
        const h =
            (length * 31 + s.charCodeAt(from) * 7 + s.charCodeAt(to - 1) * 3 + s.charCodeAt(from + (length >> 1))) &
            (RecentNames.SIZE - 1);
        // Compared in place: a name is short, and nearly always the one known, which then costs no copy.
        const known = this.slots[h] as string;
        if (known.length === length) {
            let i = 0;
            while (i < length && known.charCodeAt(i) === s.charCodeAt(from + i)) {
                i++;
            }
            if (i === length) {
                return known;
            }
        }
        const name = s.slice(from, to);
        if (length <= 256) {
            // A copy of its own (the JSON round trip makes one; a short slice is one already): a slice of a long text
            // would keep that whole text alive with it, and is slower to read.
            this.slots[h] = length < 13 ? name : (JSON.parse(JSON.stringify(name)) as string);
        }
        return name;
    }
}

function isDigit(c: number): boolean {
    return c >= 48 && c <= 57;
}

function note(entry: GatewayLogEntry, text: string): void {
    (entry.notes ??= []).push(text);
}

/**
 * Index of the `]` that closes a `[Level]` at the start of the line (the shape every text-format gateway entry
 * has), or -1. Only the first few characters are read: a level name is short. `from` and `lineEnd` give the line
 * inside a larger text.
 */
export function levelClose(s: string, from = 0, lineEnd = s.length): number {
    if (s.charCodeAt(from) !== OPEN_BRACKET) {
        return -1;
    }
    const last = Math.min(lineEnd - 1, from + MAX_LEVEL_NAME_LENGTH + 1);
    for (let i = from + 1; i <= last; i++) {
        if (s.charCodeAt(i) === CLOSE_BRACKET) {
            return i >= from + 2 ? i : -1;
        }
    }
    return -1;
}

/** Whether the line at `from` in `s` is a .NET stack line (`s` may be a whole log: the words hold no line end). */
export function isStackLine(s: string, from = 0): boolean {
    let i = from;
    while (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB) {
        i++;
    }
    // Every line after an entry is asked this: the first character settles it for nearly all of them.
    // Compared a character at a time: `hasAt` would cut a copy out of the line first.
    const c = s.charCodeAt(i);
    if (c === 97) {
        return i > from && s.charCodeAt(i + 1) === 116 && s.charCodeAt(i + 2) === SPACE;
    }
    if (c !== 45 || s.charCodeAt(i + 1) !== 45 || s.charCodeAt(i + 2) !== 45) {
        return false;
    }
    const d = s.charCodeAt(i + 3);
    return (d === 62 && s.charCodeAt(i + 4) === SPACE) || (d === SPACE && hasAt(s, '--- End of', i));
}

/** A source is one token up to the end of the line (`events.snapshot.storage.private`); text with spaces is message. */
function isSourceToken(s: string, from: number): boolean {
    const length = s.length - from;
    return length > 0 && length <= 256 && s.indexOf(' ', from) < 0 && s.indexOf(',', from) < 0;
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
        indent: 0,
        head: undefined,
        wrapped: 0,
        firstWidth: 0,
        lastWidth: 0,
        evenWidths: true,
    };
    private readonly names = new RecentNames();
    private readonly fieldBuilder = new FieldBuilder();
    private readonly scanner = new KvScanner(this.fieldBuilder);
    /** Gathers the start-up banner's lines into one entry (banner.ts). */
    private readonly banner = new BannerGrouper();
    /**
     * Whether an entry that may be part of a start-up banner (a `text` entry: plain text, JSON-like) was begun: until
     * then the grouper would only look at every entry to give them all back, a pass over every entry of a large log.
     */
    private textBegun = false;
    /** The level as written, from the last `levelAt`. */
    private levelRaw = '';
    /** What a `kubectl logs --prefix` / `--timestamps` prefix said about the line being handled. */
    private origin: LineOrigin | undefined;

    /** The level of a `[Level]` head whose `]` is at `close`, or undefined; sets `levelRaw`. */
    private levelAt(s: string, close: number): LogLevel | undefined {
        this.levelRaw = this.names.get(s, 1, close);
        return normalizeLevel(this.levelRaw);
    }

    /** A line that begins a new entry even in the middle of a multi-line value. */
    private startsEntry(s: string): boolean {
        const c = s.charCodeAt(0);
        if (c === OPEN_BRACKET) {
            const close = levelClose(s);
            return close >= 0 && this.levelAt(s, close) !== undefined;
        }
        return c === OPEN_BRACE && s.charCodeAt(1) === QUOTE;
    }

    /** Parses the next piece of the stream; returns the entries that are now complete. */
    push(chunk: string): GatewayLogEntry[] {
        const out: GatewayLogEntry[] = [];
        let start = 0;
        // The next ESC in the chunk at or after `start` (the chunk's length for none): one search answers for all
        // the lines before it, which then need no ANSI stripping.
        let esc = -1;
        for (;;) {
            const nl = chunk.indexOf('\n', start);
            if (nl < 0) {
                break;
            }
            let line: string;
            let s: string;
            let plain = false;
            if (this.carry.length === 0) {
                // The CR of a CRLF is left out of the one slice rather than cut off a second one.
                line = chunk.slice(start, nl > start && chunk.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
                if (esc < start) {
                    esc = chunk.indexOf('\x1b', start);
                    if (esc < 0) {
                        esc = chunk.length;
                    }
                }
                s = esc < nl ? stripAnsi(line) : line;
                // A line that begins with `[` and a letter other than `p` has no prefix or indentation for `unwrap`
                // to remove: seen on the whole chunk, a flat string, rather than on the line cut from it.
                const next = chunk.charCodeAt(start + 1);
                plain =
                    esc > nl &&
                    chunk.charCodeAt(start) === OPEN_BRACKET &&
                    next !== 112 &&
                    ((next >= 65 && next <= 90) || (next >= 97 && next <= 122));
            } else {
                this.carry.push(chunk.slice(start, nl));
                line = this.carry.join('');
                this.carry = [];
                if (line.charCodeAt(line.length - 1) === 13) {
                    line = line.slice(0, -1);
                }
                s = stripAnsi(line);
            }
            this.handle(line, s, out, plain);
            start = nl + 1;
        }
        if (start < chunk.length) {
            // Kept as pieces: joining on every push would make one long line arriving in many chunks quadratic.
            this.carry.push(start === 0 ? chunk : chunk.slice(start));
        }
        return this.textBegun ? this.banner.take(out) : out;
    }

    /**
     * For a live tail that has gone quiet: returns the held newest entry now instead of when the next line arrives,
     * unless it is inside a multi-line JSON value (`lastError: {` not yet closed), which the next lines must finish.
     * The stream goes on: line numbers continue, and an unterminated line stays buffered (it may still grow). A
     * line that would have continued the released entry (a stack frame, an indented ASP.NET message line) becomes
     * an entry of its own, usually `text`; so the entries depend on when `flush` was called, and a stream that is
     * never flushed gets exactly the entries of `parseGatewayLog`.
     */
    flush(): GatewayLogEntry[] {
        const p = this.pending;
        if (!p.entry || p.kv?.isOpen) {
            return this.banner.release();
        }
        return [...this.banner.take([this.finish(p, p.entry)]), ...this.banner.release()];
    }

    /** Ends the stream: parses an unterminated last line and returns every entry still held. Resets the parser. */
    end(): GatewayLogEntry[] {
        const out: GatewayLogEntry[] = [];
        if (this.carry.length > 0) {
            const line = this.carry.join('');
            this.carry = [];
            this.handle(line, stripAnsi(line), out);
        }
        if (this.pending.entry) {
            out.push(this.finish(this.pending, this.pending.entry));
        }
        this.lineNo = 0;
        return [...this.banner.take(out), ...this.banner.release()];
    }

    /**
     * `s` without what a paste or a log tool put in front of the gateway's own text: a BOM, `kubectl logs --prefix` /
     * `--timestamps`, colour codes whose ESC was lost. Indentation before them is kept (the entry reads it). Most lines
     * begin with `[` and a letter, a quote or a brace, which one or two comparisons let through.
     */
    private unwrap(s: string): string {
        this.origin = undefined;
        const start = s.charCodeAt(0) === BOM ? 1 : 0;
        let i = start;
        while (isBlank(s.charCodeAt(i))) {
            i++;
        }
        const c = s.charCodeAt(i);
        const next = s.charCodeAt(i + 1);
        if (start === 0 && !(isDigit(c) || c === CARET || (c === OPEN_BRACKET && (next === 112 || isDigit(next))))) {
            return s;
        }
        const indent = i;
        if (hasAt(s, '[pod/', i)) {
            const close = s.indexOf('] ', i);
            const slash = close > 0 ? s.lastIndexOf('/', close) : -1;
            if (slash > i + 5 && s.indexOf(' ', i) > close) {
                this.origin = { pod: s.slice(i + 5, slash), container: s.slice(slash + 1, close) };
                i = close + 2;
            }
        }
        const timeEnd = isDigit(s.charCodeAt(i)) ? kubeletTimeEnd(s, i) : -1;
        if (timeEnd > 0) {
            const time = parseTimestamp(s.slice(i, timeEnd));
            if (time) {
                (this.origin ??= {}).time = time;
            }
            i = timeEnd + 1;
        }
        let rest = start === 0 && i === indent ? s : s.slice(start, indent) + s.slice(i);
        let k = indent - start;
        while (isBlank(rest.charCodeAt(k))) {
            k++;
        }
        if (lostColourAt(rest, k)) {
            rest = rest.replace(/(?:\^\[)?\[[0-9;]*m/g, '');
        }
        return rest;
    }

    /** Whether `s` goes on with the request record held in `head`: wrapped by a terminal, a blog or a chat. */
    private continuesRecord(p: Pending, s: string, open = false): boolean {
        const head = p.head;
        // Asked of every line after a request record: nearly always the next `[Level]` line, which the bracket
        // settles without reading the level.
        if (head === undefined || (s.charCodeAt(0) === OPEN_BRACKET && levelClose(s) >= 0)) {
            return false;
        }
        if (p.wrapped >= MAX_WRAPPED_LINES || head.length + s.length > MAX_WRAPPED_LENGTH) {
            return false;
        }
        const t = s.trimStart();
        if (open) {
            return !this.startsEntry(t);
        }
        if (t.length === 0) {
            return false;
        }
        // `lastError:` at the end of a line is followed by its value, even a JSON object; otherwise the line must not
        // start an entry and must carry the record's own keys.
        if (head.trimEnd().endsWith(':')) {
            const close = t.charCodeAt(0) === OPEN_BRACKET ? levelClose(t) : -1;
            return close < 0 || this.levelAt(t, close) === undefined;
        }
        return !this.startsEntry(t) && WRAPPED_KEY.test(t);
    }

    /** `s` is `line` without ANSI codes. */
    private handle(line: string, ansiFree: string, out: GatewayLogEntry[], plain = false): void {
        const n = ++this.lineNo;
        const p = this.pending;
        const entry = p.entry;
        let whole = ansiFree;
        if (plain) {
            this.origin = undefined;
        } else {
            whole = this.unwrap(ansiFree);
        }
        const s = entry && p.indent > 0 ? dropIndent(whole, p.indent) : whole;
        if (entry) {
            if (p.kv?.isOpen) {
                if (p.wrapped > 0 && this.continuesRecord(p, s, true)) {
                    // A wrapped record's JSON value is wrapped too, maybe inside a string: read it joined as well.
                    this.rejoin(p, entry, line, s);
                    return;
                }
                if (p.openLines < MAX_OPEN_VALUE_LINES && !this.startsEntry(s)) {
                    entry.raw.push(line);
                    p.openLines++;
                    p.head = undefined;
                    p.kv.resume(s);
                    return;
                }
            } else if (p.aspNetLines && hasAt(s, ASPNET_INDENT, 0)) {
                entry.raw.push(line);
                p.aspNetLines.push(s);
                return;
            } else if (isStackLine(s)) {
                entry.raw.push(line);
                return;
            } else if (p.head !== undefined && this.continuesRecord(p, s)) {
                this.rejoin(p, entry, line, s);
                return;
            }
            out.push(this.finish(p, entry));
        }
        const origin = this.origin;
        this.begin(line, whole, n);
        if (origin && p.entry) {
            p.entry.origin = origin;
        }
    }

    /** Reads a wrapped record again with its next piece joined on; its lines and number stay the first line's. */
    private rejoin(p: Pending, entry: GatewayLogEntry, line: string, s: string): void {
        const head = p.head ?? '';
        const t = s.trimStart();
        // A terminal cuts at its width and loses nothing: its pieces but the last are equally long. A blog or chat
        // breaks at a space, which it drops. With one piece only, its last character tells: `,` or `:` is followed by
        // a space in every record.
        const first = p.wrapped === 0;
        const firstWidth = first ? head.length : p.firstWidth;
        const even = first ? true : p.evenWidths && p.lastWidth === firstWidth;
        const last = head.charCodeAt(head.length - 1);
        const hard = first ? last !== 44 && last !== 58 && t.length === s.length : even;
        const joined = hard ? head + s : last === SPACE ? head + t : `${head} ${t}`;
        const raw = entry.raw;
        const wrapped = p.wrapped + 1;
        const origin = entry.origin;
        const indent = p.indent;
        this.textHead(joined, entry.line);
        const again = p.entry;
        if (again) {
            raw.push(line);
            again.raw = raw;
            if (origin) {
                again.origin = origin;
            }
        }
        p.wrapped = wrapped;
        p.indent = indent;
        p.firstWidth = firstWidth;
        p.lastWidth = s.length;
        p.evenWidths = even;
    }

    /** Begins a text record from its (joined) head. */
    private textHead(s: string, n: number): void {
        const p = this.pending;
        this.resetPending(p);
        const close = levelClose(s);
        const level = close >= 0 ? this.levelAt(s, close) : undefined;
        if (level) {
            this.textRecord(p, s, s, n, level, close + 1);
        }
    }

    private resetPending(p: Pending): void {
        p.kv = undefined;
        p.kindFromFields = false;
        p.openLines = 0;
        p.aspNetLines = undefined;
        p.indent = 0;
        p.head = undefined;
        p.wrapped = 0;
    }

    private begin(line: string, whole: string, n: number): void {
        const p = this.pending;
        this.resetPending(p);
        let s = whole;
        let c = s.charCodeAt(0);
        if (isBlank(c)) {
            // A pasted, indented log: the head is read without its indentation, and so are its continuation lines.
            let i = 1;
            while (isBlank(s.charCodeAt(i))) {
                i++;
            }
            const t = s.slice(i);
            const d = t.charCodeAt(0);
            const close = d === OPEN_BRACKET ? levelClose(t) : -1;
            if (
                (close >= 0 && this.levelAt(t, close) !== undefined) ||
                d === OPEN_BRACE ||
                (d === QUOTE && t.charCodeAt(1) === OPEN_BRACE) ||
                (t.charCodeAt(4) === 58 && ASPNET_LEVELS.has(t.slice(0, 4)))
            ) {
                s = t;
                c = d;
                p.indent = i;
            }
        }
        if (c === OPEN_BRACKET) {
            const close = levelClose(s);
            const level = close >= 0 ? this.levelAt(s, close) : undefined;
            if (level) {
                this.textRecord(p, line, s, n, level, close + 1);
                return;
            }
        }
        const entry: GatewayLogEntry = { kind: 'text', format: 'text', line: n, raw: [line], fields: {} };
        p.entry = entry;
        if (c === OPEN_BRACE || (c === QUOTE && s.charCodeAt(1) === OPEN_BRACE)) {
            this.textBegun = true;
            const json = c === OPEN_BRACE ? readJsonLine(s) : undefined;
            if (json && fillFromJson(entry, json.obj)) {
                if (json.trailing) {
                    note(entry, 'text after the JSON object was not read');
                }
                return;
            }
            if (!json && recoverJsonLike(entry, s)) {
                return;
            }
            if (c === OPEN_BRACE) {
                note(entry, json ? 'JSON nested too deeply to read' : 'starts like JSON but is not a complete JSON object');
            }
        } else if (c !== OPEN_BRACKET && this.aspNetHead(p, entry, s)) {
            return;
        }
        this.textBegun = true;
        entry.message = whole;
    }

    /** `[Level] timestamp [Event], key: value, …` and the untagged 1.x request `[Level] timestamp, key: …`. */
    private textRecord(p: Pending, line: string, s: string, n: number, level: LogLevel, headEnd: number): void {
        const levelRaw = this.levelRaw;
        const head = scanHead(s, headEnd, s.length, this.names, true);
        const timestamp = head.timestamp;
        const event = head.event;
        const i = head.end;
        const isRequest = event === 'GatewayLogs';
        let colon = -1;
        let firstExpected = false;
        if (s.charCodeAt(i) === 44 && s.charCodeAt(i + 1) === SPACE) {
            // Usually the first key of the last record layout, which one comparison confirms (see `FieldBuilder`).
            const marker = this.fieldBuilder.firstMarker();
            firstExpected = marker !== undefined && hasAt(s, marker, i);
            colon = firstExpected && marker !== undefined ? i + marker.length - 2 : keyAt(s, i + 2);
        }
        const listAt = colon >= 0 ? i + 2 : -1;
        // A generic list gets its fields at `finish`; until then the entry holds a shared empty record instead of
        // a new one that would be garbage (event lists may still turn out generic: they replace a real one).
        const generic = listAt >= 0 && (event === undefined || isRequest);
        const fields = generic ? NO_FIELDS_YET : {};
        // All properties in one literal when the line has them all (the usual case): added one by one they would
        // go to a separate array, reallocated as it grows. Same order either way.
        let entry: GatewayLogEntry;
        if (timestamp !== undefined && event !== undefined) {
            entry = {
                kind: isRequest ? 'request' : 'event',
                format: 'text',
                line: n,
                raw: [line],
                fields,
                level,
                levelRaw,
                timestamp,
                event,
            };
        } else {
            const kind = isRequest ? 'request' : 'event';
            entry = { kind, format: 'text', line: n, raw: [line], fields, level, levelRaw };
            if (timestamp !== undefined) {
                entry.timestamp = timestamp;
            }
            if (event !== undefined) {
                entry.event = event;
            }
        }
        p.entry = entry;
        if (listAt < 0) {
            if (i < s.length) {
                entry.message = s.slice(i).trimStart();
            }
            if (isRequest) {
                entry.request = {};
            }
            return;
        }
        if (!generic && this.eventList(entry, s, listAt)) {
            return;
        }
        const kv = this.scanner;
        const builder = this.fieldBuilder;
        kv.reset();
        p.kv = kv;
        p.kindFromFields = event === undefined;
        if (isRequest || p.kindFromFields) {
            p.head = s;
        }
        // A list that ends in `{` or `[` goes on over the next lines, which no one-line layout reads.
        const last = s.charCodeAt(s.length - 1);
        const layout = last === OPEN_BRACE || last === OPEN_BRACKET ? undefined : builder.oneLineLayout();
        if (layout !== undefined) {
            const read = kv.scanLayout(s, listAt, layout.written, layout.pattern);
            builder.layoutRead(read);
            if (read) {
                return;
            }
        }
        builder.startRecord();
        kv.scan(s, listAt, colon, firstExpected);
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
            source = this.names.get(s, si + 10, s.length);
            end = si;
        } else if (hasAt(s, 'source: ', at) && isSourceToken(s, at + 8)) {
            source = this.names.get(s, at + 8, s.length);
            end = at;
        }
        let message: string | undefined;
        let exception: string | undefined;
        if (hasAt(s, 'message:', at)) {
            const from = s.charCodeAt(at + 8) === SPACE ? at + 9 : at + 8;
            const ei = from <= end ? s.indexOf(', exception: ', from) : -1;
            if (ei >= 0 && ei < end) {
                message = s.slice(from, ei);
                exception = s.slice(ei + 13, end);
            } else {
                message = from <= end ? s.slice(from, end) : '';
            }
        } else if (hasAt(s, 'exception:', at)) {
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
            const builder = this.fieldBuilder;
            entry.fields = builder.build(kv.keys, kv.values, kv.count, p.openLines === 0);
            if (entry.kind === 'request' || (p.kindFromFields && looksLikeRequest(kv.keys, kv.values, kv.count))) {
                entry.kind = 'request';
                const shape = builder.lastShape;
                if (shape) {
                    const plan = (shape.plan ??= requestPlan(shape.names));
                    entry.request = buildTextRequest(plan, kv.values, entry.timestamp);
                } else {
                    entry.request = buildRequest(kv.keys.slice(0, kv.count), kv.values, entry.timestamp);
                }
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
        if (p.wrapped > 0) {
            note(entry, `wrapped over ${p.wrapped + 1} lines; read as one record`);
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
