import type { LogTimestamp } from './entry.ts';

// Hand-written rather than Date.parse: engines disagree on 7-digit fractions (`.5669435Z`), unpadded days and
// zone-less ISO text (local time in some, UTC in others), and the parser must give the same answer in the extension
// host and the webview. It runs once per log line, so it reads digits into module state instead of allocating.

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

let pos = 0;
let count = 0;

/** Digits read by the last `num` call (a function so the type checker does not narrow it across calls). */
function got(): number {
    return count;
}

/** Reads up to `max` digits at `pos`; `got()` says how many were read. */
function num(s: string, max: number): number {
    let value = 0;
    count = 0;
    while (count < max && pos < s.length) {
        const d = s.charCodeAt(pos) - 48;
        if (d < 0 || d > 9) {
            break;
        }
        value = value * 10 + d;
        pos++;
        count++;
    }
    return value;
}

function eat(s: string, ch: number): boolean {
    if (s.charCodeAt(pos) === ch) {
        pos++;
        return true;
    }
    return false;
}

/** Milliseconds from the first three fraction digits; the rest must be digits and are dropped. -1 if none. */
function fraction(s: string): number {
    let ms = 0;
    let n = 0;
    while (pos < s.length) {
        const d = s.charCodeAt(pos) - 48;
        if (d < 0 || d > 9) {
            break;
        }
        if (n < 3) {
            ms = ms * 10 + d;
        }
        n++;
        pos++;
    }
    if (n === 0) {
        return -1;
    }
    for (let k = n; k < 3; k++) {
        ms *= 10;
    }
    return ms;
}

const NO_ZONE = 1e9;

/** `Z`, `+hh:mm`, `+hhmm`, `+hh`: minutes east of UTC; NO_ZONE when absent; NaN when malformed. */
function zone(s: string): number {
    const c = s.charCodeAt(pos);
    if (c === 90 || c === 122) {
        pos++;
        return 0;
    }
    if (c !== 43 && c !== 45) {
        return NO_ZONE;
    }
    pos++;
    const hh = num(s, 2);
    if (got() !== 2) {
        return NaN;
    }
    eat(s, 58);
    const mm = num(s, 2);
    const minutes = hh * 60 + (got() === 2 ? mm : 0);
    return c === 45 ? -minutes : minutes;
}

let cachedDayKey = -1;
let cachedDayEpoch = 0;

/** Epoch ms of a date's midnight UTC, or NaN for an impossible date. Logs repeat the same day on every line. */
function dayEpoch(y: number, mo: number, d: number): number {
    const key = (y * 100 + mo) * 100 + d;
    if (key === cachedDayKey) {
        return cachedDayEpoch;
    }
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const max = mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0);
    if (mo < 1 || mo > 12 || d < 1 || d > max) {
        return NaN;
    }
    cachedDayKey = key;
    cachedDayEpoch = Date.UTC(y, mo - 1, d);
    return cachedDayEpoch;
}

function build(raw: string, day: number, h: number, mi: number, sec: number, ms: number, offset: number): LogTimestamp {
    const assumedUtc = offset === NO_ZONE;
    if (Number.isNaN(day) || Number.isNaN(offset) || h > 23 || mi > 59 || sec > 59) {
        return { raw, assumedUtc };
    }
    const value = day + ((h * 60 + mi) * 60 + sec) * 1000 + ms - (assumedUtc ? 0 : offset * 60_000);
    return { raw, value, assumedUtc };
}

/**
 * `yyyy-M-dTH:mm[:ss[.f…]][zone]`, also with a space for `T`, as the whole of `raw`; or, `inLine`, as the token
 * at `from` in a line, which ends at a space, a comma, a `[` or the line's end (so neither a space for `T` nor a
 * decimal comma can occur in it).
 */
