// A whole log read into entries at a fraction of the eager parse's cost: `[Level] … [Event]` records (with the stack
// lines or `lastError` value lines certain to belong to them) and ASP.NET entries keep their place in the text and the
// few fields a view sorts and filters on (kind, level, timestamp, event); the rest (fields, request, message, source,
// notes) is read by the real parser the first time anything asks, and kept. Everything else — JSON, pasted prefixes,
// wrapped records, text — is read by the real parser straight away. Pure: no vscode, no Node APIs.
//
// Why the entries are the same as `parseGatewayLog`'s: a line whose text (ANSI codes removed) starts with `[Level]`
// always begins a new entry, whatever came before (it is never a continuation, a wrapped piece or a JSON value
// line), so the log cuts there into pieces the parser reads the same alone as in the whole. A piece of one such
// line is one entry, which `materialise` reads alone with the real parser. `test/unit/gatewayLogs/lazy.test.ts`
// compares every field with the eager entries on every fixture.

import type { EntryFormat, EntryKind, GatewayLogEntry, GatewayRequest, LineOrigin, LogLevel, LogTimestamp } from './entry.ts';
import { USUAL_TIMESTAMP_LENGTH, scanHead } from './head.ts';
import { usualShapeEnd } from './timestamp.ts';
import { normalizeLevel } from './levels.ts';
import { type JsonScan, keyAt, sameAt } from './kv.ts';
import {
    ASPNET_INDENT,
    ASPNET_LEVELS,
    GatewayLogParser,
    MAX_WRAPPED_LENGTH,
    RecentNames,
    WRAPPED_KEY,
    isStackLine,
    levelClose,
    stripAnsi,
} from './parser.ts';
import { parseTimestampAt } from './timestamp.ts';

const SPACE = 32;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const ESC = 0x1b;

/** Reads single lines (and whole pieces) on demand; its record layouts stay warm from one entry to the next. */
const reader = new GatewayLogParser();
const names = new RecentNames();

const EOLS = ['', '\n', '\r\n'] as const;

/**
 * One `[Level] … [Event]` record (its head line and the lines certain to belong to it) whose other properties are
 * read on first access. Satisfies `GatewayLogEntry`. It holds no text of its own: offsets into the whole log, and the
 * timestamp's place (read when asked), so that a large log costs one small object per entry and nothing the garbage
 * collector has to copy besides.
 */
export class LazyEntry implements GatewayLogEntry {
    /** The whole log the entry is part of. */
    private readonly log: string;
    /** Where the entry's first line starts in `log`. */
    private readonly start: number;
    /** Where its last line ends, the line end excluded. */
    private end: number;
    /** The last line's line end, not in `text`: 0 none (only the log's last line), 1 `\n`, 2 `\r\n`. */
    private eolCode = 1;
    /** Where the timestamp (of the usual shape, see `scanHead`) starts in `log`, while not read yet; else -1. */
    private timeAt: number;
    private time: LogTimestamp | undefined;
    private full: GatewayLogEntry | undefined;
    private rawLines: string[] | undefined;
    /** How many physical lines `text` holds. */
    lineCount = 1;
    line: number;
    kind: EntryKind;
    level: LogLevel;
    levelRaw: string;
    event: string | undefined;

    constructor(
        log: string,
        start: number,
        end: number,
        line: number,
        kind: EntryKind,
        level: LogLevel,
        levelRaw: string,
        event: string | undefined,
        timeAt: number,
        time: LogTimestamp | undefined,
    ) {
        this.log = log;
        this.start = start;
        this.end = end;
        this.line = line;
        this.kind = kind;
        this.level = level;
        this.levelRaw = levelRaw;
        this.event = event;
        this.timeAt = timeAt;
        this.time = time;
    }

    get format(): EntryFormat {
        return 'text';
    }

    /** The entry's physical lines joined by their line ends, ANSI codes kept. */
    get text(): string {
        return this.log.slice(this.start, this.end);
    }
    /** The last line's line end, not in `text`: `\n`, `\r\n`, or none (only the log's last line). */
    get eol(): string {
        return EOLS[this.eolCode] as string;
    }

    /** Extends the entry to the line ending at `end` (line end excluded); `eolCode` says which line end follows. */
    extend(end: number, lineCount: number, eolCode: number): void {
        this.end = end;
        this.lineCount = lineCount;
        this.eolCode = eolCode;
    }

