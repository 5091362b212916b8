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
import { normalizeLevel } from './levels.ts';
import { type JsonScan, keyAt, scanJsonLine } from './kv.ts';
import { GatewayLogParser, MAX_WRAPPED_LENGTH, RecentNames, WRAPPED_KEY, isStackLine, levelClose, stripAnsi } from './parser.ts';
import { parseTimestampAt, timestampEnd } from './timestamp.ts';

const SPACE = 32;
const OPEN_BRACKET = 91;
const ESC = 0x1b;

/** Reads single lines (and whole pieces) on demand; its record layouts stay warm from one entry to the next. */
const reader = new GatewayLogParser();
const names = new RecentNames();

/** One `[Level]` line whose other properties are read on first access. Satisfies `GatewayLogEntry`. */
export class LazyEntry implements GatewayLogEntry {
    readonly format: EntryFormat = 'text';
    private full: GatewayLogEntry | undefined;
    private rawLines: string[] | undefined;

    /** The entry's physical lines joined by their line ends, ANSI codes kept. */
    text: string;
    /** How many physical lines `text` holds. */
    lineCount = 1;
    /** The last line's line end, not in `text`: `\n`, `\r\n`, or none (only the log's last line). */
    eol = '\n';
    /** Where the head's `key: value` list starts (-1: none); only for the parse. */
    listAt = -1;
    line: number;
    kind: EntryKind;
    level: LogLevel;
    levelRaw: string;
    timestamp: LogTimestamp | undefined;
    event: string | undefined;