function isoLike(raw: string, from: number, inLine: boolean): LogTimestamp | undefined {
    pos = from;
    const y = num(raw, 4);
    if (got() !== 4 || !eat(raw, 45)) {
        return undefined;
    }
    const mo = num(raw, 2);
    if (got() === 0 || !eat(raw, 45)) {
        return undefined;
    }
    const d = num(raw, 2);
    const dayDigits = got();
    if (dayDigits === 0) {
        return undefined;
    }
    let h = 0;
    let mi = 0;
    let sec = 0;
    let ms = 0;
    let hourWritten = false;
    if (eat(raw, 84) || (!inLine && eat(raw, 32))) {
        h = num(raw, 2);
        if (got() === 0 || !eat(raw, 58)) {
            return undefined;
        }
        mi = num(raw, 2);
        if (got() !== 2) {
            return undefined;
        }
        hourWritten = true;
        if (eat(raw, 58)) {
            sec = num(raw, 2);
            if (got() !== 2) {
                return undefined;
            }
            if (eat(raw, 46) || (!inLine && eat(raw, 44))) {
                ms = fraction(raw);
                if (ms < 0) {
                    return undefined;
                }
            }
        }
    }
    const offset = zone(raw);
    if (inLine) {
        const c = raw.charCodeAt(pos);
        if (pos !== raw.length && c !== 32 && c !== 44 && c !== 91) {
            return undefined;
        }
    } else if (pos !== raw.length) {
        return undefined;
    }
    const ts = build(inLine ? raw.slice(from, pos) : raw, dayEpoch(y, mo, d), h, mi, sec, ms, offset);
    if (dayDigits === 1 && hourWritten && h >= 1 && h <= 12) {
        ts.hourAmbiguous = true;
    }
    return ts;
}

/**
 * .NET `DateTime.ToString()`: invariant culture `MM/dd/yyyy HH:mm:ss` (v1 `timeGenerated`), or en-US
 * `M/d/yyyy h:mm:ss AM` when the container runs with that culture.
 */
function invariantCulture(raw: string): LogTimestamp | undefined {
    pos = 0;
    const mo = num(raw, 2);
    if (got() === 0 || !eat(raw, 47)) {
        return undefined;
    }
    const d = num(raw, 2);
    if (got() === 0 || !eat(raw, 47)) {
        return undefined;
    }
    const y = num(raw, 4);
    if (got() !== 4 || !eat(raw, 32)) {
        return undefined;
    }
    let h = num(raw, 2);
    if (got() === 0 || !eat(raw, 58)) {
        return undefined;
    }
    const mi = num(raw, 2);
    if (got() !== 2 || !eat(raw, 58)) {
        return undefined;
    }
    const sec = num(raw, 2);
    if (got() !== 2) {
        return undefined;
    }
    let ms = 0;
    if (eat(raw, 46)) {
        ms = fraction(raw);
        if (ms < 0) {
            return undefined;
        }
    }
    const meridiem = raw.slice(pos, pos + 3);
    if (meridiem === ' AM' || meridiem === ' PM') {
        if (h < 1 || h > 12) {
            return undefined;
        }
        h = (h % 12) + (meridiem === ' PM' ? 12 : 0);
        pos += 3;
    }
    eat(raw, 32);
    const offset = zone(raw);
    if (pos !== raw.length) {
        return undefined;
    }
    return build(raw, dayEpoch(y, mo, d), h, mi, sec, ms, offset);
}

/**
 * Reads a gateway timestamp. Returns undefined when the text does not have a date's shape at all; a date-shaped text
 * with impossible values (month 13) gives a timestamp without `value`.
 */
export function parseTimestamp(raw: string): LogTimestamp | undefined {
    const first = raw.charCodeAt(0);
    if (!(first >= 48 && first <= 57)) {
        return undefined;
    }
    return isoLike(raw, 0, false) ?? invariantCulture(raw);
}

/**
 * `parseTimestamp` of the token at `from` in `line`, the text up to the next space, comma or `[` (then the line's
 * end), read in place rather than cut out first. On success `timestampEnd()` is where the token ends.
 */
