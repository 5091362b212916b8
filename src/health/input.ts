// The health input read defensively into a model the checks can trust: every field of the input may be missing or of
// another shape (it comes from a cluster, ARM and a log, and crosses the webview boundary as JSON), and a check must
// never fail because of it. Absent stays absent: "not known" is never turned into "bad".
import { bool, instant, list, num, obj, str, text } from '../diagnosis/read.ts';
import type { HealthInput } from './types.ts';

export interface StateModel {
  reason?: string;
  message?: string;
  exitCode?: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface ContainerModel {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount: number;
  waiting?: StateModel;
  running?: StateModel;
  terminated?: StateModel;
  lastTerminated?: StateModel;
}

export interface ConditionModel {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
}

export interface PodModel {
  name: string;
  phase?: string;
  reason?: string;
  message?: string;
  deleting: boolean;
  conditions: ConditionModel[];
  containers: ContainerModel[];
  specImages: string[];
}

export interface EventModel {
  type?: string;
  reason?: string;
  message?: string;
  count: number;
  last?: number;
  objectKind?: string;
  objectName?: string;
}

/** One log entry, read from a `GatewayLogEntry` without trusting its shape. */
export interface LineModel {
  /** Which list it came from; with `index`, its place in time when timestamps are missing. */
  part: 'previous' | 'startup' | 'recent';
  index: number;
  line?: number;
  kind?: string;
  level?: string;
  event?: string;
  message?: string;
  source?: string;
  /** Every physical line of the entry joined: what the checks search. */
  text: string;
  time?: number;
  hasApiId: boolean;
}

export interface LogModel {
  pod?: string;
  container?: string;
  startup?: LineModel[];
  recent?: LineModel[];
  previous?: LineModel[];
  /** previous, startup, recent: the order the lines were written in, as far as it is known. */
  all: LineModel[];
}

export interface PortModel {
  name?: string;
  port?: number;
  targetPort?: number | string;
  appProtocol?: string;
}

export interface ApiModel {
  name: string;
  displayName?: string;
  protocols?: string[];
}

export interface HealthModel {
  now: number;
  target?: string;
  deployment?: { name?: string; namespace?: string; replicas?: number; readyReplicas?: number; images: string[] };
  pods?: PodModel[];
  events?: EventModel[];
  log?: LogModel;
  token?: { gatewayId?: string; expiresAt?: number; source?: string };
  gateway?: { name?: string; serviceName?: string; apis?: ApiModel[]; localDiagnostics?: boolean; connected?: boolean; lastSeen?: number };
  settings?: { source?: 'arc-extension' | 'container-env'; origin?: string; values: Map<string, string>; extensionVersion?: string };
  service?: { name?: string; namespace?: string; type?: string; ports?: PortModel[] };
}

function state(value: unknown): StateModel | undefined {
  const o = obj(value);
  if (!o) return undefined;
  const out: StateModel = {};
  const reason = text(o['reason']);
  const message = text(o['message']);
  const exitCode = num(o['exitCode']);
  const startedAt = instant(o['startedAt']);
  const finishedAt = instant(o['finishedAt']);
  if (reason !== undefined) out.reason = reason;
  if (message !== undefined) out.message = message;
  if (exitCode !== undefined) out.exitCode = exitCode;
  if (startedAt !== undefined) out.startedAt = startedAt;
  if (finishedAt !== undefined) out.finishedAt = finishedAt;
  return out;
}

function container(value: unknown, index: number): ContainerModel | undefined {
  const o = obj(value);
  if (!o) return undefined;
  const st = obj(o['state']);
  const last = obj(o['lastState']);
  const out: ContainerModel = { name: text(o['name']) ?? `container ${index + 1}`, restartCount: Math.max(0, num(o['restartCount']) ?? 0) };
  const image = text(o['image']);
  const ready = bool(o['ready']);
  if (image !== undefined) out.image = image;
  if (ready !== undefined) out.ready = ready;
  const waiting = state(st?.['waiting']);
  const running = state(st?.['running']);
  const terminated = state(st?.['terminated']);
  const lastTerminated = state(last?.['terminated']);
  if (waiting) out.waiting = waiting;
  if (running) out.running = running;
  if (terminated) out.terminated = terminated;
  if (lastTerminated) out.lastTerminated = lastTerminated;
  return out;
}

function pod(value: unknown, index: number): PodModel | undefined {
  const o = obj(value);
  if (!o) return undefined;
  const meta = obj(o['metadata']);
  const status = obj(o['status']);
  const spec = obj(o['spec']);
  const out: PodModel = {
    name: text(meta?.['name']) ?? `pod ${index + 1}`,
    deleting: text(meta?.['deletionTimestamp']) !== undefined,
    conditions: list(status?.['conditions']).flatMap((c) => {
      const co = obj(c);
      const type = text(co?.['type']);
      if (!co || type === undefined) return [];
      const m: ConditionModel = { type };
      const s = text(co['status']);
      const r = text(co['reason']);
      const msg = text(co['message']);
      if (s !== undefined) m.status = s;
      if (r !== undefined) m.reason = r;
      if (msg !== undefined) m.message = msg;
      return [m];
    }),
    containers: list(status?.['containerStatuses']).flatMap((c, i) => container(c, i) ?? []),
    specImages: list(spec?.['containers']).flatMap((c) => text(obj(c)?.['image']) ?? []),
  };
  const phase = text(status?.['phase']);
  const reason = text(status?.['reason']);
  const message = text(status?.['message']);
  if (phase !== undefined) out.phase = phase;
  if (reason !== undefined) out.reason = reason;
  if (message !== undefined) out.message = message;
  return out;
}

function event(value: unknown): EventModel | undefined {
  const o = obj(value);
  if (!o) return undefined;
  const involved = obj(o['involvedObject']);
  const out: EventModel = { count: Math.max(1, num(o['count']) ?? 1) };
  const fields: Array<[keyof EventModel, string | undefined]> = [
    ['type', text(o['type'])],
    ['reason', text(o['reason'])],
    ['message', text(o['message'])],
    ['objectKind', text(involved?.['kind'])],
    ['objectName', text(involved?.['name'])],
  ];
  for (const [k, v] of fields) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  const last = instant(o['lastTimestamp']) ?? instant(o['eventTime']) ?? instant(o['firstTimestamp']);
  if (last !== undefined) out.last = last;
  return out;
}

function lines(value: unknown, part: LineModel['part']): LineModel[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((entry, index): LineModel[] => {
    const e = obj(entry);
    if (!e) return [];
    const raw = list(e['raw']).filter((r): r is string => typeof r === 'string');
    const message = str(e['message']);
    const textValue = raw.length > 0 ? raw.join('\n') : (message ?? '');
    const m: LineModel = { part, index, text: textValue, hasApiId: text(obj(e['request'])?.['apiId']) !== undefined };
    const line = num(e['line']);
    const kind = text(e['kind']);
    const level = text(e['level']);
    const ev = text(e['event']);
    const source = text(e['source']);
    const time = num(obj(e['timestamp'])?.['value']);
    if (line !== undefined) m.line = line;
    if (kind !== undefined) m.kind = kind;
    if (level !== undefined) m.level = level;
    if (ev !== undefined) m.event = ev;
    if (message !== undefined) m.message = message;
    if (source !== undefined) m.source = source;
    if (time !== undefined) m.time = time;
    return [m];
  });
}

function log(value: unknown): LogModel | undefined {
  const o = obj(value);
  if (!o) return undefined;
  const previous = lines(o['previous'], 'previous');
  const startup = lines(o['startup'], 'startup');
  const recent = lines(o['recent'], 'recent');
  if (!previous && !startup && !recent) return undefined;
  const out: LogModel = { all: [...(previous ?? []), ...(startup ?? []), ...(recent ?? [])] };
  const podName = text(o['pod']);
  const containerName = text(o['container']);
  if (podName !== undefined) out.pod = podName;
  if (containerName !== undefined) out.container = containerName;
  if (previous) out.previous = previous;
  if (startup) out.startup = startup;
  if (recent) out.recent = recent;
  return out;
}

function apis(value: unknown): ApiModel[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((a) => {
    const o = obj(a);
    const name = text(o?.['name']);
    if (!o || name === undefined) return [];
    const m: ApiModel = { name };
    const displayName = text(o['displayName']);
    if (displayName !== undefined) m.displayName = displayName;
    if (Array.isArray(o['protocols'])) m.protocols = list(o['protocols']).flatMap((p) => (typeof p === 'string' ? [p.toLowerCase()] : []));
    return [m];
  });
}

function settingsValues(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const o = obj(value);
  if (!o) return out;
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(k, v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.set(k, String(v));
  }
  return out;
}

export function readHealthInput(input: unknown): HealthModel {
  const o = obj(input) ?? {};
  const model: HealthModel = { now: instant((o as HealthInput)['now']) ?? Date.now() };
  const target = text(o['target']);
  if (target !== undefined) model.target = target;

  const d = obj(o['deployment']);
  if (d) {
    const meta = obj(d['metadata']);
    const spec = obj(d['spec']);
    const status = obj(d['status']);
    const images = list(obj(obj(spec?.['template'])?.['spec'])?.['containers']).flatMap((c) => text(obj(c)?.['image']) ?? []);
    const dep: NonNullable<HealthModel['deployment']> = { images };
    const name = text(meta?.['name']);
    const namespace = text(meta?.['namespace']);
    const replicas = num(spec?.['replicas']);
    const ready = num(status?.['readyReplicas']);
    if (name !== undefined) dep.name = name;
    if (namespace !== undefined) dep.namespace = namespace;
    if (replicas !== undefined) dep.replicas = replicas;
    if (ready !== undefined) dep.readyReplicas = ready;
    model.deployment = dep;
  }
  if (Array.isArray(o['pods'])) model.pods = o['pods'].flatMap((p, i) => pod(p, i) ?? []);
  if (Array.isArray(o['events'])) model.events = o['events'].flatMap((e) => event(e) ?? []);
  const l = log(o['log']);
  if (l) model.log = l;

  const t = obj(o['token']);
  if (t) {
    const tok: NonNullable<HealthModel['token']> = {};
    const gatewayId = text(t['gatewayId']);
    const expiresAt = instant(t['expiresAt']);
    const source = text(t['source']);
    if (gatewayId !== undefined) tok.gatewayId = gatewayId;
    if (expiresAt !== undefined) tok.expiresAt = expiresAt;
    if (source !== undefined) tok.source = source;
    model.token = tok;
  }

  const g = obj(o['gateway']);
  if (g) {
    const gw: NonNullable<HealthModel['gateway']> = {};
    const name = text(g['name']);
    const serviceName = text(g['serviceName']);
    const assigned = apis(g['apis']);
    const local = bool(g['localDiagnostics']);
    const hb = obj(g['heartbeat']);
    const connected = bool(hb?.['connected']);
    const lastSeen = instant(hb?.['lastSeen']);
    if (name !== undefined) gw.name = name;
    if (serviceName !== undefined) gw.serviceName = serviceName;
    if (assigned) gw.apis = assigned;
    if (local !== undefined) gw.localDiagnostics = local;
    if (connected !== undefined) gw.connected = connected;
    if (lastSeen !== undefined) gw.lastSeen = lastSeen;
    model.gateway = gw;
  }

  const s = obj(o['settings']);
  if (s) {
    const set: NonNullable<HealthModel['settings']> = { values: settingsValues(s['values']) };
    const source = s['source'];
    if (source === 'arc-extension' || source === 'container-env') set.source = source;
    const origin = text(s['origin']);
    const version = text(s['extensionVersion']);
    if (origin !== undefined) set.origin = origin;
    if (version !== undefined) set.extensionVersion = version;
    model.settings = set;
  }

  const svc = obj(o['service']);
  if (svc) {
    const meta = obj(svc['metadata']);
    const spec = obj(svc['spec']);
    const sm: NonNullable<HealthModel['service']> = {};
    const name = text(meta?.['name']);
    const namespace = text(meta?.['namespace']);
    const type = text(spec?.['type']);
    if (name !== undefined) sm.name = name;
    if (namespace !== undefined) sm.namespace = namespace;
    if (type !== undefined) sm.type = type;
    if (Array.isArray(spec?.['ports'])) {
      sm.ports = list(spec['ports']).flatMap((p) => {
        const po = obj(p);
        if (!po) return [];
        const m: PortModel = {};
        const name2 = text(po['name']);
        const port = num(po['port']);
        const target2 = po['targetPort'];
        const app = text(po['appProtocol']);
        if (name2 !== undefined) m.name = name2;
        if (port !== undefined) m.port = port;
        if (typeof target2 === 'number' && Number.isFinite(target2)) m.targetPort = target2;
        else if (typeof target2 === 'string' && target2 !== '') m.targetPort = /^\d+$/.test(target2) ? Number(target2) : target2;
        if (app !== undefined) m.appProtocol = app;
        return [m];
      });
    }
    model.service = sm;
  }
  return model;
}
