// The three PATCH flavours the apiserver accepts. Strategic merge matters most: client-side `kubectl apply` and
// `kubectl rollout restart` send it, and a server that replaced lists wholesale would drop containers, env vars or
// ports that the patch did not mention.
import { ApiError } from './status.ts';
import { clone, isObject, type JsonObject } from './types.ts';

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
}

// RFC 7386.
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * patchMergeKey of the list fields in core/v1 and apps/v1 types, chosen by field name and, for `ports`, by what the
 * items look like (container ports merge on containerPort, service ports on port).
 */
export function mergeKeyFor(field: string, items: readonly unknown[]): string | undefined {
  switch (field) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'env': case 'volumes':
    case 'imagePullSecrets': case 'resourceClaims': case 'volumeDevices':
      return 'name';
    case 'volumeMounts': return 'mountPath';
    case 'hostAliases': return 'ip';
    case 'conditions': return 'type';
    case 'ownerReferences': return 'uid';
    case 'topologySpreadConstraints': return 'topologyKey';
    case 'ports':
      return items.some((i) => isObject(i) && 'containerPort' in i) ? 'containerPort' : 'port';
    default: return undefined;
  }
}

// Lists with `patchStrategy: merge` but scalar items merge as sets.
const primitiveSetFields = new Set(['finalizers']);

function itemKey(item: unknown, mergeKey: string): unknown {
  return isObject(item) ? item[mergeKey] : item;
}

function strategicList(field: string, original: unknown[], patch: unknown[], siblingDirectives: JsonObject): unknown[] {
  const mergeKey = mergeKeyFor(field, [...original, ...patch]);
  if (patch.some((p) => isObject(p) && p['$patch'] === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p['$patch'] === 'replace')).map((p) => stripDirectives(p));
  }
  let result: unknown[];
  if (mergeKey) {
    result = original.map((o) => clone(o));
    for (const p of patch) {
      const key = itemKey(p, mergeKey);
      const index = result.findIndex((o) => deepEqual(itemKey(o, mergeKey), key));
      if (isObject(p) && p['$patch'] === 'delete') {
        if (index >= 0) result.splice(index, 1);
      } else if (index >= 0) {
        result[index] = strategicMerge(result[index], p);
      } else {
        result.push(stripDirectives(p));
      }
    }
  } else if (primitiveSetFields.has(field)) {
    result = [...original];
    for (const p of patch) if (!result.some((o) => deepEqual(o, p))) result.push(p);
  } else {
    return patch.map((p) => stripDirectives(p));
  }
  const order = siblingDirectives[`$setElementOrder/${field}`];
  if (Array.isArray(order) && mergeKey) {
    const rank = (item: unknown) => order.findIndex((o) => deepEqual(itemKey(o, mergeKey), itemKey(item, mergeKey)));
    // Items the order does not name keep their place after the named ones, as the real algorithm does.
    result = result
      .map((item, i) => ({ item, i, r: rank(item) }))
      .sort((a, b) => (a.r < 0 ? Infinity : a.r) - (b.r < 0 ? Infinity : b.r) || a.i - b.i)
      .map((x) => x.item);
  }
  return result;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    if (v === null) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

export function strategicMerge(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  if (patch['$patch'] === 'replace') return stripDirectives(patch);
  if (patch['$patch'] === 'delete') return undefined;
  const result: JsonObject = isObject(original) ? clone(original) : {};
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) {
    for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const list = result[field];
      if (Array.isArray(list) && Array.isArray(value)) result[field] = list.filter((v) => !value.some((d) => deepEqual(d, v)));
      continue;
    }
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      const current = result[key];
      result[key] = strategicList(key, Array.isArray(current) ? current : [], value, patch);
    } else if (isObject(value)) {
      const merged = strategicMerge(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  // A `$setElementOrder` whose list the patch did not touch still reorders it.
  for (const [key, value] of Object.entries(patch)) {
    const field = key.startsWith('$setElementOrder/') ? key.slice('$setElementOrder/'.length) : undefined;
    if (field && !(field in patch) && Array.isArray(result[field]) && Array.isArray(value)) {
      result[field] = strategicList(field, result[field], [], patch);
    }
  }
  return result;
}

function invalidPatch(message: string): ApiError {
  return new ApiError(422, 'Invalid', ` "" is invalid: patch: Invalid value: "…": ${message}`, {
    causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "…": ${message}`, field: 'patch' }],
  });
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw invalidPatch(`JSON pointer "${pointer}" must start with '/'`);
  return pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[], op: string, path: string): { parent: JsonObject | unknown[]; last: string } {
  let current = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isObject(current)) current = current[part];
    else current = undefined;
    if (current === undefined) throw invalidPatch(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  if (!Array.isArray(current) && !isObject(current)) {
    throw invalidPatch(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return { parent: current, last: parts[parts.length - 1]! };
}

function getAt(doc: unknown, path: string, op: string): unknown {
  let current = doc;
  for (const part of decodePointer(path)) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isObject(current)) current = current[part];
    else current = undefined;
    if (current === undefined) throw invalidPatch(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return current;
}

function removeAt(doc: unknown, path: string, op: string): unknown {
  const { parent, last } = parentOf(doc, decodePointer(path), op, path);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw invalidPatch(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
    return parent.splice(i, 1)[0];
  }
  if (!Object.hasOwn(parent, last)) throw invalidPatch(`${op} operation does not apply: doc is missing path: "${path}": missing value`);
  const value = parent[last];
  delete parent[last];
  return value;
}

function addAt(doc: unknown, path: string, value: unknown, op: string): unknown {
  const parts = decodePointer(path);
  if (parts.length === 0) return value;
  const { parent, last } = parentOf(doc, parts, op, path);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw invalidPatch(`${op} operation does not apply: index out of bounds: "${path}"`);
    parent.splice(i, 0, value);
  } else {
    parent[last] = value;
  }
  return doc;
}

// RFC 6902.
export function jsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new ApiError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(document);
  for (const raw of operations) {
    if (!isObject(raw)) throw invalidPatch('invalid patch operation');
    const op = String(raw['op']);
    const path = String(raw['path'] ?? '');
    switch (op) {
      case 'add': doc = addAt(doc, path, clone(raw['value']), op); break;
      case 'remove': removeAt(doc, path, op); break;
      case 'replace': {
        const parts = decodePointer(path);
        if (parts.length === 0) { doc = clone(raw['value']); break; }
        getAt(doc, path, op);
        const { parent, last } = parentOf(doc, parts, op, path);
        if (Array.isArray(parent)) parent[Number(last)] = clone(raw['value']);
        else parent[last] = clone(raw['value']);
        break;
      }
      case 'move': {
        const value = removeAt(doc, String(raw['from']), op);
        doc = addAt(doc, path, value, op);
        break;
      }
      case 'copy': doc = addAt(doc, path, clone(getAt(doc, String(raw['from']), op)), op); break;
      case 'test':
        if (!deepEqual(getAt(doc, path, op), raw['value'])) throw invalidPatch(`testing value ${path} failed: test failed`);
        break;
      default: throw invalidPatch(`Unexpected kind: ${op}`);
    }
  }
  return doc;
}