export function parseTimestampAt(line: string, from: number): LogTimestamp | undefined {
    const first = line.charCodeAt(from);
    if (!(first >= 48 && first <= 57)) {
        return undefined;
    }
    // The other shape, `MM/dd/yyyy HH:mm:ss`, needs a space after the year, which such a token cannot hold.
    return usualShape(line, from) ?? isoLike(line, from, true);
}

/** The two digits at `i` as a number, or -1. */
function twoDigits(s: string, i: number): number {
    const a = s.charCodeAt(i) - 48;
    const b = s.charCodeAt(i + 1) - 48;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The length of the usual 2.x timestamp, `yyyy-MM-ddTHH:mm:ss.fff`. */
export const USUAL_TIMESTAMP_LENGTH = 23;

/**
 * Where the shape 2.x writes on every line, `yyyy-MM-ddTHH:mm:ss.fff` with no zone, would end if it is at `from`:
 * its separators in place and followed by a space, a comma, a `[` or `lineEnd`; else -1. Digits not checked.
 */
function usualFrameEnd(line: string, from: number, lineEnd: number): number {
    const end = from + USUAL_TIMESTAMP_LENGTH;
    if (
        line.charCodeAt(from + 4) !== 45 ||
        line.charCodeAt(from + 7) !== 45 ||
        line.charCodeAt(from + 10) !== 84 ||
        line.charCodeAt(from + 13) !== 58 ||
        line.charCodeAt(from + 16) !== 58 ||
        line.charCodeAt(from + 19) !== 46 ||
        end > lineEnd
    ) {
        return -1;
    }
    const next = line.charCodeAt(end);
    return end < lineEnd && next !== 32 && next !== 44 && next !== 91 ? -1 : end;
}

/**
 * Where the usual 2.x timestamp at `from` ends (see `usualFrameEnd`), its digits checked too; else -1. Allocates
 * nothing, so a lazy reader can find the end of a line's timestamp and read the timestamp only when asked.
 */
export function usualShapeEnd(line: string, from: number, lineEnd: number): number {
    const end = usualFrameEnd(line, from, lineEnd);
    if (end < 0) {
        return -1;
    }
    const digits =
        twoDigits(line, from) |
        twoDigits(line, from + 2) |
        twoDigits(line, from + 5) |
        twoDigits(line, from + 8) |
        twoDigits(line, from + 11) |
        twoDigits(line, from + 14) |
        twoDigits(line, from + 17) |
        twoDigits(line, from + 20) |
        twoDigits(line, from + 21);
    return digits < 0 ? -1 : end;
}

/**
 * The usual 2.x timestamp read at fixed places; undefined for anything else, which `isoLike` then reads (this gives
 * what it would).
 */
function usualShape(line: string, from: number): LogTimestamp | undefined {
    const end = usualFrameEnd(line, from, line.length);
    if (end < 0) {
        return undefined;
    }
    const century = twoDigits(line, from);
    const year = twoDigits(line, from + 2);
    const mo = twoDigits(line, from + 5);
    const d = twoDigits(line, from + 8);
    const h = twoDigits(line, from + 11);
    const mi = twoDigits(line, from + 14);
    const sec = twoDigits(line, from + 17);
    const ms10 = twoDigits(line, from + 20);
    const ms1 = line.charCodeAt(from + 22) - 48;
    if ((century | year | mo | d | h | mi | sec | ms10) < 0 || !(ms1 >= 0 && ms1 <= 9)) {
        return undefined;
    }
    pos = end;
    return build(line.slice(from, end), dayEpoch(century * 100 + year, mo, d), h, mi, sec, ms10 * 10 + ms1, NO_ZONE);
}

/** Where the token read by the last successful `parseTimestampAt` ends. */
export function timestampEnd(): number {
    return pos;
}
