// The `, key: value, key: value` lists of the text format. Values are unquoted (`url: http://x/`), quoted
// (`category: "GatewayLogs"`) or JSON that may run over several physical lines (`lastError: {` … `}`), so the
// scanner can stop at the end of a line with a JSON value open and resume on the next line.
//
// Every scan moves forward only: after a quoted or JSON value that is not followed by a clean boundary the search
// for the next boundary continues from where that value ended, never from where it began, which keeps the work
// linear in the input on any text.

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

// The boundary tests below already find the next key's colon; remembering it saves reading every key twice.
let foundKeyText = '';
let foundKeyAt = -1;
let foundColon = -1;

function keyAtBoundary(text: string, comma: number): boolean {
    const colon = keyAt(text, comma + 2);
    if (colon < 0) {
        return false;
    }
    foundKeyText = text;
    foundKeyAt = comma + 2;
    foundColon = colon;
    return true;
}

function colonOfKeyAt(text: string, p: number): number {
    return p === foundKeyAt && text === foundKeyText ? foundColon : keyAt(text, p);
}

/** Index of the next `, key: ` at or after `from`, or the text's length. */
function nextBoundary(text: string, from: number): number {
    let i = from;
    for (;;) {
        const comma = text.indexOf(', ', i);
        if (comma < 0) {
            return text.length;
        }
        if (keyAtBoundary(text, comma)) {
            return comma;
        }
        i = comma + 1;
    }
}

function atBoundaryOrEnd(text: string, i: number): boolean {
    return (
        i === text.length ||
        (text.charCodeAt(i) === COMMA && text.charCodeAt(i + 1) === SPACE && keyAtBoundary(text, i))
    );
}

interface JsonScan {
    depth: number;
    inString: boolean;
    escape: boolean;
}

/** Index just past the bracket that closes the value, or -1 with `st` left ready to continue on the next line. */
function scanJson(text: string, from: number, st: JsonScan): number {
    let { depth, inString, escape } = st;
    for (let i = from; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (inString) {
            if (escape) {
                escape = false;
            } else if (c === BACKSLASH) {
                escape = true;
            } else if (c === QUOTE) {
                inString = false;
            }
        } else if (c === QUOTE) {
            inString = true;
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            depth++;
        } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            depth--;
            if (depth <= 0) {
                return i + 1;
            }
        }
    }
    st.depth = depth;
    // A JSON string cannot hold a raw line break, so an unclosed string ends with its line.
    st.inString = false;
    st.escape = false;
    return -1;
}

let quotedHasEscape = false;

/** Index just past the closing quote, or -1; sets `quotedHasEscape`. */
function scanQuoted(text: string, from: number): number {
    quotedHasEscape = false;
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
function unquote(text: string, from: number, close: number): string {
    if (!quotedHasEscape) {
        return text.slice(from + 1, close - 1);
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

export class KvScanner {
    private open: OpenValue | undefined;
    /** Key of a JSON value that was cut off by `abandon()`. */
    abandonedKey: string | undefined;
    /** Set when the list had more than MAX_FIELDS keys and the rest was kept as the last value. */
    tooManyFields = false;

    /** Every key and value read so far, in order (parallel lists; `FieldBuilder` makes the record). */
    readonly keys: string[] = [];
    readonly values: string[] = [];

    private add(key: string, value: string): void {
        this.keys.push(key);
        this.values.push(value);
    }

    get isOpen(): boolean {
        return this.open !== undefined;
    }

    /**
     * Scans the list in `text` from `pos`, where a key must start. Returns false when the line ended inside a JSON
     * value; feed the following lines to `resume` until it returns true.
     */
    scan(text: string, pos: number): boolean {
        let p = pos;
        for (;;) {
            const colon = colonOfKeyAt(text, p);
            if (colon < 0) {
                // Only reachable at the first key: later keys are found by the same test. Keep the text anyway.
                this.add('', text.slice(p));
                return true;
            }
            const key = text.slice(p, colon);
            let v = colon + 1;
            if (text.charCodeAt(v) === SPACE) {
                v++;
            }
            const c = text.charCodeAt(v);
            let end: number;
            if (this.keys.length === MAX_FIELDS - 1 && nextBoundary(text, v) < text.length) {
                this.tooManyFields = true;
                this.add(key, text.slice(v));
                return true;
            }
            if (c === QUOTE) {
                const close = scanQuoted(text, v);
                if (close >= 0 && atBoundaryOrEnd(text, close)) {
                    this.add(key, unquote(text, v, close));
                    end = close;
                } else {
                    end = nextBoundary(text, close >= 0 ? close : v + 1);
                    this.add(key, text.slice(v, end));
                }
            } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
                const st: JsonScan = { depth: 0, inString: false, escape: false };
                const close = scanJson(text, v, st);
                if (close < 0) {
                    this.open = { key, pieces: [text.slice(v)], ...st };
                    return false;
                }
                end = atBoundaryOrEnd(text, close) ? close : nextBoundary(text, close);
                this.add(key, text.slice(v, end));
            } else {
                end = nextBoundary(text, v);
                this.add(key, text.slice(v, end));
            }
            if (end >= text.length) {
                return true;
            }
            p = end + 2;
        }
    }

    /** Continues an open JSON value with the next physical line. */
    resume(line: string): boolean {
        const open = this.open;
        if (!open) {
            return true;
        }
        const close = scanJson(line, 0, open);
        if (close < 0) {
            open.pieces.push(line);
            return false;
        }
        this.open = undefined;
        const end = atBoundaryOrEnd(line, close) ? close : nextBoundary(line, close);
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