    get timestamp(): LogTimestamp | undefined {
        if (this.timeAt >= 0) {
            this.time = parseTimestampAt(this.log.slice(this.timeAt, this.timeAt + USUAL_TIMESTAMP_LENGTH), 0);
            this.timeAt = -1;
        }
        return this.time;
    }
    set timestamp(value: LogTimestamp | undefined) {
        this.timeAt = -1;
        this.time = value;
    }

    get raw(): string[] {
        if (this.rawLines === undefined) {
            if (this.lineCount === 1) {
                this.rawLines = [this.text];
            } else {
                // CRLF inside the piece loses its CR as the parser's split does; the last line has no terminator.
                const lines = this.text.split('\n');
                for (let i = 0; i < lines.length - 1; i++) {
                    const l = lines[i] as string;
                    if (l.charCodeAt(l.length - 1) === 13) {
                        lines[i] = l.slice(0, -1);
                    }
                }
                this.rawLines = lines;
            }
        }
        return this.rawLines;
    }
    set raw(value: string[]) {
        this.rawLines = value;
    }

    /** The entry as `parseGatewayLog` makes it, read now if not yet. */
    materialise(): GatewayLogEntry {
        if (this.full) {
            return this.full;
        }
        // The last line gets its line end back (an empty last line is still a line; a CR before a CRLF is content).
        reader.push(this.log.slice(this.start, this.eolCode === 0 ? this.end : this.end + this.eolCode));
        const entries = reader.end();
        const full = entries[0] ?? { kind: this.kind, format: this.format, line: this.line, raw: [], fields: {} };
        full.line = this.line;
        full.raw = this.raw;
        // Keep the indexed timestamp object (and `timeGenerated`'s sharing of it, as the parser does).
        const timestamp = this.timestamp;
        if (full.request?.timeGenerated !== undefined && full.request.timeGenerated === full.timestamp) {
            full.request.timeGenerated = timestamp;
        }
        if (timestamp !== undefined) {
            full.timestamp = timestamp;
        }
        this.full = full;
        return full;
    }

    get fields(): Record<string, string> {
        return this.materialise().fields;
    }
    set fields(value: Record<string, string>) {
        this.materialise().fields = value;
    }
    get message(): string | undefined {
        return this.materialise().message;
    }
    set message(value: string | undefined) {
        this.materialise().message = value;
    }
    get source(): string | undefined {
        return this.materialise().source;
    }
    set source(value: string | undefined) {
        this.materialise().source = value;
    }
    get request(): GatewayRequest | undefined {
        return this.kind === 'request' ? this.materialise().request : undefined;
    }
    set request(value: GatewayRequest | undefined) {
        this.materialise().request = value;
    }
    get origin(): LineOrigin | undefined {
        return this.full?.origin;
    }
    set origin(value: LineOrigin | undefined) {
        this.materialise().origin = value;
    }
    get notes(): string[] | undefined {
        return this.materialise().notes;
    }
    set notes(value: string[] | undefined) {
        this.materialise().notes = value;
    }

    /** `JSON.stringify` (and so `postMessage` to a webview) sends the whole entry, as an eager one. */
    toJSON(): GatewayLogEntry {
        const full = this.materialise();
        // The same properties in the same order as the eager entry.
        return { ...full };
    }

    /**
     * `timestamp`, read without being kept: a row built once from the entry (lineRead.ts) needs it once, and kept on
     * every entry of a large file it would cost an object each.
     */
    peekTimestamp(): LogTimestamp | undefined {
        return this.timeAt >= 0 ? parseTimestampAt(this.log.slice(this.timeAt, this.timeAt + USUAL_TIMESTAMP_LENGTH), 0) : this.time;
    }
}

/** Entries read by the real parser from `text` (whole lines), numbered from `firstLine`. */
function readEagerly(text: string, firstLine: number, out: GatewayLogEntry[]): void {
    const offset = firstLine - 1;
    for (const entry of reader.push(text)) {
        entry.line += offset;
        out.push(entry);
    }
    for (const entry of reader.end()) {
        entry.line += offset;
        out.push(entry);
    }
}

/** What a line after a held `[Level]` head does to it. */
const JOINS = 1;
const ENDS = 2;
const DEMOTE = 3;

