import { layoutPattern, type KeyNames } from './kv.ts';
import type { RequestPlan } from './request.ts';

// Records have 20–30 keys. Objects built key by key with computed names fall into V8's slow dictionary mode after
// about sixteen properties (several times the memory and garbage-collection time on a large log). Consecutive
// request records nearly always have the same keys in the same order, so the parser keeps the object layout of
// recent key sequences and copies it, which keeps the fast layout and is several times cheaper than building anew.

/** Sets an own property even for `__proto__`, which plain assignment would turn into a prototype change. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
    if (key === '__proto__') {
        Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
        target[key] = value;
    }
}

/**
 * Renames repeated keys in place to `key#2`, `key#3`, … so nothing is lost. The per-key counter keeps a key repeated
 * n times at O(n); the inner loop only skips names the record already has.
 */
function renameRepeats(keys: string[], count: number): void {
    const seen = new Set<string>();
    let counters: Map<string, number> | undefined;
    for (let i = 0; i < count; i++) {
        const key = keys[i] ?? '';
        if (!seen.has(key)) {
            seen.add(key);
            continue;
        }
        counters ??= new Map();
        let n = counters.get(key) ?? 1;
        let name: string;
        do {
            n++;
            name = `${key}#${n}`;
        } while (seen.has(name));
        counters.set(key, n);
        seen.add(name);
        keys[i] = name;
    }
}

interface Shape {
    /**
     * The keys as written (repeats included); the strings the scanner hands out for a recognised key. The same
     * array as `names` when nothing repeats.
     */
    written: string[];
    /** `, key: ` for each written key (undefined for an empty key), for the scanner's boundary search. */
    markers: Array<string | undefined>;
    /** The property names of `template` (repeats renamed), in order. */
    names: string[];
    template: Record<string, string>;
    /**
     * The short value each key had in the last record of this layout. Many columns repeat (`method`, `apiId`,
     * `category`, protocols, small numbers), and sharing one string instead of a copy per record is less to
     * allocate and less for the garbage collector to move.
     */
    recent: string[];
    /** How a request of this layout is built; worked out the first time a request has it. */
    plan: RequestPlan | undefined;
    /**
     * `layoutPattern` of the keys, made on first use; undefined when the layout cannot be read by one (an empty
     * key, or a record of it went over several lines).
     */
    pattern: RegExp | undefined;
    /** Whether records of this layout may be tried with `pattern`. */
    oneLine: boolean;
    /** Lines in a row that the pattern did not read; past a few, it is tried only now and then. */
    patternMisses: number;
}

/** The layout a list is first tried as, with the pattern that reads it. */
export interface OneLineLayout {
    readonly written: readonly string[];
    readonly pattern: RegExp | undefined;
}

const MAX_SHAPES = 8;
const MAX_SHAPE_KEYS = 64;
const MAX_SHARED_VALUE = 12;
const MAX_PATTERN_MISSES = 8;
const RETRY_PATTERN_EVERY = 64;
/** A gateway interleaves few record layouts (requests, failed ones over several lines, an event list or two). */
const ONE_LINE_LAYOUTS_LOOKED_AT = 3;

/** `a` is the same list as the first `count` items of `b`. */
function sameKeys(a: readonly string[], b: readonly string[], count: number = b.length): boolean {
    if (a.length !== count) {
        return false;
    }
    for (let i = 0; i < count; i++) {
        if (a[i] !== b[i]) {
            return false;
        }
    }
    return true;
}

/**
 * Builds `fields` records from parallel key/value lists; one instance per parser. While a list is scanned it also
 * names the keys (`KeyNames`): a key that matches the next key of a recent layout is that layout's string, so the
 * common record costs no key copies and its keys compare by identity.
 */
export class FieldBuilder implements KeyNames {
    /** Most recently used first. */
    private readonly shapes: Shape[] = [];
    /** The layout the record being scanned has followed so far; undefined once it left every known layout. */
    private current: Shape | undefined;
    /** The layout of the record `build` returned last, when it had one. */
    lastShape: Shape | undefined;
    /** The layout `oneLineLayout` last offered. */
    private offered: Shape | undefined;

    /** Starts naming the keys of a new record: it is expected to follow the most recent layout. */
    startRecord(): void {
        this.current = this.shapes[0];
    }

    /** The marker of the first key of the layout `startRecord` will expect. */
    firstMarker(): string | undefined {
        return this.shapes[0]?.markers[0];
    }

    /**
     * The most recent layout whose records fit on one line, to try reading the next list with its pattern
     * (`KvScanner.scanLayout`); report how that went with `layoutRead`. Undefined when there is none, or when it
     * has kept failing lately (then it is offered only every so often, in case the log changed back).
     */
    oneLineLayout(): OneLineLayout | undefined {
        for (let i = 0; i < this.shapes.length && i < ONE_LINE_LAYOUTS_LOOKED_AT; i++) {
            const shape = this.shapes[i];
            if (shape?.oneLine) {
                if (shape.patternMisses >= MAX_PATTERN_MISSES && shape.patternMisses++ % RETRY_PATTERN_EVERY !== 0) {
                    return undefined;
                }
                shape.pattern ??= layoutPattern(shape.written);
                this.offered = shape;
                return shape;
            }
        }
        return undefined;
    }

    /** Whether the layout `oneLineLayout` offered read the list; if it did, that is the record's layout. */
    layoutRead(read: boolean): void {
        const shape = this.offered;
        this.offered = undefined;
        if (shape === undefined) {
            return;
        }
        if (read) {
            shape.patternMisses = 0;
            this.current = shape;
        } else if (shape.patternMisses < MAX_PATTERN_MISSES) {
            shape.patternMisses++;
        }
    }

