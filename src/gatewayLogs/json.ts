// `telemetry.logs.std: json`: one object per line. Events carry level/timestamp/message/source (and in 2.x
// eventType, apiId, …); request records are the GatewayLogs object itself, flat, or wrapped one level deep.
// Real output is sometimes broken (interleaved writes, truncated lines, text after the object), so anything that
// does not read as an object is left to the caller to keep as text.

import { MAX_FIELDS } from './kv.ts';
import { normalizeLevel } from './levels.ts';
import type { GatewayLogEntry } from './entry.ts';
import { buildRequestFromObject, objectLooksLikeRequest } from './request.ts';
import { parseTimestamp } from './timestamp.ts';

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Index just past the brace that closes the object starting at 0, or -1. */
function objectEnd(s: string): number {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (inString) {
            if (c === 92) {
                i++;
            } else if (c === 34) {
                inString = false;
            }
        } else if (c === 34) {
            inString = true;
        } else if (c === 123 || c === 91) {
            depth++;
        } else if (c === 125 || c === 93) {
            depth--;
            if (depth === 0) {
                return i + 1;
            }
        }
    }
    return -1;
}

/**
 * The longest text handed to JSON.parse (the follower's default maximum line length): V8's parser is superlinear on
 * deeply nested input, so a longer line stays a text entry, whole in `raw`.
 */
export const MAX_JSON_CHARS = 1024 * 1024;

function tryParse(s: string): unknown {
    if (s.length > MAX_JSON_CHARS) {
        return undefined;
    }
    try {
        return JSON.parse(s) as unknown;
    } catch {
        return undefined;
    }
}

/** Reads a line as a JSON object; `trailing` when text after the object had to be ignored. */
export function readJsonLine(s: string): { obj: JsonObject; trailing: boolean } | undefined {
    const whole = tryParse(s);
    if (isObject(whole)) {
        return { obj: whole, trailing: false };
    }
    if (whole !== undefined) {
        return undefined;
    }
    const end = objectEnd(s);
    if (end <= 0 || end >= s.length) {
        return undefined;
    }
    const head = tryParse(s.slice(0, end));
    return isObject(head) ? { obj: head, trailing: true } : undefined;
}

function text(v: unknown): string {
    if (typeof v === 'string') {
        return v;
    }
    if (typeof v === 'object' && v !== null) {
        return JSON.stringify(v);
    }
    return String(v);
}

function firstString(obj: JsonObject, keys: readonly string[]): string | undefined {
    for (const key of keys) {
        const v = obj[key];
        if (typeof v === 'string') {
            return v;
        }
    }
    return undefined;
}

function requestSource(obj: JsonObject): JsonObject | undefined {
    if (objectLooksLikeRequest(obj)) {
        return obj;
    }
    for (const key of Object.keys(obj)) {
        const v = obj[key];
        if (isObject(v) && objectLooksLikeRequest(v)) {
            return v;
        }
    }
    return undefined;
}

/** The `fields` record of a JSON object: every value as a string, nested values as their JSON text. */
function jsonFields(obj: JsonObject, keys: readonly string[]): { fields: Record<string, string>; omitted: number } {
    if (keys.length <= MAX_FIELDS) {
        // A copy keeps the fast object layout JSON.parse gave (see fields.ts); overwriting values does not change it.
        const fields: Record<string, unknown> = { ...obj };
        for (const key of keys) {
            const v = fields[key];
            if (typeof v !== 'string') {
                fields[key] = text(v);
            }
        }
        return { fields: fields as Record<string, string>, omitted: 0 };
    }
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < MAX_FIELDS; i++) {
        const key = keys[i] ?? '';
        pairs.push([key, text(obj[key])]);
    }
    return { fields: Object.fromEntries(pairs) as Record<string, string>, omitted: keys.length - MAX_FIELDS };
}

/**
 * Fills `entry` (format, kind, fields, …) from a parsed JSON record. Returns false, leaving `entry` untouched, when
 * a value is nested too deeply for JSON.stringify (it overflows the stack some ten thousand levels down, where
 * JSON.parse does not): the caller keeps such a line as text.
 */
export function fillFromJson(entry: GatewayLogEntry, obj: JsonObject): boolean {
    let read: { fields: Record<string, string>; omitted: number };
    try {
        read = jsonFields(obj, Object.keys(obj));
    } catch {
        return false;
    }
    entry.format = 'json';
    entry.kind = 'event';
    entry.fields = read.fields;
    if (read.omitted > 0) {
        (entry.notes ??= []).push(`${read.omitted} keys past the first ${MAX_FIELDS} are only in raw`);
    }
    const levelRaw = firstString(obj, ['level', 'Level', 'severity', 'logLevel']);
    if (levelRaw !== undefined) {
        entry.levelRaw = levelRaw;
        const level = normalizeLevel(levelRaw);
        if (level) {
            entry.level = level;
        }
    }
    const time = firstString(obj, ['timestamp', 'Timestamp', 'time', '@t']);
    if (time !== undefined) {
        entry.timestamp = parseTimestamp(time) ?? { raw: time, assumedUtc: false };
    }
    const event = firstString(obj, ['eventType', 'eventName', 'EventName']);
    if (event !== undefined) {
        entry.event = event;
    }
    const message = obj['message'];
    if (message !== undefined && message !== null) {
        // Already written out in fields: stringifying it again could overflow like the check above.
        const written = Object.hasOwn(read.fields, 'message') ? read.fields['message'] : undefined;
        if (written !== undefined) {
            entry.message = written;
        }
    }
    const source = firstString(obj, ['source']);
    if (source !== undefined) {
        entry.source = source;
    }
    const req = requestSource(obj);
    if (req) {
        entry.kind = 'request';
        entry.request = buildRequestFromObject(req);
        if (!entry.timestamp && entry.request.timeGenerated) {
            entry.timestamp = entry.request.timeGenerated;
        }
    }
    return true;
}