/**
 * Whether the parser might join `line` to the request record `head` as a wrapped piece (`continuesRecord`, no
 * value open, nothing joined yet): false only when it certainly does not.
 */
function continuesWrapped(head: string | undefined, line: string): boolean {
    if (head === undefined || head.length + line.length > MAX_WRAPPED_LENGTH) {
        return false;
    }
    const t = line.trimStart();
    return t.length > 0 && (head.trimEnd().endsWith(':') || WRAPPED_KEY.test(t));
}

/** How the lines after a held `[Level]` head may join it and keep it one entry. */
const STACK = 1;
const JSON_OPEN = 2;
const JSON_CLOSED = 3;
/** An ASP.NET console entry: indented message lines (and stack lines) join it. */
const ASPNET = 4;

/**
 * Whether the parser opens a JSON value at the very end of the request head `s` and nowhere before: the list's
 * first key follows the event at `listAt`; the line ends in `, key: {` (or `[`), its only brace or bracket after
 * the event; no quote after the last `, ` (so no quoted value runs past it) and no backslash. Then every value
 * before ends at or before that last `, key: `, where the scanner opens the value.
 */
function opensJsonAtEnd(s: string, listAt: number): boolean {
    const last = s.length - 1;
    const c = s.charCodeAt(last);
    if ((c !== 123 && c !== OPEN_BRACKET) || s.length > MAX_JSON_HEAD || s.charCodeAt(last - 1) !== SPACE) {
        return false;
    }
    if (s.indexOf('{', listAt) !== (c === 123 ? last : -1) || s.indexOf('[', listAt) !== (c === 123 ? -1 : last)) {
        return false;
    }
    if (s.indexOf('\\', listAt) >= 0 || keyAt(s, listAt) < 0) {
        return false;
    }
    const comma = s.lastIndexOf(', ');
    // No quote at or after `comma` (searched forward over the line's last few characters, not back over all of it).
    return comma >= listAt - 2 && keyAt(s, comma + 2) === last - 2 && s.indexOf('"', comma) < 0;
}

/**
 * A head's fields past this length could number more than `MAX_FIELDS` (each takes at least `, k: `), where the
 * scanner stops splitting: such heads are read eagerly.
 */
const MAX_JSON_HEAD = 4000;
/** Below `MAX_OPEN_VALUE_LINES`, so the parser's bound never cuts a deferred entry. */
const MAX_DEFERRED_LINES = 900;

/**
 * Whether the parser reads the ANSI-free line at `pos` in `text` as it is: its `unwrap` leaves it alone, and inside an
 * open JSON value it is a value line (it starts no entry). Read in place: past the line's end comes a line end,
 * which answers as the end of a line alone would.
 */
function plainLine(text: string, pos: number): boolean {
    let i = pos;
    while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === 9) {
        i++;
    }
    const c = text.charCodeAt(i);
    // Not a BOM, a digit (kubelet time), `^` or `[` (prefixes, colour codes): the parser's `unwrap` leaves the line
    // as it is. Not `{"` at the start: that starts an entry even inside a value.
    return (
        c !== 0xfeff &&
        text.charCodeAt(pos) !== 0xfeff &&
        !(c >= 48 && c <= 57) &&
        c !== 94 &&
        c !== OPEN_BRACKET &&
        !(i === pos && c === 123 && text.charCodeAt(pos + 1) === 34)
    );
}

// The next `"`, `\\`, `{` and `[` at or after the place last asked about in the log being read (the log's length for
// none), so that the lines of a JSON value are read with searches rather than character by character. The lazy
// reader asks about places in order, so each search starts past the last answer: every character is searched once
// per kind. Cleared when a log starts (`forgetAhead`).
let quoteAt = -1;
let backslashAt = -1;
let braceAt = -1;
let bracketAt = -1;
let closeBraceAt = -1;
let closeBracketAt = -1;

function forgetAhead(): void {
    quoteAt = -1;
    backslashAt = -1;
    braceAt = -1;
    bracketAt = -1;
    closeBraceAt = -1;
    closeBracketAt = -1;
}

function ahead(text: string, char: string, from: number): number {
    // The length is read before the search, on every call: read only when nothing is found (near a log's end), the
    // optimised reader had never seen it read and was thrown away there, once per log.
    const length = text.length;
    const at = text.indexOf(char, from);
    return at < 0 ? length : at;
}

