// Field ownership (metadata.managedFields) for server-side apply. A real apiserver removes fields that an applier
// stops sending and answers 409 when two managers disagree on a value; a client that handles those cases (e.g.
// `--force-conflicts`) must meet them here too. Ownership is tracked per leaf field, lists keyed by their merge key.
import { ApiError } from './status.ts';
import { deepEqual, mergeKeyFor, strategicMerge } from './patch.ts';
import { isObject, type JsonObject, type KubeObject, type ManagedFieldsEntry } from './types.ts';

type Path = string[];

const systemMetadata = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']);
const primitiveSets = new Set(['finalizers']);

function leafPaths(value: unknown, field: string, prefix: Path, out: Path[]): void {
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    if (keys.length === 0) { if (prefix.length) out.push(prefix); return; }
    for (const key of keys) leafPaths(value[key], key, [...prefix, `f:${key}`], out);
    return;
  }
  if (Array.isArray(value)) {
    const mergeKey = mergeKeyFor(field, value);
    if (mergeKey && value.every((v) => isObject(v) && v[mergeKey] !== undefined)) {
      if (value.length === 0) out.push(prefix);
      for (const item of value as JsonObject[]) {
        leafPaths(item, '', [...prefix, `k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`], out);
      }
      return;
    }
    if (primitiveSets.has(field)) {
      for (const item of value) out.push([...prefix, `v:${JSON.stringify(item)}`]);
      return;
    }
  }
  out.push(prefix);
}

/** Leaf fields of an object as ownership paths, without the fields the server owns. */
export function fieldPaths(object: unknown, includeStatus = false): Path[] {
  if (!isObject(object)) return [];
  const out: Path[] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || (key === 'status' && !includeStatus)) continue;
    if (key === 'metadata' && isObject(value)) {
      for (const [mk, mv] of Object.entries(value)) {
        if (!systemMetadata.has(mk)) leafPaths(mv, mk, ['f:metadata', `f:${mk}`], out);
      }
      continue;
    }
    leafPaths(value, key, [`f:${key}`], out);
  }
  return out;
}

function step(current: unknown, segment: string): unknown {
  if (segment.startsWith('f:')) return isObject(current) ? current[segment.slice(2)] : undefined;
  if (!Array.isArray(current)) return undefined;
  if (segment.startsWith('k:')) {
    const key = JSON.parse(segment.slice(2)) as JsonObject;
    return current.find((item) => isObject(item) && Object.entries(key).every(([k, v]) => deepEqual(item[k], v)));
  }
  const value: unknown = JSON.parse(segment.slice(2));
  return current.find((item) => deepEqual(item, value));
}