    constructor(
        text: string,
        line: number,
        kind: EntryKind,
        level: LogLevel,
        levelRaw: string,
        timestamp: LogTimestamp | undefined,
        event: string | undefined,
    ) {
        this.text = text;
        this.line = line;
        this.kind = kind;
        this.level = level;
        this.levelRaw = levelRaw;
        this.timestamp = timestamp;
        this.event = event;
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
        reader.push(this.eol === '' ? this.text : this.text + this.eol);
        const entries = reader.end();
        const full = entries[0] ?? { kind: this.kind, format: this.format, line: this.line, raw: [], fields: {} };
        full.line = this.line;
        full.raw = this.raw;
        // Keep the indexed timestamp object (and `timeGenerated`'s sharing of it, as the parser does).
        if (full.request?.timeGenerated !== undefined && full.request.timeGenerated === full.timestamp) {
            full.request.timeGenerated = this.timestamp;
        }
        if (this.timestamp !== undefined) {
            full.timestamp = this.timestamp;
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
}

/**
 * The indexed part of a line whose text `s` (ANSI-free) starts with `[Level]`, as `GatewayLogParser.textRecord` reads
 * it; undefined when the kind depends on the fields (an untagged 1.x record), which only the full read can tell.
 */
function index(text: string, s: string, n: number, close: number, levelRaw: string, level: LogLevel): LazyEntry | undefined {
    let i = close + 1;
    while (s.charCodeAt(i) === SPACE) {
        i++;
    }
    const timestamp = parseTimestampAt(s, i);
    if (timestamp) {
        i = timestampEnd();
        while (s.charCodeAt(i) === SPACE) {
            i++;
        }
    }
    let event: string | undefined;
    if (s.charCodeAt(i) === OPEN_BRACKET) {
        const end = s.indexOf(']', i + 1);
        if (end > i + 1) {
            const space = s.indexOf(' ', i + 1);
            if (space < 0 || space > end) {
                event = names.get(s, i + 1, end);
            }
        }
    }
    if (event === undefined) {
        return undefined;
    }
    const entry = new LazyEntry(text, n, event === 'GatewayLogs' ? 'request' : 'event', level, levelRaw, timestamp, event);
    i = s.indexOf(']', i + 1) + 1;
    if (s.charCodeAt(i) === 44 && s.charCodeAt(i + 1) === SPACE) {
        entry.listAt = i + 2;
    }
    return entry;
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
 * Whether the parser reads an ANSI-free line as it is: its `unwrap` leaves it alone, and inside an open JSON value
 * it is a value line (it starts no entry).
 */
function plainLine(line: string): boolean {
    let i = 0;
    while (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === 9) {
        i++;
    }
    const c = line.charCodeAt(i);
    // Not a BOM, a digit (kubelet time), `^` or `[` (prefixes, colour codes): the parser's `unwrap` leaves the line
    // as it is. Not `{"` at the start: that starts an entry even inside a value.
    return (
        c !== 0xfeff &&
        line.charCodeAt(0) !== 0xfeff &&
        !(c >= 48 && c <= 57) &&
        c !== 94 &&
        c !== OPEN_BRACKET &&
        !(i === 0 && c === 123 && line.charCodeAt(1) === 34)
    );
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
    // A `[Level]` head and the lines known to join it so far (`heldEnd`: the end of their text, terminator excluded).
    let held: LazyEntry | undefined;
    let heldStart = 0;
    let heldEnd = 0;
    let heldLines = 0;
    let heldMode = STACK;
    /** No JSON value is open after the held lines. */
    let heldClosed = true;
    /** The request head the parser would join a wrapped piece to. */
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
        let head: LazyEntry | undefined;
        let starts = false;
        let s: string | undefined;
        if (c === OPEN_BRACKET || c === ESC) {
            const line = text.slice(pos, end);
            s = esc < end ? stripAnsi(line) : line;
            const next = s.charCodeAt(1);
            const close = s.charCodeAt(0) === OPEN_BRACKET && !(next >= 48 && next <= 57) ? levelClose(s) : -1;
            if (close >= 0) {
                const levelRaw = names.get(s, 1, close);
                const level = normalizeLevel(levelRaw);
                if (level !== undefined) {
                    starts = true;
                    head = index(line, s, n, close, levelRaw, level);
                }
            }
        }
        if (starts) {
            if (held) {
                finishHeld(held, text, heldStart, heldEnd, heldLines);
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
                const listAt = head.listAt;
                if (listAt < 0 || s === undefined) {
                    heldClosed = true;
                } else if (head.kind === 'request' && opensJsonAtEnd(s, listAt)) {
                    heldMode = JSON_OPEN;
                    heldClosed = false;
                    json.depth = 1;
                } else {
                    // No brace or bracket in the list: no JSON value is open after the line.
                    heldClosed = s.indexOf('{', listAt) < 0 && s.indexOf('[', listAt) < 0;
                    // The parser keeps a request's head to join a wrapped record's next piece to.
                    heldHead = head.kind === 'request' ? s : undefined;
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
                const line = text.slice(pos, end);
                if (heldMode === JSON_OPEN) {
                    if (plainLine(line)) {
                        verdict = JOINS;
                        const close = scanJsonLine(line, json);
                        if (close >= 0) {
                            // Closed: the rest of the line is fields; unless one opens a value again, the record
                            // is done (`head` is cleared in an open value, so no wrap rule applies).
                            heldMode = line.indexOf('{', close) < 0 && line.indexOf('[', close) < 0 ? STACK : JSON_CLOSED;
                            heldClosed = true;
                            heldHead = undefined;
                        }
                    }
                } else if (heldMode === STACK) {
                    if (isStackLine(line)) {
                        verdict = JOINS;
                    } else if (heldClosed && plainLine(line) && !continuesWrapped(heldHead, line)) {
                        verdict = ENDS;
                    }
                }
            }
            if (verdict === JOINS) {
                heldEnd = end;
                heldLines++;
            } else if (verdict === ENDS) {
                finishHeld(held, text, heldStart, heldEnd, heldLines);
                out.push(held);
                held = undefined;
                pieceStart = pos;
                pieceLine = n;
            } else {
                pieceStart = heldStart;
                pieceLine = held.line;
                held = undefined;
            }
        } else if (pieceStart < 0) {
            pieceStart = pos;
            pieceLine = n;
        }
        pos = nl + 1;
    }
    if (held) {
        finishHeld(held, text, heldStart, heldEnd, heldLines);
        out.push(held);
    } else if (pieceStart >= 0) {
        readEagerly(text.slice(pieceStart), pieceLine, out);
    }
    return out;
}

function finishHeld(held: LazyEntry, text: string, start: number, end: number, lines: number): void {
    held.eol = end === text.length ? '' : text.charCodeAt(end) === 13 ? '\r\n' : '\n';
    if (lines > 1) {
        held.text = text.slice(start, end);
        held.lineCount = lines;
    }
}