/** Whether the line at `pos` starts with `ASPNET_INDENT` (spaces only), compared in place. */
function indentedAt(text: string, pos: number): boolean {
    for (let i = 0; i < ASPNET_INDENT.length; i++) {
        if (text.charCodeAt(pos + i) !== SPACE) {
            return false;
        }
    }
    return true;
}

/** Whether `from`…`to` of the log `text` holds a `{` or a `[`. */
function opensValue(text: string, from: number, to: number): boolean {
    if (braceAt < from) {
        braceAt = ahead(text, '{', from);
    }
    if (bracketAt < from) {
        bracketAt = ahead(text, '[', from);
    }
    return braceAt < to || bracketAt < to;
}

/**
 * Whether `from`…`to` of the log `text` holds a brace or a bracket, either way. A line of an open JSON value that holds
 * none neither opens nor closes anything, whatever its quotes and backslashes (they only decide which brackets are
 * inside strings): `jsonLineClose` reads it as -1 with the depth unchanged. Found with the kept searches, so most
 * lines of a value cost four comparisons.
 */
function holdsBracket(text: string, from: number, to: number): boolean {
    if (opensValue(text, from, to)) {
        return true;
    }
    if (closeBraceAt < from) {
        closeBraceAt = ahead(text, '}', from);
    }
    if (closeBracketAt < from) {
        closeBracketAt = ahead(text, ']', from);
    }
    return closeBraceAt < to || closeBracketAt < to;
}

/**
 * A line of a JSON value that neither opens nor closes anything: no brace, bracket or backslash outside its strings,
 * every string closed on it with no backslash inside. `jsonLineClose` reads such a line as -1 with the depth
 * unchanged; the pattern reads it in native code. Each character is taken by one alternative only (linear). A lone
 * CR stops it (then the line is read by `jsonLineClose`), as does the end of the line.
 */
