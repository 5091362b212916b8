import type { GatewayError, GatewayLogEntry, GatewayRequest, LogTimestamp } from './entry.ts';
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

/** The value of a decimal numeral (`-12`, `3.5`); NaN for anything else. */
function decimal(s: string): number {
    let i = s.charCodeAt(0) === 45 ? 1 : 0;
    const digitsStart = i;
    let n = 0;
    for (; i < s.length; i++) {
        const d = s.charCodeAt(i) - 48;
        if (d < 0 || d > 9) {
            break;
        }
        n = n * 10 + d;
    }
    if (i === digitsStart) {
        return NaN;
    }
    if (i === s.length) {
        // Up to 15 digits the sum is exact; longer numerals go through Number for its rounding.
        return i - digitsStart > 15 ? Number(s) : digitsStart === 1 ? -n : n;
    }
    if (s.charCodeAt(i) !== 46 || i + 1 === s.length) {
        return NaN;
    }
    for (i++; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 48 || c > 57) {
            return NaN;
        }
    }
    return Number(s);
}

export function asNumber(v: unknown): number | undefined {
    if (typeof v === 'number') {
        return Number.isFinite(v) ? v : undefined;
    }
    if (typeof v === 'string' && v.length > 0 && v.length < 30) {
        const n = decimal(v);
        return Number.isNaN(n) ? undefined : n;
    }
    return undefined;
}

export function asBoolean(v: unknown): boolean | undefined {
    if (typeof v === 'boolean') {
        return v;
    }
    if (typeof v === 'string') {
        // The spellings the gateway writes first: they skip the lower-case copy.
        if (v === 'True' || v === 'true') {
            return true;
        }
        if (v === 'False' || v === 'false') {
            return false;
        }
        const lower = v.length === 4 || v.length === 5 ? v.toLowerCase() : '';
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
        // A value wrapped over lines by a blog or a chat has a line break inside a string, where JSON allows none; as
        // whitespace between tokens a line break means the same as a space, so the retry changes nothing else.
        if (v.includes('\n')) {
            try {
                return JSON.parse(v.replaceAll('\n', ' ')) as unknown;
            } catch {
                return undefined;
            }
        }
        return undefined;
    }
}

/**
 * A parsed `lastError` object as a GatewayError: `elapsed` as a number when it reads as one. Converted in place:
 * the object is JSON.parse's (text records) or part of the record JSON.parse read, which nothing else keeps, and
 * a copy would be one more object per failed request.
 */
function toGatewayError(o: Record<string, unknown>): GatewayError {
    if (Object.hasOwn(o, 'elapsed')) {
        const elapsed = asNumber(o['elapsed']);
        if (elapsed !== undefined) {
            o['elapsed'] = elapsed;
        }
    }
    return o;
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

// What a record key stands for in the typed request. Text records of one layout share a plan (a code per key), so
// the common record reads its keys by number instead of comparing each with two dozen names.
const NONE = 0;
/** The keys of a request record the typed request reads, in the order of their codes. */
export const REQUEST_KEYS: readonly string[] = [
        'correlationId',
        'method',
        'url',
        'responseCode',
        'backendResponseCode',
        'totalTime',
        'backendTime',
        'clientTime',
        'apiId',
        'operationId',
        'apiRevision',
        'clientProtocol',
        'backendProtocol',
        'backendMethod',
        'backendUrl',
        'isRequestSuccess',
        'cache',
        'region',
        'callerIpAddress',
        'responseSize',
        'apimSubscriptionId',
        'timeGenerated',
        'lastError',
        'errors',
];
const CODES = new Map<string, number>(REQUEST_KEYS.map((key, i) => [key, i + 1]));

/** How the requests of one record layout are built. */
export interface RequestPlan {
    /** The request code of every key of the layout (repeats already renamed). */
    codes: Uint8Array;
    /**
     * The properties a request of this layout gets when every value reads, each null, in order; made by JSON.parse
     * so that copies hold every property inside the object. An object built from `{}` keeps all but four in a
     * separate array that is reallocated as it grows: several allocations per request.
     */
    template: GatewayRequest | undefined;
}

export function requestPlan(keys: readonly string[]): RequestPlan {
    const codes = new Uint8Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
        codes[i] = CODES.get(keys[i] ?? '') ?? NONE;
    }
    return { codes, template: undefined };
}

/** The timestamp of the record's line, while a text record's request is built. */
let lineTimestamp: LogTimestamp | undefined;

/** Set when `applyCode` left a property undefined or unset (an unreadable value), for `dropUndefined`. */
let holes = false;

function orHole<T>(v: T | undefined): T | undefined {
    if (v === undefined) {
        holes = true;
    }
    return v;
}