    expected(index: number): string | undefined {
        return this.current?.markers[index];
    }

    expectedKey(index: number): string {
        return this.current?.written[index] ?? '';
    }

    value(text: string, from: number, to: number, index: number): string {
        // Copied, then compared rather than compared in place (see `hasAt`): a copy that turns out a repeat dies
        // young, which costs the garbage collector nothing, where a kept one is moved twice.
        return this.shared(text.slice(from, to), index);
    }

    shared(value: string, index: number): string {
        const current = this.current;
        // Only short values: V8 copies those out of the line, where a longer one is a view that keeps the whole
        // pushed chunk alive (for as long as the layout is remembered, if it were kept here); and long values, ids
        // and URLs, rarely repeat.
        if (current === undefined || value.length > MAX_SHARED_VALUE) {
            return value;
        }
        const last = current.recent[index];
        if (value === last) {
            return last;
        }
        current.recent[index] = value;
        return value;
    }

    name(text: string, from: number, colon: number, keys: readonly string[], at: number): string {
        const key = text.slice(from, colon);
        const current = this.current;
        if (current !== undefined) {
            const known = current.written[at];
            if (key === known) {
                return known;
            }
            this.current = undefined;
            // Another layout that shares the keys read so far (a failed request is a successful one plus
            // `lastError`). Searched once per record at most: after a miss the record is on its own.
            for (const shape of this.shapes) {
                const other = shape.written[at];
                if (shape !== current && key === other && samePrefix(shape.written, keys, at)) {
                    this.current = shape;
                    return other;
                }
            }
        }
        return key;
    }

    /**
     * The record for the first `count` keys and values just scanned. Renames repeated keys in `keys`. `oneLine`:
     * the list was on one line.
     */
    build(keys: string[], values: readonly string[], count: number, oneLine: boolean): Record<string, string> {
        const shape = this.find(keys, count);
        this.current = undefined;
        this.lastShape = shape;
        if (shape !== undefined) {
            if (!oneLine) {
                shape.oneLine = false;
            }
            const names = shape.names;
            const fields = { ...shape.template };
            for (let i = 0; i < names.length; i++) {
                fields[names[i] ?? ''] = values[i] ?? '';
            }
            if (shape.written !== names) {
                // Repeats renamed, as the slow path below does: the request reads `keys` after this.
                for (let i = 0; i < names.length; i++) {
                    keys[i] = names[i] ?? '';
                }
            }
            return fields;
        }
        const original = keys.slice(0, count);
        renameRepeats(keys, count);
        const entries: Array<[string, string]> = [];
        let safe = count <= MAX_SHAPE_KEYS;
        for (let i = 0; i < count; i++) {
            const key = keys[i] ?? '';
            entries.push([key, values[i] ?? '']);
            safe &&= key !== '__proto__';
        }
        // fromEntries defines own properties, so even a `__proto__` key stays data.
        const fields = Object.fromEntries(entries) as Record<string, string>;
        if (safe) {
            // Without `__proto__`, copying the layout and assigning by name gives the same object. JSON.parse makes
            // an object with every property inside it (objects built otherwise keep all but four in a separate
            // array: one more allocation per record), and copies keep that. The template's own key strings are
            // kept, not the scanned ones, which hold on to the text they were cut from.
            const template = JSON.parse(
                JSON.stringify(Object.fromEntries(entries.map(([key]) => [key, '']))),
            ) as Record<string, string>;
            const names = Object.keys(template);
            let written = names;
            if (!sameKeys(original, names)) {
                const byText = new Map<string, string>();
                for (const name of names) {
                    byText.set(name, name);
                }
                written = original.map((key) => byText.get(key) ?? key);
            }
            // Internalized through an object's keys: the scanner compares the same marker object again and again.
            const markers = Object.keys(
                JSON.parse(JSON.stringify(Object.fromEntries(written.map((key) => [`, ${key}: `, 0])))) as object,
            );
            const shape: Shape = {
                written,
                markers: written.map((key) => (key === '' ? undefined : markers[markers.indexOf(`, ${key}: `)])),
                names,
                template,
                recent: [],
                plan: undefined,
                pattern: undefined,
                oneLine: oneLine && !written.includes(''),
                patternMisses: 0,
            };
            this.shapes.unshift(shape);
            if (this.shapes.length > MAX_SHAPES) {
                this.shapes.pop();
            }
            this.lastShape = shape;
        }
        return fields;
    }

    /** The known layout with exactly these keys, moved to the front. */
    private find(keys: readonly string[], count: number): Shape | undefined {
        const current = this.current;
        // Keys named from `current` all through are its own strings, so this compares identities.
        if (current !== undefined && sameKeys(current.written, keys, count)) {
            this.toFront(current);
            return current;
        }
        for (const shape of this.shapes) {
            if (sameKeys(shape.written, keys, count)) {
                this.toFront(shape);
                return shape;
            }
        }
        return undefined;
    }

    private toFront(shape: Shape): void {
        if (this.shapes[0] !== shape) {
            this.shapes.splice(this.shapes.indexOf(shape), 1);
            this.shapes.unshift(shape);
        }
    }
}

function samePrefix(a: readonly string[], b: readonly string[], length: number): boolean {
    for (let i = 0; i < length; i++) {
        if (a[i] !== b[i]) {
            return false;
        }
    }
    return true;
}
