// The `, key: value, key: value` lists of the text format. Values are unquoted (`url: http://x/`), quoted
// (`category: "GatewayLogs"`) or JSON that may run over several physical lines (`lastError: {` … `}`), so the
// scanner can stop at the end of a line with a JSON value open and resume on the next line.
//
// Every scan moves forward only: after a quoted or JSON value that is not followed by a clean boundary the search
// for the next boundary continues from where that value ended, never from where it began, which keeps the work
// linear in the input on any text.
//
// A list of a layout seen before (fields.ts) is usually read in one call of that layout's pattern (`scanLayout`),
// which takes only lists it reads exactly as `scan` would.

const COMMA = 44;
const SPACE = 32;
const COLON = 58;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isKeyStart(c: number): boolean {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isKeyChar(c: number): boolean {
    return isKeyStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/**
 * Whether `s` has `word` (non-empty) at `i`. Not `startsWith`: on a string cut from a larger one, which every line
 * is, V8 runs that in its C++ runtime, several times slower than this copy-and-compare.
 */
export function hasAt(s: string, word: string, i: number): boolean {
    return s.charCodeAt(i) === word.charCodeAt(0) && s.slice(i, i + word.length) === word;
}

/**
 * Whether `s` has `word` at `at`, compared a character at a time and in place: for a whole log or file, where a cut
 * (what `hasAt` compares) would be a string of its own and `startsWith` runs in V8's C++ runtime. From the end, where
 * repeated prefixes (a timestamp's second, a head's hour) differ.
 */
export function sameAt(s: string, at: number, word: string): boolean {
    for (let i = word.length - 1; i >= 0; i--) {
        if (s.charCodeAt(at + i) !== word.charCodeAt(i)) {
            return false;
        }
    }
    return true;
}

/** Index of the colon when `text` has `key:` followed by a space or the end of the text at `p`; otherwise -1. */
export function keyAt(text: string, p: number): number {
    if (p >= text.length || !isKeyStart(text.charCodeAt(p))) {
        return -1;
    }
    let i = p + 1;
    while (i < text.length && isKeyChar(text.charCodeAt(i))) {
        i++;
    }
    if (text.charCodeAt(i) !== COLON) {
        return -1;
    }
    return i + 1 === text.length || text.charCodeAt(i + 1) === SPACE ? i : -1;
}

// The boundary tests below already find the next key's colon; remembering it saves reading every key twice. Only
// valid for the text being scanned: `scan` and `resume` forget it when they start (comparing the texts instead
// would read both whenever they are different strings of one length).
let foundKeyAt = -1;
let foundColon = -1;
/** Whether the key at `foundKeyAt` is the one the layout expected (then it need not be named again). */
let foundExpected = false;

// The layout's next key is the usual answer at a boundary. Its marker `, key: ` is looked for with indexOf, which
// is several times cheaper than reading the key character by character (and than startsWith, see `hasAt`). An
// indexOf that does not land on the comma being tested has read ahead to the marker's next occurrence; that answer
// is kept (the marker's first occurrence at or after `markerFrom` is at `markerAt`, the text's length for none) so
// no stretch of text is searched twice for one marker, and after a few such misses the scan of that text stops
// asking: a record that left its layout costs linear time.
let marker = '';
let markerFrom = 0;
let markerAt = 0;
let markerMisses = 0;
const MAX_MARKER_MISSES = 4;

function forgetFound(): void {
    foundKeyAt = -1;
    foundExpected = false;
    marker = '';
    markerMisses = 0;
}

/** Whether `expect` (a marker `, key: `) is at `comma`. */
function markerAtComma(text: string, comma: number, expect: string): boolean {
    if (expect !== marker || comma < markerFrom || comma > markerAt) {
        if (markerMisses >= MAX_MARKER_MISSES) {
            return false;
        }
        marker = expect;
        markerFrom = comma;
        const found = text.indexOf(expect, comma);
        markerAt = found < 0 ? text.length : found;
        if (markerAt !== comma) {
            markerMisses++;
        }
    }
    return markerAt === comma;
}

function keyAtBoundary(text: string, comma: number, expect: string | undefined): boolean {
    const at = comma + 2;
    if (expect !== undefined && markerAtComma(text, comma, expect)) {
        // The marker is `, ` + a key-shaped name + `: `, exactly what `keyAt` accepts.
        foundKeyAt = at;
        foundColon = comma + expect.length - 2;
        foundExpected = true;
        return true;
    }
    const colon = keyAt(text, at);
    if (colon < 0) {
        return false;
    }
    foundKeyAt = at;
    foundColon = colon;
    foundExpected = false;
    return true;
}

function colonOfKeyAt(text: string, p: number): number {
    return p === foundKeyAt ? foundColon : keyAt(text, p);
}

/** Index of the next `, key: ` at or after `from`, or the text's length; `expect` is the likely one. */
function nextBoundary(text: string, from: number, expect: string | undefined): number {
    let i = from;
    for (;;) {
        const comma = text.indexOf(', ', i);
        if (comma < 0) {
            return text.length;
        }
        if (keyAtBoundary(text, comma, expect)) {
            return comma;
        }
        i = comma + 1;
    }
}

function atBoundaryOrEnd(text: string, i: number, expect: string | undefined): boolean {
    return (
        i === text.length ||
        (text.charCodeAt(i) === COMMA && text.charCodeAt(i + 1) === SPACE && keyAtBoundary(text, i, expect))
    );
}

/** Where a JSON value stands at the end of a line: only the depth, since no string runs past its line. */
export interface JsonScan {
    depth: number;
}

/** Index just past the bracket that closes the value, or -1 with `st` left ready to continue on the next line. */
function scanJson(text: string, from: number, st: JsonScan): number {
    let depth = st.depth;
    for (let i = from; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
            // Strings are most of a JSON line: jump to the closing quote instead of reading up to it.
            i = stringEnd(text, i + 1);
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            depth++;
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            depth--;
            if (depth <= 0) {
                return i + 1;
            }
        }
    }
    // A JSON string cannot hold a raw line break, so an unclosed string ends with its line: the next line starts
    // outside any string.
    st.depth = depth;
    return -1;
}

/**
 * Index of the quote that closes the string whose text starts at `from` (a backslash escapes the next character),
 * or the text's length.
 */
function stringEnd(text: string, from: number): number {
    const quote = text.indexOf('"', from);
    const backslash = nextBackslash(text, from);
    if (quote >= 0 && (backslash < 0 || backslash > quote)) {
        return quote;
    }
    // An escape comes first (or the string does not close): read character by character, as escapes need.
    for (let i = from; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === BACKSLASH) {
            i++;
        } else if (c === QUOTE) {
            return i;
        }
    }
    return text.length;
}