/**
 * Sets the request property a record key stands for, unless an earlier key already did (the first occurrence
 * wins) or the value does not read as that property's type (then the property stays absent). Named assignments,
 * not computed names: those would put every request object in V8's slow dictionary mode (see fields.ts).
 */
function applyCode(r: GatewayRequest, code: number, value: unknown): void {
    switch (code) {
        case 1:
            r.correlationId ??= orHole(asString(value));
            break;
        case 2:
            r.method ??= orHole(asString(value));
            break;
        case 3:
            r.url ??= orHole(asString(value));
            break;
        case 4:
            r.responseCode ??= orHole(asNumber(value));
            break;
        case 5:
            r.backendResponseCode ??= orHole(asNumber(value));
            break;
        case 6:
            r.totalTime ??= orHole(asNumber(value));
            break;
        case 7:
            r.backendTime ??= orHole(asNumber(value));
            break;
        case 8:
            r.clientTime ??= orHole(asNumber(value));
            break;
        case 9:
            r.apiId ??= orHole(asString(value));
            break;
        case 10:
            r.operationId ??= orHole(asString(value));
            break;
        case 11:
            r.apiRevision ??= orHole(asString(value));
            break;
        case 12:
            r.clientProtocol ??= orHole(asString(value));
            break;
        case 13:
            r.backendProtocol ??= orHole(asString(value));
            break;
        case 14:
            r.backendMethod ??= orHole(asString(value));
            break;
        case 15:
            r.backendUrl ??= orHole(asString(value));
            break;
        case 16:
            r.isRequestSuccess ??= orHole(asBoolean(value));
            break;
        case 17:
            r.cache ??= orHole(asString(value));
            break;
        case 18:
            r.region ??= orHole(asString(value));
            break;
        case 19:
            r.callerIpAddress ??= orHole(asString(value));
            break;
        case 20:
            r.responseSize ??= orHole(asNumber(value));
            break;
        case 21:
            r.apimSubscriptionId ??= orHole(asString(value));
            break;
        case 22: {
            const s = asString(value);
            if (s !== undefined) {
                // 2.x writes the line's own timestamp again here: the entry's parsed copy serves for both.
                r.timeGenerated ??=
                    lineTimestamp !== undefined && s === lineTimestamp.raw
                        ? lineTimestamp
                        : (parseTimestamp(s) ?? { raw: s, assumedUtc: false });
            } else {
                holes = true;
            }
            break;
        }
        case 23:
            r.lastError ??= orHole(asError(value));
            break;
        case 24:
            r.errors ??= orHole(asErrors(value));
            break;
    }
}

/**
 * Drops properties left undefined by `??=` on unreadable values, so entries compare and serialise cleanly. Only
 * walks the object when `applyCode` left a hole, which real records rarely do.
 */
function dropUndefined(r: GatewayRequest): GatewayRequest {
    if (!holes) {
        return r;
    }
    holes = false;
    for (const key of Object.keys(r) as Array<keyof GatewayRequest>) {
        if (r[key] === undefined) {
            delete r[key];
        }
    }
    return r;
}

/**
 * Builds the typed request from a record's keys and values, in the order written (repeats already renamed).
 * `timestamp` is the line's own: a `timeGenerated` with the same text shares it.
 */
export function buildRequest(
    keys: readonly string[],
    values: readonly unknown[],
    timestamp: LogTimestamp | undefined,
): GatewayRequest {
    return buildRequestPlanned(requestPlan(keys), values, timestamp);
}

function applyAll(r: GatewayRequest, codes: Uint8Array, values: readonly unknown[]): void {
    holes = false;
    for (let i = 0; i < codes.length; i++) {
        const code = codes[i] ?? NONE;
        if (code !== NONE) {
            applyCode(r, code, values[i]);
        }
    }
}

/** `buildRequest` with the keys already turned into codes by `requestPlan`; `plan` learns the object layout. */
export function buildRequestPlanned(
    plan: RequestPlan,
    values: readonly unknown[],
    timestamp: LogTimestamp | undefined,
): GatewayRequest {
    lineTimestamp = timestamp;
    try {
        return buildPlanned(plan, values);
    } finally {
        lineTimestamp = undefined;
    }
}

