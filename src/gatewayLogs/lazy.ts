// A whole log read into entries at close to the cost of splitting it into lines: one-line `[Level]` records keep their
// text and the few fields a view sorts and filters on (kind, level, timestamp, event); the rest (fields, request,
// message, source, notes) is read by the real parser the first time anything asks, and kept. Everything else — a
// record with continuation lines, JSON, ASP.NET, pasted prefixes, text — is read by the real parser straight away.
// Pure: no vscode, no Node APIs.
//
// Why the entries are the same as `parseGatewayLog`'s: a line whose text (ANSI codes removed) starts with `[Level]`
// always begins a new entry, whatever came before (it is never a continuation, a wrapped piece or a JSON value
// line), so the log cuts there into pieces the parser reads the same alone as in the whole. A piece of one such
// line is one entry, which `materialise` reads alone with the real parser. `test/unit/gatewayLogs/lazy.test.ts`
// compares every field with the eager entries on every fixture.

import type { EntryFormat, EntryKind, GatewayLogEntry, GatewayRequest, LineOrigin, LogLevel, LogTimestamp } from './entry.ts';
import { USUAL_TIMESTAMP_LENGTH, scanHead } from './head.ts';
import { normalizeLevel } from './levels.ts';
import { type JsonScan, hasAt, keyAt, scanJsonLine } from './kv.ts';
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
    return comma >= listAt - 2 && keyAt(s, comma + 2) === last - 2 && s.lastIndexOf('"') < comma;
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

/** Whether `from`…`to` of `text` holds a `{` or a `[`. */
function opensValue(text: string, from: number, to: number): boolean {
    for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (c === 123 || c === OPEN_BRACKET) {
            return true;
        }
    }
    return false;
}

/** What the last `headAt` found besides the entry: whether the line starts one, the line (ANSI-free) and where
 * the head's `key: value` list starts in it (-1: none). */
let starts = false;
let headLine = '';
let listAt = -1;

/**
 * The entry whose head is the line at `pos`…`end` of `text`, read as `GatewayLogParser.textRecord` reads it (the same
 * `scanHead`), when the line starts with `[Level]` (ANSI codes removed, as the parser does when `ansi` says the line
 * has some); undefined when the kind depends on the fields (an untagged 1.x record), which only the full read can
 * tell. A line without ANSI codes is read in place: only the line itself is cut out (to look at its list), and the
 * timestamp is located, not read.
 */
function headAt(text: string, pos: number, end: number, ansi: boolean, n: number): LazyEntry | undefined {
    listAt = -1;
    const s = ansi ? stripAnsi(text.slice(pos, end)) : text;
    const from = ansi ? 0 : pos;
    const lineEnd = ansi ? s.length : end;
    const next = s.charCodeAt(from + 1);
    const close = s.charCodeAt(from) === OPEN_BRACKET && !(next >= 48 && next <= 57) ? levelClose(s, from, lineEnd) : -1;
    if (close < 0) {
        return undefined;
    }
    const levelRaw = names.get(s, from + 1, close);
    const level = normalizeLevel(levelRaw);
    if (level === undefined) {
        return undefined;
    }
    starts = true;
    const head = scanHead(s, close + 1, lineEnd, names, ansi);
    const event = head.event;
    if (event === undefined) {
        return undefined;
    }
    const i = head.end;
    if (s.charCodeAt(i) === 44 && s.charCodeAt(i + 1) === SPACE && i + 1 < lineEnd) {
        listAt = i + 2 - from;
    }
    headLine = ansi ? s : '';
    const kind = event === 'GatewayLogs' ? 'request' : 'event';
    const timeAt = head.timestamp !== undefined ? -1 : head.timeAt;
    return new LazyEntry(text, pos, end, n, kind, level, levelRaw, event, timeAt, head.timestamp);
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
    let headLineEnd = 0;
    let headListAt = -1;
    let headAnsiFree: string | undefined;
    let heldClosed = true;
    let heldHead: string | undefined;
    const json: JsonScan = { depth: 0 };
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
                    const last = headLine === '' ? text.charCodeAt(end - 1) : headLine.charCodeAt(headLine.length - 1);
                    if (
                        head.kind === 'request' &&
                        (last === 123 || last === OPEN_BRACKET) &&
                        opensJsonAtEnd(headLine === '' ? text.slice(pos, end) : headLine, listAt)
                    ) {
                        heldMode = JSON_OPEN;
                        heldClosed = false;
                        json.depth = 1;
                    } else {
                        headUnread = true;
                        headLineEnd = end;
                        headListAt = listAt;
                        headAnsiFree = headLine === '' ? undefined : headLine;
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
                        const close = scanJsonLine(text, pos, end, json);
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
                            const s = headAnsiFree ?? text.slice(heldStart, headLineEnd);
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
                    if ((hasAt(text, ASPNET_INDENT, pos) && plainLine(text, pos)) || isStackLine(text, pos)) {
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