let quotedHasEscape = false;

// The next backslash at or after `backslashFrom` is at `backslashAt` (-1: none), for the text `scan` is reading
// (`backslashKnown` is cleared when a scan starts; comparing the texts would cost a read of both). Quoted values
// nearly never hold one, so one search usually answers every value of a line; a new search only starts past the
// previous answer, which keeps them linear over a line.
let backslashKnown = false;
let backslashFrom = 0;
let backslashAt = -1;

function nextBackslash(text: string, from: number): number {
    if (!backslashKnown || from < backslashFrom || (backslashAt >= 0 && backslashAt < from)) {
        backslashKnown = true;
        backslashFrom = from;
        backslashAt = text.indexOf('\\', from);
    }
    return backslashAt;
}

/** Index just past the closing quote, or -1; sets `quotedHasEscape`. */
function scanQuoted(text: string, from: number): number {
    quotedHasEscape = false;
    const close = text.indexOf('"', from + 1);
    const backslash = nextBackslash(text, from + 1);
    if (backslash < 0 || (close >= 0 && backslash > close)) {
        return close < 0 ? -1 : close + 1;
    }
    // An escape before the closing quote: walk the characters so `\"` is read as an escaped quote.
    for (let i = from + 1; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === BACKSLASH) {
            quotedHasEscape = true;
            i++;
        } else if (c === QUOTE) {
            return i + 1;
        }
    }
    return -1;
}

/** The value of the quoted text `text[from, close)`, as scanned by `scanQuoted` just before. */
function unquote(text: string, from: number, close: number, names: KeyNames, index: number): string {
    if (!quotedHasEscape) {
        return names.value(text, from + 1, close - 1, index);
    }
    const quoted = text.slice(from, close);
    try {
        const v: unknown = JSON.parse(quoted);
        if (typeof v === 'string') {
            return v;
        }
    } catch {
        // Not JSON escaping (the gateway does not promise it): keep the text between the quotes.
    }
    return quoted.slice(1, -1);
}

/**
 * Real records have about thirty keys. Past this many the rest of the line is kept whole as the last value: an
 * object with hundreds of thousands of properties costs more than the whole rest of a large log.
 */
