// Kubernetes protobuf request bodies. kubectl's typed generators (`create namespace`, `create secret generic`,
// `create configmap`, `create deployment`, `create service`) POST `application/vnd.kubernetes.protobuf` with no JSON
// fallback, so the emulator decodes the envelope (`k8s\0` + runtime.Unknown) and the few message types they send,
// field numbers from k8s.io/api's generated.proto.

type Kind = 'string' | 'bytes' | 'int' | 'bool' | 'time' | 'intstr' | 'mapss' | 'mapsb' | Schema;
interface Field { name: string; kind: Kind; repeated?: boolean; keepZero?: boolean }
interface Schema { [field: number]: Field }

const f = (name: string, kind: Kind, extra: Partial<Field> = {}): Field => ({ name, kind, ...extra });

const ownerReference: Schema = {
  1: f('kind', 'string'), 3: f('name', 'string'), 4: f('uid', 'string'), 5: f('apiVersion', 'string'),
  6: f('controller', 'bool'), 7: f('blockOwnerDeletion', 'bool'),
};
const objectMeta: Schema = {
  1: f('name', 'string'), 2: f('generateName', 'string'), 3: f('namespace', 'string'), 5: f('uid', 'string'),
  6: f('resourceVersion', 'string'), 7: f('generation', 'int'), 8: f('creationTimestamp', 'time'),
  11: f('labels', 'mapss'), 12: f('annotations', 'mapss'), 13: f('ownerReferences', ownerReference, { repeated: true }),
  14: f('finalizers', 'string', { repeated: true }),
};
const labelSelector: Schema = {
  1: f('matchLabels', 'mapss'),
  2: f('matchExpressions', { 1: f('key', 'string'), 2: f('operator', 'string'), 3: f('values', 'string', { repeated: true }) }, { repeated: true }),
};
const keySelector = (): Schema => ({ 1: f('localObjectReference', { 1: f('name', 'string') }), 2: f('key', 'string'), 3: f('optional', 'bool') });
const envVar: Schema = {
  1: f('name', 'string'), 2: f('value', 'string'),
  3: f('valueFrom', {
    1: f('fieldRef', { 1: f('apiVersion', 'string'), 2: f('fieldPath', 'string') }),
    3: f('configMapKeyRef', keySelector()),
    4: f('secretKeyRef', keySelector()),
  }),
};
const container: Schema = {
  1: f('name', 'string'), 2: f('image', 'string'), 3: f('command', 'string', { repeated: true }),
  4: f('args', 'string', { repeated: true }), 5: f('workingDir', 'string'),
  6: f('ports', { 1: f('name', 'string'), 2: f('hostPort', 'int'), 3: f('containerPort', 'int'), 4: f('protocol', 'string'), 5: f('hostIP', 'string') }, { repeated: true }),
  7: f('env', envVar, { repeated: true }), 8: f('resources', {}, { keepZero: true }),
  13: f('terminationMessagePath', 'string'), 14: f('imagePullPolicy', 'string'), 16: f('stdin', 'bool'), 17: f('stdinOnce', 'bool'),
  18: f('tty', 'bool'), 20: f('terminationMessagePolicy', 'string'),
};
const podSpec: Schema = {
  2: f('containers', container, { repeated: true }), 3: f('restartPolicy', 'string'),
  4: f('terminationGracePeriodSeconds', 'int'), 6: f('dnsPolicy', 'string'), 7: f('nodeSelector', 'mapss'),
  8: f('serviceAccountName', 'string'), 10: f('nodeName', 'string'), 19: f('schedulerName', 'string'),
  20: f('initContainers', container, { repeated: true }),
};
const intOrString: Kind = 'intstr';

const schemas: Record<string, Schema> = {
  'v1/Namespace': { 1: f('metadata', objectMeta), 2: f('spec', { 1: f('finalizers', 'string', { repeated: true }) }) },
  'v1/Secret': {
    1: f('metadata', objectMeta), 2: f('data', 'mapsb'), 3: f('type', 'string'), 4: f('stringData', 'mapss'), 5: f('immutable', 'bool', { keepZero: true }),
  },
  'v1/ConfigMap': {
    1: f('metadata', objectMeta), 2: f('data', 'mapss'), 3: f('binaryData', 'mapsb'), 4: f('immutable', 'bool', { keepZero: true }),
  },
  'v1/Service': {
    1: f('metadata', objectMeta),
    2: f('spec', {
      1: f('ports', { 1: f('name', 'string'), 2: f('protocol', 'string'), 3: f('port', 'int'), 4: f('targetPort', intOrString), 5: f('nodePort', 'int') }, { repeated: true }),
      2: f('selector', 'mapss'), 3: f('clusterIP', 'string'), 4: f('type', 'string'), 5: f('externalIPs', 'string', { repeated: true }),
      7: f('sessionAffinity', 'string'), 10: f('externalName', 'string'),
    }),
  },
  'apps/v1/Deployment': {
    1: f('metadata', objectMeta),
    2: f('spec', {
      1: f('replicas', 'int', { keepZero: true }), 2: f('selector', labelSelector),
      3: f('template', { 1: f('metadata', objectMeta), 2: f('spec', podSpec) }),
      4: f('strategy', { 1: f('type', 'string'), 2: f('rollingUpdate', { 1: f('maxUnavailable', intOrString), 2: f('maxSurge', intOrString) }) }),
      5: f('minReadySeconds', 'int'), 6: f('revisionHistoryLimit', 'int', { keepZero: true }), 7: f('paused', 'bool'),
      9: f('progressDeadlineSeconds', 'int', { keepZero: true }),
    }),
  },
};