export function valueAt(object: unknown, path: Path): unknown {
  let current = object;
  for (const segment of path) {
    current = step(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

function removeAt(object: unknown, path: Path): void {
  if (path.length === 0) return;
  const parent = valueAt(object, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (last.startsWith('f:') && isObject(parent)) {
    delete parent[last.slice(2)];
  } else if (Array.isArray(parent)) {
    const item = step(parent, last);
    const index = parent.indexOf(item);
    if (index >= 0) parent.splice(index, 1);
  }
  // Leave no empty map behind where the removed field was the last one the applier sent.
  const grand = path.length >= 2 ? valueAt(object, path.slice(0, -2)) : undefined;
  const parentSegment = path[path.length - 2];
  if (isObject(parent) && Object.keys(parent).length === 0 && isObject(grand) && parentSegment?.startsWith('f:')) {
    delete grand[parentSegment.slice(2)];
  }
}

const pathKey = (p: Path) => p.join('\u0000');

function toFieldsV1(paths: readonly Path[]): JsonObject {
  const root: JsonObject = {};
  for (const path of paths) {
    let node = root;
    for (const segment of path) {
      if (segment.startsWith('k:') && !isObject(node[segment])) node[segment] = { '.': {} };
      node = (node[segment] ??= {}) as JsonObject;
    }
  }
  return root;
}

function fromFieldsV1(node: unknown, prefix: Path, out: Path[]): void {
  if (!isObject(node)) return;
  const children = Object.keys(node).filter((k) => k !== '.');
  if (children.length === 0) { if (prefix.length) out.push(prefix); return; }
  for (const child of children) fromFieldsV1(node[child], [...prefix, child], out);
}

function entryPaths(entry: ManagedFieldsEntry): Path[] {
  const out: Path[] = [];
  fromFieldsV1(entry.fieldsV1, [], out);
  return out;
}

/** `.spec.template.spec.containers[name="gw"].image`, the form the apiserver uses in conflict messages. */
function displayPath(path: Path): string {
  return path.map((segment) => {
    if (segment.startsWith('f:')) return `.${segment.slice(2)}`;
    if (segment.startsWith('k:')) {
      const key = JSON.parse(segment.slice(2)) as JsonObject;
      return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    }
    return `[=${segment.slice(2)}]`;
  }).join('');
}

interface Entry {
  entry: ManagedFieldsEntry;
  paths: Map<string, Path>;
}

function load(object: KubeObject | undefined): Entry[] {
  return (object?.metadata.managedFields ?? []).map((entry) => ({
    entry,
    paths: new Map(entryPaths(entry).map((p) => [pathKey(p), p])),
  }));
}

function save(entries: Entry[]): ManagedFieldsEntry[] {
  return entries
    .filter((e) => e.paths.size > 0)
    .map((e) => ({ ...e.entry, fieldsType: 'FieldsV1' as const, fieldsV1: toFieldsV1([...e.paths.values()]) }));
}

function entryFor(entries: Entry[], manager: string, operation: 'Apply' | 'Update', apiVersion: string,
  now: string, subresource?: string): Entry {
  let found = entries.find((e) => e.entry.manager === manager && e.entry.operation === operation
    && (e.entry.subresource ?? '') === (subresource ?? ''));
  if (!found) {
    found = { entry: { manager, operation, apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: {} }, paths: new Map() };
    if (subresource) found.entry.subresource = subresource;
    entries.push(found);
  }
  found.entry.time = now;
  found.entry.apiVersion = apiVersion;
  return found;
}

/** Ownership after a create, update or non-apply patch: the manager takes the fields it set or changed. */
export function recordUpdate(previous: KubeObject | undefined, next: KubeObject, manager: string, now: string,
  subresource?: string): ManagedFieldsEntry[] {
  const entries = load(previous);
  const includeStatus = subresource === 'status';
  const current = fieldPaths(next, includeStatus);
  const present = new Set(current.map(pathKey));
  const changed = current.filter((p) => !previous || !deepEqual(valueAt(previous, p), valueAt(next, p)));
  for (const e of entries) {
    for (const key of [...e.paths.keys()]) {
      if (!present.has(key) || changed.some((c) => pathKey(c) === key)) e.paths.delete(key);
    }
  }
  if (changed.length > 0) {
    const mine = entryFor(entries, manager, 'Update', next.apiVersion, now, subresource);
    for (const p of changed) mine.paths.set(pathKey(p), p);
  }
  return save(entries);
}

/**
 * Server-side apply of `config` onto `live` (undefined when creating). Returns the merged object with its new
 * managedFields, or throws 409 Conflict when another manager owns a field this one sets to a different value.
 */
export function serverSideApply(live: KubeObject | undefined, config: KubeObject, manager: string, force: boolean,
  now: string): KubeObject {
  const entries = load(live);
  const applied = fieldPaths(config);
  const appliedKeys = new Set(applied.map(pathKey));
  if (live) {
    const conflicts = new Map<string, { entry: ManagedFieldsEntry; paths: Path[] }>();
    for (const e of entries) {
      if (e.entry.manager === manager && e.entry.operation === 'Apply') continue;
      for (const p of applied) {
        if (e.paths.has(pathKey(p)) && !deepEqual(valueAt(live, p), valueAt(config, p))) {
          const key = managerIdentifier(e.entry);
          const c = conflicts.get(key) ?? { entry: e.entry, paths: [] };
          c.paths.push(p);
          conflicts.set(key, c);
        }
      }
    }
    if (conflicts.size > 0 && !force) throw conflictError([...conflicts.values()]);
    if (force) {
      for (const e of entries) {
        if (e.entry.manager === manager && e.entry.operation === 'Apply') continue;
        for (const { paths } of conflicts.values()) for (const p of paths) e.paths.delete(pathKey(p));
      }
    }
  }
  const mine = entryFor(entries, manager, 'Apply', config.apiVersion, now);
  const dropped = [...mine.paths.values()].filter((p) => !appliedKeys.has(pathKey(p)));
  const merged = strategicMerge(live ?? {}, config) as KubeObject;
  for (const p of dropped) {
    const ownedElsewhere = entries.some((e) => e !== mine && e.paths.has(pathKey(p)));
    if (!ownedElsewhere) removeAt(merged, p);
  }
  mine.paths = new Map(applied.map((p) => [pathKey(p), p]));
  merged.metadata.managedFields = save(entries);
  return merged;
}

/**
 * How apimachinery's printManager names a manager: `"name"`, `with subresource "status"` when it wrote a
 * subresource, and `using <apiVersion>` for Update managers only (an Apply manager's identity has no apiVersion).
 */
function printManager(entry: ManagedFieldsEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  return entry.operation === 'Update' ? `${text} using ${entry.apiVersion}` : text;
}

/** The manager identifier the apiserver sorts by: the entry's JSON without time and fields (and apiVersion for Apply). */
function managerIdentifier(entry: ManagedFieldsEntry): string {
  return JSON.stringify({
    manager: entry.manager, operation: entry.operation,
    ...(entry.operation === 'Update' ? { apiVersion: entry.apiVersion } : {}),
    ...(entry.subresource ? { subresource: entry.subresource } : {}),
  });
}

// Worded as apimachinery's managedfields/internal/conflict.go (NewConflictError, getConflictMessage).
function conflictError(conflicts: { entry: ManagedFieldsEntry; paths: Path[] }[]): ApiError {
  const total = conflicts.reduce((n, c) => n + c.paths.length, 0);
  const causes = conflicts.flatMap((c) => c.paths.map((p) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.entry)}`,
    field: displayPath(p),
  })));
  let message: string;
  if (total === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${printManager(c.entry)}: ${displayPath(c.paths[0]!)}`;
  } else {
    const sorted = [...conflicts].sort((a, b) => {
      const ka = managerIdentifier(a.entry);
      const kb = managerIdentifier(b.entry);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    message = `Apply failed with ${total} conflicts: ` + sorted.map((c) =>
      `conflicts with ${printManager(c.entry)}:\n${c.paths.map((p) => `- ${displayPath(p)}`).join('\n')}`).join('\n');
  }
  return new ApiError(409, 'Conflict', message, { causes });
}