export const MAX_FIELDS = 1000;

interface OpenValue extends JsonScan {
    key: string;
    pieces: string[];
}

/**
 * Turns the keys and values of a record into strings. An implementation that knows the record's layout can hand
 * out strings it already holds instead of copies, and name the key it expects next.
 */
export interface KeyNames {
    /**
     * `, key: ` for the key the layout has at `index`, where `key` is non-empty and key-shaped; undefined when it
     * does not know.
     */
    expected(index: number): string | undefined;
    /** The key whose marker `expected(index)` returned. */
    expectedKey(index: number): string;
    /** The key `text[from, colon)`, which comes at `index` (`keys`: the record's keys so far, before `index`). */
    name(text: string, from: number, colon: number, keys: readonly string[], index: number): string;
    /** The value `text[from, to)` of the key at `index`. */
    value(text: string, from: number, to: number, index: number): string;
    /** `value`, already cut out. */
    shared(value: string, index: number): string;
}

const sliceNames: KeyNames = {
    expected: () => undefined,
    expectedKey: () => '',
    name: (text, from, colon) => text.slice(from, colon),
    value: (text, from, to) => text.slice(from, to),
    shared: (value) => value,
};

/**
 * A sticky pattern that reads a whole one-line list with exactly these keys (non-empty, key-shaped), in one call
 * instead of a search or two per field. It takes only the simple case, where the scanner's rules cannot apply
 * differently: each value holds no comma at all (so the next `, key: ` is the only boundary), and is either
 * `"text"` without quote or backslash inside, or does not start with a quote. Anything else does not match and is
 * scanned. The two alternatives differ in their first character and each value's end is fixed by its first comma
 * (or closing quote), so a failing match backtracks over each value once: linear, like the scanner.
 */
export function layoutPattern(keys: readonly string[]): RegExp {
    const value = '(?:"[^,"\\\\]*"|(?!")[^,]*)';
    const parts = keys.map((key, i) => `${i === 0 ? '' : ', '}${key.replace(/[.-]/g, '\\$&')}: ${value}`);
    return new RegExp(`${parts.join('')}$`, 'y');
}

/** One instance per parser, `reset` for each record: its lists are only read by `finish`, never kept. */
export class KvScanner {
    private open: OpenValue | undefined;
    /** Key of a JSON value that was cut off by `abandon()`. */
    abandonedKey: string | undefined;
    /** Set when the list had more than MAX_FIELDS keys and the rest was kept as the last value. */
    tooManyFields = false;

    /**
     * Every key and value read so far, in order: the first `count` items of these parallel lists (`FieldBuilder`
     * makes the record). The lists are kept across records rather than emptied: emptying an array gives back its
     * storage, and regrowing it cost several allocations per record.
     */
    readonly keys: string[] = [];
    readonly values: string[] = [];
    count = 0;

    private readonly names: KeyNames;

    /** `names` may return a string it already holds for a key it recognises, saving a copy per key. */
    constructor(names: KeyNames = sliceNames) {
        this.names = names;
    }

    reset(): void {
        this.open = undefined;
        this.abandonedKey = undefined;
        this.tooManyFields = false;
        if (this.count > 64) {
            // A record with very many fields: let go of its strings (and the text they were cut from).
            this.keys.length = 0;
            this.values.length = 0;
        }
        this.count = 0;
    }

    private add(key: string, value: string): void {
        const i = this.count++;
        this.keys[i] = key;
        this.values[i] = value;
    }

    get isOpen(): boolean {
        return this.open !== undefined;
    }