class Reader {
  private pos = 0;
  private readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
  *fields(): Generator<{ field: number; wireType: number }> {
    while (!this.done) {
      const tag = Number(this.varint());
      yield { field: tag >>> 3, wireType: tag & 7 };
    }
  }
}

function toInt(v: bigint): number {
  // int32/int64 negatives arrive as 64-bit two's complement.
  return Number(BigInt.asIntN(64, v));
}

function decodeMapEntry(buf: Buffer, valueBytes: boolean): [string, string] {
  const r = new Reader(buf);
  let key = '';
  let value = '';
  for (const { field, wireType } of r.fields()) {
    if (field === 1 && wireType === 2) key = r.bytes().toString('utf8');
    else if (field === 2 && wireType === 2) {
      const b = r.bytes();
      value = valueBytes ? b.toString('base64') : b.toString('utf8');
    } else r.skip(wireType);
  }
  return [key, value];
}

function decodeValue(kind: Kind, r: Reader, wireType: number): unknown {
  if (typeof kind === 'object') return decodeMessage(r.bytes(), kind);
  switch (kind) {
    case 'string': return r.bytes().toString('utf8');
    case 'bytes': return r.bytes().toString('base64');
    case 'int': return toInt(r.varint());
    case 'bool': return r.varint() !== 0n;
    case 'time': {
      const t = decodeMessage(r.bytes(), { 1: f('seconds', 'int'), 2: f('nanos', 'int') }) as { seconds?: number };
      return t.seconds ? new Date(t.seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
    }
    case 'intstr': {
      const v = decodeMessage(r.bytes(), { 1: f('type', 'int', { keepZero: true }), 2: f('intVal', 'int', { keepZero: true }), 3: f('strVal', 'string') }) as { type?: number; intVal?: number; strVal?: string };
      return v.type === 1 ? v.strVal ?? '' : v.intVal ?? 0;
    }
    case 'mapss': case 'mapsb':
      void wireType;
      return decodeMapEntry(r.bytes(), kind === 'mapsb');
  }
}

function decodeMessage(buf: Buffer, schema: Schema): Record<string, unknown> {
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  for (const { field, wireType } of r.fields()) {
    const spec = schema[field];
    if (!spec) { r.skip(wireType); continue; }
    const value = decodeValue(spec.kind, r, wireType);
    if (spec.kind === 'mapss' || spec.kind === 'mapsb') {
      const [k, v] = value as [string, string];
      ((out[spec.name] ??= {}) as Record<string, string>)[k] = v;
    } else if (spec.repeated) {
      ((out[spec.name] ??= []) as unknown[]).push(value);
    } else if (value !== undefined) {
      out[spec.name] = value;
    }
  }
  // gogo-protobuf writes every non-pointer field, zero or not; JSON's omitempty would not have them.
  for (const spec of Object.values(schema)) {
    const v = out[spec.name];
    if (spec.keepZero) continue;
    if (v === '' || v === false || v === 0 || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0 && typeof spec.kind === 'object' && Object.keys(spec.kind).length > 0)) {
      delete out[spec.name];
    }
  }
  return out;
}

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decode a `k8s\0`-framed runtime.Unknown; throws with a message when the kind is not one kubectl generators send. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(magic)) throw new Error('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  const unknown = decodeMessage(body.subarray(4), {
    1: f('typeMeta', { 1: f('apiVersion', 'string'), 2: f('kind', 'string') }),
    2: f('raw', 'bytes'),
    3: f('contentEncoding', 'string'),
    4: f('contentType', 'string'),
  }) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: string };
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  const schema = schemas[`${apiVersion}/${kind}`];
  if (!schema) throw new UnsupportedProtobufKind(`${apiVersion}/${kind}`);
  const object = decodeMessage(Buffer.from(unknown.raw ?? '', 'base64'), schema);
  fixKeySelectors(object);
  return { apiVersion, kind, ...object, metadata: (object['metadata'] as object | undefined) ?? {} };
}

export class UnsupportedProtobufKind extends Error {}

// LocalObjectReference is embedded (inlined) in JSON: {name, key}, not {localObjectReference: {name}, key}.
function fixKeySelectors(value: unknown): void {
  if (Array.isArray(value)) { value.forEach(fixKeySelectors); return; }
  if (typeof value !== 'object' || value === null) return;
  const o = value as Record<string, unknown>;
  const ref = o['localObjectReference'] as { name?: string } | undefined;
  if (ref) {
    delete o['localObjectReference'];
    if (ref.name) o['name'] = ref.name;
  }
  Object.values(o).forEach(fixKeySelectors);
}
