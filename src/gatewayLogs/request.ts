import type { GatewayError, GatewayLogEntry, GatewayRequest } from './model.ts';
import { setOwn } from './fields.ts';
import { parseTimestamp } from './timestamp.ts';

// One builder for both syntaxes: text records give every value as a string, JSON records give numbers, booleans
// and nested objects. `get` hides the difference.

function asString(v: unknown): string | undefined {
    if (typeof v === 'string') {
        return v;
    }
    if (typeof v === 'number' || typeof v === 'boolean') {
        return String(v);
    }
    return undefined;
}

function isDecimal(s: string): boolean {
    let i = s.charCodeAt(0) === 45 ? 1 : 0;
    const digitsStart = i;
    let dot = false;
    for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 46 && !dot && i > digitsStart) {
            dot = true;
        } else if (c < 48 || c > 57) {
            return false;
        }
    }
    return i > digitsStart && s.charCodeAt(s.length - 1) !== 46;
}

function asNumber(v: unknown): number | undefined {
    if (typeof v === 'number') {
        return Number.isFinite(v) ? v : undefined;
    }
    if (typeof v === 'string' && v.length > 0 && v.length < 30 && isDecimal(v)) {
        return Number(v);
    }
    return undefined;
}

function asBoolean(v: unknown): boolean | undefined {
    if (typeof v === 'boolean') {
        return v;
    }
    if (typeof v === 'string') {
        const lower = v.toLowerCase();
        if (lower === 'true') {
            return true;
        }
        if (lower === 'false') {
            return false;
        }
    }
    return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseJsonText(v: unknown): unknown {
    if (typeof v !== 'string') {
        return v;
    }
    try {
        return JSON.parse(v) as unknown;
    } catch {
        return undefined;
    }
}

function toGatewayError(o: Record<string, unknown>): GatewayError {
    const e: GatewayError = {};
    for (const key of Object.keys(o)) {
        const value = o[key];
        const elapsed = key === 'elapsed' ? asNumber(value) : undefined;
        if (elapsed !== undefined) {
            e.elapsed = elapsed;
        } else {
            setOwn(e, key, value);
        }
    }
    return e;
}

function asError(v: unknown): GatewayError | undefined {
    const parsed = parseJsonText(v);
    return isPlainObject(parsed) ? toGatewayError(parsed) : undefined;
}

function asErrors(v: unknown): GatewayError[] | undefined {
    const parsed = parseJsonText(v);
    if (!Array.isArray(parsed)) {
        return undefined;
    }
    const list: GatewayError[] = [];
    for (const item of parsed) {
        if (isPlainObject(item)) {
            list.push(toGatewayError(item));
        }
    }
    return list;
}

/**
 * Sets the request property a record key stands for; the first occurrence of a key wins. Named assignments, not
 * computed names: those would put every request object in V8's slow dictionary mode (see fields.ts).
 */
function applyField(r: GatewayRequest, key: string, value: unknown): void {
    switch (key) {
        case 'correlationId':
            r.correlationId ??= asString(value);
            break;
        case 'method':
            r.method ??= asString(value);
            break;
        case 'url':
            r.url ??= asString(value);
            break;
        case 'responseCode':
            r.responseCode ??= asNumber(value);
            break;
        case 'backendResponseCode':
            r.backendResponseCode ??= asNumber(value);
            break;
        case 'totalTime':
            r.totalTime ??= asNumber(value);
            break;
        case 'backendTime':
            r.backendTime ??= asNumber(value);
            break;
        case 'clientTime':
            r.clientTime ??= asNumber(value);
            break;
        case 'apiId':
            r.apiId ??= asString(value);
            break;
        case 'operationId':
            r.operationId ??= asString(value);
            break;
        case 'apiRevision':
            r.apiRevision ??= asString(value);
            break;
        case 'clientProtocol':
            r.clientProtocol ??= asString(value);
            break;
        case 'backendProtocol':
            r.backendProtocol ??= asString(value);
            break;
        case 'backendMethod':
            r.backendMethod ??= asString(value);
            break;
        case 'backendUrl':
            r.backendUrl ??= asString(value);
            break;
        case 'isRequestSuccess':
            r.isRequestSuccess ??= asBoolean(value);
            break;
        case 'cache':
            r.cache ??= asString(value);
            break;
        case 'region':
            r.region ??= asString(value);
            break;
        case 'callerIpAddress':
            r.callerIpAddress ??= asString(value);
            break;
        case 'responseSize':
            r.responseSize ??= asNumber(value);
            break;
        case 'apimSubscriptionId':
            r.apimSubscriptionId ??= asString(value);
            break;
        case 'timeGenerated': {
            const s = asString(value);
            if (s !== undefined) {
                r.timeGenerated ??= parseTimestamp(s) ?? { raw: s, assumedUtc: false };
            }
            break;
        }
        case 'lastError':
            r.lastError ??= asError(value);
            break;
        case 'errors':
            r.errors ??= asErrors(value);
            break;
    }
}

/** Drops properties left undefined by `??=` on unreadable values, so entries compare and serialise cleanly. */
function dropUndefined(r: GatewayRequest): GatewayRequest {
    for (const key of Object.keys(r) as Array<keyof GatewayRequest>) {
        if (r[key] === undefined) {
            delete r[key];
        }
    }
    return r;
}

/** Builds the typed request from a record's keys and values, in the order written (repeats already renamed). */
export function buildRequest(keys: readonly string[], values: readonly unknown[]): GatewayRequest {
    const r: GatewayRequest = {};
    for (let i = 0; i < keys.length; i++) {
        applyField(r, keys[i] ?? '', values[i]);
    }
    return dropUndefined(r);
}

/** Builds the typed request from a parsed JSON object. */
export function buildRequestFromObject(obj: Record<string, unknown>): GatewayRequest {
    const r: GatewayRequest = {};
    for (const key of Object.keys(obj)) {
        applyField(r, key, obj[key]);
    }
    return dropUndefined(r);
}

/** True when a record is the gateway's per-request log rather than an event that happens to have fields. */
export function looksLikeRequest(keys: readonly string[], values: readonly unknown[]): boolean {
    for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (key === 'isRequestSuccess' || (key === 'category' && values[i] === 'GatewayLogs')) {
            return true;
        }
    }
    return false;
}

/** The same test on a parsed JSON object. */
export function objectLooksLikeRequest(obj: Record<string, unknown>): boolean {
    return Object.hasOwn(obj, 'isRequestSuccess') || obj['category'] === 'GatewayLogs';
}
/**
 * A request the gateway did not complete with a 2xx/3xx answer. The gateway's own `isRequestSuccess` decides when it
 * is present (Azure Monitor defines it as exactly that range); otherwise the response code, then a recorded error.
 */
export function isFailedRequest(entry: GatewayLogEntry): boolean {
    const r = entry.request;
    if (entry.kind !== 'request' || !r) {
        return false;
    }
    if (r.isRequestSuccess !== undefined) {
        return !r.isRequestSuccess;
    }
    if (r.responseCode !== undefined) {
        return r.responseCode >= 400 || r.responseCode < 100;
    }
    return r.lastError !== undefined || (r.errors !== undefined && r.errors.length > 0);
}

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx';

/** The HTTP status class of a code; undefined for anything outside 100–599 (0 is written for aborted calls). */
export function statusClass(code: number | undefined): StatusClass | undefined {
    if (code === undefined || !Number.isInteger(code) || code < 100 || code > 599) {
        return undefined;
    }
    return `${Math.floor(code / 100)}xx` as StatusClass;
}