    /**
     * Scans the list in `text` from `pos`, where a key must start (`firstColon`: its colon, when the caller has
     * read it; `firstExpected`: it is the key `names.expected(0)` stands for). Returns false when the line ended
     * inside a JSON value; feed the following lines to `resume` until it returns true.
     */
    scan(text: string, pos: number, firstColon = -1, firstExpected = false): boolean {
        forgetFound();
        if (firstColon >= 0) {
            // The caller read the first key already.
            foundKeyAt = pos;
            foundColon = firstColon;
            foundExpected = firstExpected;
        }
        backslashKnown = false;
        const names = this.names;
        let p = pos;
        for (;;) {
            const colon = colonOfKeyAt(text, p);
            if (colon < 0) {
                // Only reachable at the first key: later keys are found by the same test. Keep the text anyway.
                this.add('', text.slice(p));
                return true;
            }
            const index = this.count;
            const key =
                p === foundKeyAt && foundExpected
                    ? names.expectedKey(index)
                    : names.name(text, p, colon, this.keys, index);
            const expect = names.expected(index + 1);
            let v = colon + 1;
            if (text.charCodeAt(v) === SPACE) {
                v++;
            }
            const c = text.charCodeAt(v);
            let end: number;
            if (index === MAX_FIELDS - 1 && nextBoundary(text, v, undefined) < text.length) {
                this.tooManyFields = true;
                this.add(key, text.slice(v));
                return true;
            }
            if (c === QUOTE) {
                const close = scanQuoted(text, v);
                if (close >= 0 && atBoundaryOrEnd(text, close, expect)) {
                    this.add(key, unquote(text, v, close, names, index));
                    end = close;
                } else {
                    end = nextBoundary(text, close >= 0 ? close : v + 1, expect);
                    this.add(key, text.slice(v, end));
                }
            } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
                const st: JsonScan = { depth: 0 };
                const close = scanJson(text, v, st);
                if (close < 0) {
                    this.open = { key, pieces: [text.slice(v)], ...st };
                    return false;
                }
                end = atBoundaryOrEnd(text, close, expect) ? close : nextBoundary(text, close, expect);
                this.add(key, text.slice(v, end));
            } else {
                end = nextBoundary(text, v, expect);
                this.add(key, names.value(text, v, end, index));
            }
            if (end >= text.length) {
                return true;
            }
            p = end + 2;
        }
    }

    /**
     * Reads the list at `pos` with `pattern` from `layoutPattern(keys)`: true when it matched, with the keys and
     * values `scan` would have read; false, having read nothing, when `scan` must read it.
     */
    scanLayout(text: string, pos: number, keys: readonly string[], pattern: RegExp | undefined): boolean {
        if (pattern === undefined) {
            return false;
        }
        pattern.lastIndex = pos;
        let matched: boolean;
        try {
            matched = pattern.test(text);
        } catch {
            // The parser must not throw; should the regular expression engine run out of its own stack on some
            // giant line (none tested does), the scanner reads the line instead.
            return false;
        }
        if (!matched) {
            return false;
        }
        // The pattern captures nothing (a match array and a string per value would be garbage): each value is found
        // again from what the match proved. A quoted value has no quote inside, and any other value ends at the
        // first comma after it, or at the end of the line for the last one.
        backslashKnown = false;
        const names = this.names;
        const last = keys.length - 1;
        let at = pos;
        for (let i = 0; i <= last; i++) {
            const v = at + (keys[i] as string).length + 2;
            const c = text.charCodeAt(v);
            let end: number;
            let value: string;
            if (c === QUOTE) {
                end = text.indexOf('"', v + 1) + 1;
                value = names.value(text, v + 1, end - 1, i);
            } else {
                end = i === last ? text.length : text.indexOf(',', v);
                if (c === OPEN_BRACE || c === OPEN_BRACKET) {
                    // JSON may close past what looked like the next key (`{"reason": "x, b: y"}, b: 2` to a
                    // layout `lastError, b`), or not on this line at all: then the scanner reads it otherwise.
                    const close = scanJson(text, v, { depth: 0 });
                    if (close < 0 || close > end) {
                        this.count = 0;
                        return false;
                    }
                    value = text.slice(v, end);
                } else {
                    value = names.value(text, v, end, i);
                }
            }
            this.add(keys[i] as string, value);
            at = end + 2;
        }
        return true;
    }

    /** Continues an open JSON value with the next physical line. */
    resume(line: string): boolean {
        const open = this.open;
        if (!open) {
            return true;
        }
        backslashKnown = false;
        const close = scanJson(line, 0, open);
        if (close < 0) {
            open.pieces.push(line);
            return false;
        }
        this.open = undefined;
        forgetFound();
        const expect = this.names.expected(this.count + 1);
        const end = atBoundaryOrEnd(line, close, expect) ? close : nextBoundary(line, close, expect);
        open.pieces.push(line.slice(0, end));
        this.add(open.key, open.pieces.join('\n'));
        return end >= line.length ? true : this.scan(line, end + 2);
    }

    /** Ends an open JSON value where it stands, keeping the text read so far as its value. */
    abandon(): void {
        const open = this.open;
        if (open) {
            this.open = undefined;
            this.abandonedKey = open.key;
            this.add(open.key, open.pieces.join('\n'));
        }
    }
}