function buildPlanned(plan: RequestPlan, values: readonly unknown[]): GatewayRequest {
    const template = plan.template;
    if (template !== undefined) {
        // The codes are distinct, so without a hole every key set its own property: exactly the template's, in its
        // order, and `??=` treats the nulls as unset. With a hole the copy is dropped and built plainly instead.
        const r = { ...template };
        applyAll(r, plan.codes, values);
        if (!holes) {
            return r;
        }
    }
    const r: GatewayRequest = {};
    applyAll(r, plan.codes, values);
    if (!holes && template === undefined) {
        plan.template = JSON.parse(
            JSON.stringify(Object.fromEntries(Object.keys(r).map((key) => [key, null]))),
        ) as GatewayRequest;
    }
    return dropUndefined(r);
}

/** Set by `textValue` when a value did not read as its property's type. */
let textHole = false;

function textNumber(s: string): number | undefined {
    const n = asNumber(s);
    if (n === undefined) {
        textHole = true;
    }
    return n;
}

/**
 * `applyCode` for a text record's value (always a string) on a copy of the plan's template: a plain store, as every
 * property is still the template's null and the codes are distinct. Sets `textHole` where `applyCode` would leave a
 * hole, and the caller then builds the request by `buildRequestPlanned` instead.
 */
function applyText(r: GatewayRequest, code: number, s: string): void {
    switch (code) {
        case 1:
            r.correlationId = s;
            break;
        case 2:
            r.method = s;
            break;
        case 3:
            r.url = s;
            break;
        case 4:
            r.responseCode = textNumber(s);
            break;
        case 5:
            r.backendResponseCode = textNumber(s);
            break;
        case 6:
            r.totalTime = textNumber(s);
            break;
        case 7:
            r.backendTime = textNumber(s);
            break;
        case 8:
            r.clientTime = textNumber(s);
            break;
        case 9:
            r.apiId = s;
            break;
        case 10:
            r.operationId = s;
            break;
        case 11:
            r.apiRevision = s;
            break;
        case 12:
            r.clientProtocol = s;
            break;
        case 13:
            r.backendProtocol = s;
            break;
        case 14:
            r.backendMethod = s;
            break;
        case 15:
            r.backendUrl = s;
            break;
        case 16: {
            const b = asBoolean(s);
            textHole ||= b === undefined;
            r.isRequestSuccess = b;
            break;
        }
        case 17:
            r.cache = s;
            break;
        case 18:
            r.region = s;
            break;
        case 19:
            r.callerIpAddress = s;
            break;
        case 20:
            r.responseSize = textNumber(s);
            break;
        case 21:
            r.apimSubscriptionId = s;
            break;
        case 22:
            r.timeGenerated =
                lineTimestamp !== undefined && s === lineTimestamp.raw
                    ? lineTimestamp
                    : (parseTimestamp(s) ?? { raw: s, assumedUtc: false });
            break;
        case 23: {
            const e = asError(s);
            textHole ||= e === undefined;
            r.lastError = e;
            break;
        }
        case 24: {
            const e = asErrors(s);
            textHole ||= e === undefined;
            r.errors = e;
            break;
        }
    }
}

/**
 * `buildRequestPlanned` for a text record, whose values are all strings: the same request, read with plain stores
 * into a copy of the layout's template (what nearly every request of a busy log is). `test/unit/gatewayLogs/
 * fastPaths.test.ts` pins it to `buildRequestPlanned`. Its switch repeats `applyCode`'s on purpose: calling
 * `buildRequestPlanned` here instead made the eager parse 4-8 % slower (isolated pairs 1.081, 2026-12-08).
 */
export function buildTextRequest(
    plan: RequestPlan,
    values: readonly string[],
    timestamp: LogTimestamp | undefined,
): GatewayRequest {
    const template = plan.template;
    if (template !== undefined) {
        const codes = plan.codes;
        const r = { ...template };
        lineTimestamp = timestamp;
        textHole = false;
        for (let i = 0; i < codes.length; i++) {
            const code = codes[i] as number;
            if (code !== NONE) {
                applyText(r, code, values[i] as string);
            }
        }
        lineTimestamp = undefined;
        if (!textHole) {
            return r;
        }
    }
    return buildRequestPlanned(plan, values, timestamp);
}

/** Builds the typed request from a parsed JSON object. */
export function buildRequestFromObject(obj: Record<string, unknown>): GatewayRequest {
    holes = false;
    const r: GatewayRequest = {};
    for (const key of Object.keys(obj)) {
        const code = CODES.get(key);
        if (code !== undefined) {
            applyCode(r, code, obj[key]);
        }
    }
    return dropUndefined(r);
}

/** True when a record is the gateway's per-request log rather than an event that happens to have fields. */
export function looksLikeRequest(keys: readonly string[], values: readonly unknown[], count: number): boolean {
    for (let i = 0; i < count; i++) {
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
export function isFailedRequest(entry: Pick<GatewayLogEntry, 'kind' | 'request'>): boolean {
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
