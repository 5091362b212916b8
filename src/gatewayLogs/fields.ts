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
function renameRepeats(keys: string[]): void {
    const seen = new Set<string>();
    let counters: Map<string, number> | undefined;
    for (let i = 0; i < keys.length; i++) {
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
    keys: string[];
    template: Record<string, string>;
}

const MAX_SHAPES = 8;
const MAX_SHAPE_KEYS = 64;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
    if (a.length !== b.length) {
        return false;
    }
    for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) {
            return false;
        }
    }
    return true;
}

/** Builds `fields` records from parallel key/value lists; one instance per parser. */
export class FieldBuilder {
    private readonly shapes: Shape[] = [];

    build(keys: string[], values: readonly string[]): Record<string, string> {
        for (const shape of this.shapes) {
            if (sameKeys(shape.keys, keys)) {
                const fields = { ...shape.template };
                for (let i = 0; i < keys.length; i++) {
                    fields[keys[i] ?? ''] = values[i] ?? '';
                }
                return fields;
            }
        }
        const original = keys.slice();
        renameRepeats(keys);
        const entries: Array<[string, string]> = [];
        let safe = keys.length <= MAX_SHAPE_KEYS;
        for (let i = 0; i < keys.length; i++) {
            const key = keys[i] ?? '';
            entries.push([key, values[i] ?? '']);
            safe &&= key !== '__proto__' && key === original[i];
        }
        // fromEntries defines own properties, so even a `__proto__` key stays data.
        const fields = Object.fromEntries(entries) as Record<string, string>;
        if (safe) {
            // Only layouts without repeats or `__proto__`: copying them and assigning by name gives the same object.
            this.shapes.unshift({ keys: original, template: fields });
            if (this.shapes.length > MAX_SHAPES) {
                this.shapes.pop();
            }
        }
        return fields;
    }
}
