// A line that looks like a JSON record but that JSON.parse refuses: cut off by a terminal or a size limit, a stray or
// doubled quote in a message, every quote doubled by a CSV export of Log Analytics. What can still be known for sure
// (level, time, correlation id, response code, the lastError reason) is read by key name; a value is taken only when
// it ends where a JSON value ends, so a cut-off `"responseCode":40` is not read as 40. The rest stays in `raw`.

import { MAX_JSON_CHARS, fillFromJson } from './json.ts';
import type { GatewayLogEntry } from './entry.ts';

/** Only this much of a broken line is searched: the keys worth recovering come first in every real record. */
export const MAX_RECOVER_LENGTH = 65_536;

/** Keys of the record itself (top level, or one object down as in `properties`). */
const RECORD_KEYS = [
    'level',
    'Level',
    'severity',
    'timestamp',
    'Timestamp',
    'time',
    'eventType',
    'source',
    'category',
    'isRequestSuccess',
    'timeGenerated',
    'correlationId',
    'method',
    'url',
    'responseCode',
    'backendResponseCode',
    'apiId',
    'operationId',
    'apiRevision',
] as const;
/** Keys read inside `lastError`. */
const ERROR_KEYS = ['source', 'reason'] as const;

const QUOTE = 34;
const BACKSLASH = 92;

function isSpace(c: number): boolean {
    return c === 32 || c === 9 || c === 13;
}

/** Whether `at` is where a key may start: after `{` or `,` (and spaces). A key name inside a string is not one. */
function atKeyPosition(s: string, at: number): boolean {
    let i = at - 1;
    while (i >= 0 && isSpace(s.charCodeAt(i))) {
        i--;
    }
    const c = s.charCodeAt(i);
    return c === 123 || c === 44;
}

/** Whether a value ending before `at` is complete: what follows is `,` or `}` (spaces aside), not the end of the text. */
function endsValue(s: string, at: number): boolean {
    let i = at;
    while (i < s.length && isSpace(s.charCodeAt(i))) {
        i++;
    }
    const c = s.charCodeAt(i);
    return c === 44 || c === 125;
}

/** The JSON value of `"key"` at or after `from` and before `to`, when it is a complete string, number or boolean. */
function valueOf(s: string, key: string, from: number, to: number): string | number | boolean | undefined {
    const quoted = `"${key}"`;
    let at = s.indexOf(quoted, from);
    while (at >= 0 && at < to && !atKeyPosition(s, at)) {
        at = s.indexOf(quoted, at + quoted.length);
    }
    if (at < 0 || at >= to) {
        return undefined;
    }
    let i = at + quoted.length;
    while (isSpace(s.charCodeAt(i))) {
        i++;
    }
    if (s.charCodeAt(i) !== 58) {
        return undefined;
    }
    i++;
    while (isSpace(s.charCodeAt(i))) {
        i++;
    }
    if (s.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        let escaped = false;
        for (; j < s.length; j++) {
            const c = s.charCodeAt(j);
            if (c === BACKSLASH) {
                escaped = true;
                j++;
            } else if (c === QUOTE) {
                break;
            }
        }
        if (j >= s.length || !endsValue(s, j + 1)) {
            return undefined;
        }
        const raw = s.slice(i + 1, j);
        if (!escaped) {
            return raw;
        }
        try {
            return JSON.parse(`"${raw}"`) as string;
        } catch {
            return undefined;
        }
    }
    let j = i;
    while (j < s.length && /[-+.\w]/.test(s.charAt(j))) {
        j++;
    }
    if (j === i || !endsValue(s, j)) {
        return undefined;
    }
    const word = s.slice(i, j);
    if (word === 'true' || word === 'false') {
        return word === 'true';
    }
    const n = Number(word);
    return Number.isFinite(n) ? n : undefined;
}

/** The keys that could be read for sure, as a flat record (`lastError` holding its reason and source). */
function readByKey(s: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const errorAt = s.indexOf('"lastError"');
    const errorsAt = s.indexOf('"errors"');
    // The record's own keys come before its lastError/errors, whose `source` is another thing.
    const nested = [errorAt, errorsAt].filter((i) => i >= 0);
    const recordEnd = nested.length > 0 ? Math.min(...nested) : s.length;
    for (const key of RECORD_KEYS) {
        if (Object.hasOwn(out, key)) {
            continue;
        }
        const v = valueOf(s, key, 0, recordEnd);
        if (v !== undefined) {
            out[key] = v;
        }
    }
    if (errorAt >= 0) {
        const lastError: Record<string, unknown> = {};
        for (const key of ERROR_KEYS) {
            const v = valueOf(s, key, errorAt, s.length);
            if (typeof v === 'string') {
                lastError[key] = v;
            }
        }
        if (Object.keys(lastError).length > 0) {
            out['lastError'] = lastError;
        }
    }
    return out;
}

/**
 * A CSV export doubles every quote and may wrap the record in quotes (`"{""level"":""Error""}"`); a single stray
 * doubled quote is the same mistake once. Halving every pair gives such a record back, when it then parses.
 */
function halved(s: string): string | undefined {
    if (!s.includes('""')) {
        return undefined;
    }
    let t = s;
    if (t.charCodeAt(0) === QUOTE) {
        t = t.endsWith('}"') ? t.slice(1, -1) : t.slice(1);
    }
    return t.replaceAll('""', '"');
}

function parsedObject(s: string): Record<string, unknown> | undefined {
    try {
        const v = JSON.parse(s) as unknown;
        return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Fills `entry` from a line that starts like a JSON record (`{` or a CSV-quoted `"{`) that JSON.parse refused.
 * Returns false, leaving the entry as it was, when nothing could be read for sure.
 */
export function recoverJsonLike(entry: GatewayLogEntry, s: string): boolean {
    const text = s.length > MAX_RECOVER_LENGTH ? s.slice(0, MAX_RECOVER_LENGTH) : s;
    const half = halved(text);
    const whole = half !== undefined && text === s ? parsedObject(half) : undefined;
    if (whole && fillFromJson(entry, whole)) {
        (entry.notes ??= []).push('not valid JSON as written: its quotes were doubled (as in a CSV export); read with each pair halved');
        return true;
    }
    const found = readByKey(half ?? text);
    const keys = Object.keys(found);
    if (keys.length === 0 || !fillFromJson(entry, found)) {
        return false;
    }
    const names = keys.map((k) => (k === 'lastError' ? 'lastError reason' : k));
    const why = s.length > MAX_JSON_CHARS ? `longer than ${MAX_JSON_CHARS} characters, so not parsed as JSON` : 'not valid JSON (cut off, or a stray quote)';
    (entry.notes ??= []).push(`${why}: read ${names.join(', ')} by name; the rest is only in raw`);
    return true;
}