const PLAIN_JSON_LINE = /(?:[^"{}[\]\\\n\r]|"[^"\\\n\r]*")*/y;

/**
 * `scanJson` (kv.ts) over the line `from`…`to` of the log being read, in place (a string runs to its unescaped quote
 * or the line's end; brackets count outside strings): each string jumped over to its closing quote found by search
 * when no backslash comes before it, else read character by character as escapes need. The index just past the
 * bracket that closes the value, or -1 with `st.depth` updated.
 */
function jsonLineClose(text: string, from: number, to: number, st: JsonScan): number {
    let depth = st.depth;
    for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (c === 34) {
            i++;
            if (quoteAt < i) {
                quoteAt = ahead(text, '"', i);
            }
            if (backslashAt < i) {
                backslashAt = ahead(text, '\\', i);
            }
            if (backslashAt > quoteAt || backslashAt >= to) {
                // No escape before the closing quote (or before the line's end, when the string runs past it).
                i = quoteAt < to ? quoteAt : to;
            } else {
                while (i < to) {
                    const d = text.charCodeAt(i);
                    if (d === 34) {
                        break;
                    }
                    i += d === 92 ? 2 : 1;
                }
            }
        } else if (c === 123 || c === OPEN_BRACKET) {
            depth++;
        } else if (c === 125 || c === CLOSE_BRACKET) {
            depth--;
            if (depth <= 0) {
                return i + 1;
            }
        }
    }
    st.depth = depth;
    return -1;
}

/**
 * What the last `headAt` found besides the entry: whether the line starts one, and the line without its ANSI codes as
 * `headText` from `headFrom` to `headTo` (in place in the log unless codes stood inside the line), with where the
 * head's `key: value` list starts in it (`listAt`, from `headFrom`; -1: none).
 */
let starts = false;
let headText = '';
let headFrom = 0;
let headTo = 0;
let listAt = -1;

/**
 * Where the ANSI codes that start at `i` end: each read as `stripAnsi` reads one (ESC, then `[`, parameter and
 * intermediate bytes and a final byte, or one byte), as long as the next begins where the last ended, up to `end`.
 */
function ansiCodesEnd(text: string, i: number, end: number): number {
    while (i < end && text.charCodeAt(i) === ESC) {
        let j = i + 1;
        const c = text.charCodeAt(j);
        if (c === OPEN_BRACKET) {
            j++;
            while (j < end && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) {
                j++;
            }
            while (j < end && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) {
                j++;
            }
            if (j < end && text.charCodeAt(j) >= 0x40 && text.charCodeAt(j) <= 0x7e) {
                j++;
            }
        } else if (j < end && c >= 0x40 && c <= 0x5f) {
            j++;
        }
        i = j;
    }
    return i;
}

// The heads read last, to recognise the next one with two comparisons: per level (by the level name's first letter)
// `[Level] ` and the first 14 characters of a usual timestamp (`yyyy-MM-ddTHH:`), and per event (by its first letter)
// ` [Event]`. Each was read in full by `scanHead` before, so a line that has one of them at the same place reads the
// same there; flat copies, so that they do not keep a log alive.
const HEAD_SLOTS = 256;
const prefixes: string[] = new Array<string>(HEAD_SLOTS).fill('');
const prefixLevels: LogLevel[] = new Array<LogLevel>(HEAD_SLOTS).fill('info');
const prefixLevelRaws: string[] = new Array<string>(HEAD_SLOTS).fill('');
const suffixes: string[] = new Array<string>(HEAD_SLOTS).fill('');
const suffixEvents: string[] = new Array<string>(HEAD_SLOTS).fill('');
/** How much of a usual timestamp a prefix holds (`yyyy-MM-ddTHH:`). */
const PREFIX_TIME = 14;

function flat(s: string): string {
    return JSON.parse(JSON.stringify(s)) as string;
}

/**
 * The slot of the event whose ` [` is at `e`: by its first letter and the 18th character after it (which tells
 * `ConfigurationPolled` from `ConfigurationPollFailed`; past a short name, the next key, mostly the same for one
 * event). Only a hint: a suffix is used where it is found in full.
 */
function slotOf(s: string, e: number): number {
    return (s.charCodeAt(e + 2) * 31 + (s.charCodeAt(e + 19) | 0)) & (HEAD_SLOTS - 1);
}

/**
 * A remembered prefix and suffix as one sticky pattern: the prefix, `mm:ss.fff` (ASCII digits), the suffix, every
 * character of the two written as `\\uXXXX` (so none is special). A fixed-length literal: one pass, no backtracking.
 * Matches exactly where the character comparisons below would.
 */
function headPattern(prefix: string, suffix: string): RegExp {
    const literal = (w: string) => Array.from({ length: w.length }, (_, i) => `\\u${w.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
    return new RegExp(`${literal(prefix)}\\d\\d:\\d\\d\\.\\d\\d\\d${literal(suffix)}`, 'y');
}

/** The patterns of remembered heads, by level slot and event slot, with what each was made from. */
const patterns = new Map<number, { prefix: string; suffix: string; re: RegExp }>();
/**
 * How many patterns a log may still make (reset per log): a log whose heads keep changing (hostile, or hours that
 * alternate line by line) would otherwise compile one for nearly every line.
 */
const MAX_COMPILES = 256;
/** How many patterns are kept at most (over all logs read). */
const MAX_PATTERNS = 1024;
let compiles = MAX_COMPILES;


function isDigitAt(s: string, i: number): boolean {
    const c = s.charCodeAt(i);
    return c >= 48 && c <= 57;
}

/**
 * The entry whose head is the line at `pos`…`end` of `text`, read as `GatewayLogParser.textRecord` reads it (the same
 * `scanHead`), when the line starts with `[Level]` (ANSI codes removed, as the parser does when `ansi` says the line
 * has some); undefined when the kind depends on the fields (an untagged 1.x record), which only the full read can
 * tell. The line is read in place (only its list is cut out, when asked), and the timestamp is located, not read;
 * unless ANSI codes stand inside the line (not only at its two ends): then the line without them is read.
 */
function headAt(text: string, pos: number, end: number, ansi: boolean, n: number): LazyEntry | undefined {
    listAt = -1;
    let s = text;
    let from = pos;
    let lineEnd = end;
    if (ansi) {
        from = ansiCodesEnd(text, pos, end);
        const next = text.indexOf('\x1b', from);
        if (next >= 0 && next < end) {
            lineEnd = ansiCodesEnd(text, next, end) === end ? next : -1;
        }
        if (lineEnd < 0) {
            s = stripAnsi(text.slice(pos, end));
            from = 0;
            lineEnd = s.length;
        }
    }
    headText = s;
    headFrom = from;
    headTo = lineEnd;
    if (s.charCodeAt(from) !== OPEN_BRACKET) {
        return undefined;
    }
    // The remembered heads (see `prefixes`): the prefix, the timestamp's last nine characters in shape, the suffix.
    const levelSlot = s.charCodeAt(from + 1) & (HEAD_SLOTS - 1);
    const prefix = prefixes[levelSlot] as string;
    if (prefix !== '') {
        const t = from + prefix.length - PREFIX_TIME;
        const e = t + USUAL_TIMESTAMP_LENGTH;
        const eventSlot = slotOf(s, e);
        const suffix = suffixes[eventSlot] as string;
        const key = levelSlot * HEAD_SLOTS + eventSlot;
        const pattern = patterns.get(key);
        let known: boolean;
        if (pattern !== undefined && pattern.prefix === prefix && pattern.suffix === suffix) {
            pattern.re.lastIndex = from;
            known = pattern.re.test(s);
        } else {
            known =
                suffix !== '' &&
                sameAt(s, from, prefix) &&
                isDigitAt(s, t + 14) &&
                isDigitAt(s, t + 15) &&
                s.charCodeAt(t + 16) === 58 &&
                isDigitAt(s, t + 17) &&
                isDigitAt(s, t + 18) &&
                s.charCodeAt(t + 19) === 46 &&
                isDigitAt(s, t + 20) &&
                isDigitAt(s, t + 21) &&
                isDigitAt(s, t + 22) &&
                sameAt(s, e, suffix);
            if (known && compiles > 0) {
                // Seen twice: worth a pattern, which reads the same in native code.
                compiles--;
                if (patterns.size >= MAX_PATTERNS) {
                    patterns.clear();
                }
                patterns.set(key, { prefix, suffix, re: headPattern(prefix, suffix) });
            }
        }
        if (known && e + suffix.length <= lineEnd) {
            starts = true;
            const close = e + suffix.length - 1;
            if (s.charCodeAt(close + 1) === 44 && s.charCodeAt(close + 2) === SPACE && close + 2 < lineEnd) {
                listAt = close + 3 - from;
            }
            const event = suffixEvents[eventSlot] as string;
            const kind = event === 'GatewayLogs' ? 'request' : 'event';
            const timeAt = s === text ? t : -1;
            const time = s === text ? undefined : parseTimestampAt(s.slice(t, e), 0);
            return new LazyEntry(text, pos, end, n, kind, prefixLevels[levelSlot] as LogLevel, prefixLevelRaws[levelSlot] as string, event, timeAt, time);
        }
    }
    const next = s.charCodeAt(from + 1);
    const close = !(next >= 48 && next <= 57) ? levelClose(s, from, lineEnd) : -1;
    if (close < 0) {
        return undefined;
    }
    const levelRaw = names.get(s, from + 1, close);
    const level = normalizeLevel(levelRaw);
    if (level === undefined) {
        return undefined;
    }
    starts = true;
    const head = scanHead(s, close + 1, lineEnd, names, s !== text);
    const event = head.event;
    if (event === undefined) {
        return undefined;
    }
    const i = head.end;
    if (s.charCodeAt(i) === 44 && s.charCodeAt(i + 1) === SPACE && i + 1 < lineEnd) {
        listAt = i + 2 - from;
    }
    const timeAt = head.timestamp !== undefined ? -1 : head.timeAt;
    const entry = new LazyEntry(text, pos, end, n, event === 'GatewayLogs' ? 'request' : 'event', level, levelRaw, event, timeAt, head.timestamp);
    // Remember the head's shape when it is the usual one: `[Level] timestamp [Event]`, one space each.
    const t = close + 2;
    if (
        head.timeAt === t &&
        s.charCodeAt(close + 1) === SPACE &&
        usualShapeEnd(s, t, lineEnd) === t + USUAL_TIMESTAMP_LENGTH &&
        s.charCodeAt(t + USUAL_TIMESTAMP_LENGTH) === SPACE &&
        i === t + USUAL_TIMESTAMP_LENGTH + event.length + 3
    ) {
        // Unchanged ones are kept as they are, so that their patterns stay valid.
        const prefix = s.slice(from, t + PREFIX_TIME);
        if (prefixes[levelSlot] !== prefix) {
            prefixes[levelSlot] = flat(prefix);
            prefixLevels[levelSlot] = level;
            prefixLevelRaws[levelSlot] = levelRaw;
        }
        const eventSlot = slotOf(s, t + USUAL_TIMESTAMP_LENGTH);
        const suffix = s.slice(t + USUAL_TIMESTAMP_LENGTH, i);
        if (suffixes[eventSlot] !== suffix) {
            suffixes[eventSlot] = flat(suffix);
            suffixEvents[eventSlot] = event;
        }
    }
    return entry;
}

/**
 * The entries of `parseGatewayLog(text)`, with `[Level] … [Event]` records as `LazyEntry` (fields read on first
 * access) when their continuation lines are certain to belong to them: .NET stack lines, or the lines of a
 * `lastError: {` value that closes on the piece's last line. Use it for whole logs a view shows (Open Log File, a
 * tail's backlog); `parseGatewayLog` stays the reference.
 */
export function parseGatewayLogLazy(text: string): GatewayLogEntry[] {
    const out: GatewayLogEntry[] = [];
    let n = 0;
    let pos = 0;
    // A piece the real parser reads: from `pieceStart` (line `pieceLine`) to the next `[Level]` line.
    let pieceStart = -1;
    let pieceLine = 0;
    // A deferred entry's head and the lines known to join it so far (`heldEnd`: the end of their text, terminator
    // excluded).
    let held: LazyEntry | undefined;
    let heldStart = 0;
    let heldEnd = 0;
    let heldLines = 0;
    let heldMode = STACK;
    // What the parser holds after a `[Level]` head: whether no JSON value is open after it, and the request head it
    // would join a wrapped piece to. Worked out only when a line neither joins the entry (a stack line) nor starts
    // the next (`[Level]`): mostly the next line starts one, and then neither matters.
    let headUnread = false;
    let heldHeadText = '';
    let heldHeadFrom = 0;
    let heldHeadTo = 0;
    let headListAt = -1;
    let heldClosed = true;
    let heldHead: string | undefined;
    const json: JsonScan = { depth: 0 };
    forgetAhead();
    compiles = MAX_COMPILES;
    let esc = -1;
    const length = text.length;
    while (pos < length) {
        let nl = text.indexOf('\n', pos);
        if (nl < 0) {
            nl = length;
        }
        n++;
        // The parser cuts the CR of a CRLF; an unterminated last line keeps it (as `end()` does).
        const end = nl < length && nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (esc < pos) {
            esc = text.indexOf('\x1b', pos);
            if (esc < 0) {
                esc = length;
            }
        }
        const c = text.charCodeAt(pos);
        starts = false;
        const head = c === OPEN_BRACKET || c === ESC ? headAt(text, pos, end, esc < end, n) : undefined;
        /** The line begins an entry the parser reads from scratch (no state from the lines before). */
        let fresh = false;
        if (starts) {
            if (held) {
                finishHeld(held, text, heldEnd, heldLines);
                out.push(held);
                held = undefined;
            } else if (pieceStart >= 0) {
                readEagerly(text.slice(pieceStart, pos), pieceLine, out);
                pieceStart = -1;
            }
            if (head) {
                held = head;
                heldStart = pos;
                heldEnd = end;
                heldLines = 1;
                heldMode = STACK;
                heldHead = undefined;
                heldClosed = true;
                headUnread = false;
                if (listAt >= 0) {
                    const last = headText.charCodeAt(headTo - 1);
                    if (
                        head.kind === 'request' &&
                        (last === 123 || last === OPEN_BRACKET) &&
                        opensJsonAtEnd(headText.slice(headFrom, headTo), listAt)
                    ) {
                        heldMode = JSON_OPEN;
                        heldClosed = false;
                        json.depth = 1;
                    } else {
                        headUnread = true;
                        heldHeadText = headText;
                        heldHeadFrom = headFrom;
                        heldHeadTo = headTo;
                        headListAt = listAt;
                    }
                }
            } else {
                pieceStart = pos;
                pieceLine = n;
            }
        } else if (held) {
            // Does the line certainly join the held entry, or certainly start the next one? Else the piece goes to
            // the parser.
            let verdict = DEMOTE;
            if (heldLines < MAX_DEFERRED_LINES && esc >= end) {
                // Lines are read in place in `text` (cutting each out would cost more than reading it).
                if (heldMode === JSON_OPEN) {
                    if (plainLine(text, pos)) {
                        verdict = JOINS;
                        let close = -1;
                        if (holdsBracket(text, pos, end)) {
                            PLAIN_JSON_LINE.lastIndex = pos;
                            close = PLAIN_JSON_LINE.test(text) && PLAIN_JSON_LINE.lastIndex === end ? -1 : jsonLineClose(text, pos, end, json);
                        }
                        if (close >= 0) {
                            // Closed: the rest of the line is fields; unless one opens a value again, the record
                            // is done (`head` is cleared in an open value, so no wrap rule applies).
                            heldMode = opensValue(text, close, end) ? JSON_CLOSED : STACK;
                            heldClosed = true;
                            heldHead = undefined;
                        }
                    }
                } else if (heldMode === STACK) {
                    if (isStackLine(text, pos)) {
                        verdict = JOINS;
                    } else {
                        if (headUnread) {
                            headUnread = false;
                            const s = heldHeadText.slice(heldHeadFrom, heldHeadTo);
                            // No brace or bracket in the list: no JSON value is open after the line.
                            heldClosed = s.indexOf('{', headListAt) < 0 && s.indexOf('[', headListAt) < 0;
                            // The parser keeps a request's head to join a wrapped record's next piece to.
                            heldHead = held.kind === 'request' ? s : undefined;
                        }
                        if (heldClosed && plainLine(text, pos) && !continuesWrapped(heldHead, text.slice(pos, end))) {
                            verdict = ENDS;
                        }
                    }
                } else if (heldMode === ASPNET) {
                    if ((indentedAt(text, pos) && plainLine(text, pos)) || isStackLine(text, pos)) {
                        verdict = JOINS;
                    } else if (plainLine(text, pos)) {
                        verdict = ENDS;
                    }
                }
            }
            if (verdict === JOINS) {
                heldEnd = end;
                heldLines++;
            } else if (verdict === ENDS) {
                finishHeld(held, text, heldEnd, heldLines);
                out.push(held);
                held = undefined;
                fresh = true;
            } else {
                pieceStart = heldStart;
                pieceLine = held.line;
                held = undefined;
            }
        } else if (pieceStart < 0) {
            fresh = true;
        }
        if (fresh) {
            const aspNet = esc >= end ? aspNetAt(text, pos, end, n) : undefined;
            if (aspNet) {
                held = aspNet;
                heldStart = pos;
                heldEnd = end;
                heldLines = 1;
                heldMode = ASPNET;
            } else {
                pieceStart = pos;
                pieceLine = n;
            }
        }
        pos = nl + 1;
    }
    if (held) {
        finishHeld(held, text, heldEnd, heldLines);
        out.push(held);
    } else if (pieceStart >= 0) {
        readEagerly(text.slice(pieceStart), pieceLine, out);
    }
    return out;
}

/**
 * The ASP.NET console logger's head `info: Category[eventId]` at `pos`…`end` (no ANSI codes), as the parser's
 * `aspNetHead` reads it when the line begins an entry; else undefined.
 */
function aspNetAt(text: string, pos: number, end: number, n: number): LazyEntry | undefined {
    if (
        text.charCodeAt(pos + 4) !== 58 ||
        text.charCodeAt(pos + 5) !== SPACE ||
        text.charCodeAt(end - 1) !== CLOSE_BRACKET ||
        end - pos < 8
    ) {
        return undefined;
    }
    const levelRaw = names.get(text, pos, pos + 4);
    const level = ASPNET_LEVELS.get(levelRaw);
    const open = text.lastIndexOf('[', end - 1);
    const space = text.indexOf(' ', pos + 6);
    if (!level || open <= pos + 6 || (space >= 0 && space < end)) {
        return undefined;
    }
    for (let i = open + 1; i < end - 1; i++) {
        const d = text.charCodeAt(i);
        if (!(d >= 48 && d <= 57)) {
            return undefined;
        }
    }
    return new LazyEntry(text, pos, end, n, 'event', level, levelRaw, undefined, -1, undefined);
}

function finishHeld(held: LazyEntry, text: string, end: number, lines: number): void {
    held.extend(end, lines, end === text.length ? 0 : text.charCodeAt(end) === 13 ? 2 : 1);
}
