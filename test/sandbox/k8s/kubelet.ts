// The scheduler and the kubelet of the one-node cluster: assigns pods to the node, walks them through
// Pending → ContainerCreating → Running on a timeline like a real cluster's, starts a ContainerProgram per container,
// keeps the container logs, applies restartPolicy with crash back-off, reports readiness, and carries out graceful
// deletion. Everything a client sees of this happens through pod status writes, so watches show every step.
import { randomBytes } from 'node:crypto';
import { nowTimestamp, podsType, configMapsType, secretsType, servicesType, type KubeApi } from './api.ts';
import type { ContainerContext, ContainerInstance, ContainerProgram, SimRequest, SimResponse } from './containers.ts';
import { CONTAINER_LOG_MAX_BYTES, ContainerLog } from './logs.ts';
import type { LogRecord } from './server.ts';
import type { StoreEvent } from './store.ts';
import { ApiError, badRequest } from './status.ts';
import type {
  ConfigMap, ContainerSpec, ContainerState, ContainerStatus, Pod, PodCondition, Secret, Service,
} from './types.ts';

export interface KubeletTiming {
  /** Pod created → bound to the node (the second "Pending" line of `kubectl get po -w`). */
  scheduleMs: number;
  /** Bound → sandbox made, containers "ContainerCreating". */
  sandboxMs: number;
  /** ContainerCreating → image pulled and container started. */
  startMs: number;
  /** ErrImagePull → ImagePullBackOff. */
  imagePullBackOffMs: number;
  /** Readiness is re-checked this often through ContainerInstance.ready(). */
  probeMs: number;
  /** First crash-loop back-off (10 s on a real kubelet), doubling to crashBackOffMaxMs; the first restart is at once. */
  crashBackOffMs: number;
  crashBackOffMaxMs: number;
  /** How long a container takes to exit after SIGTERM, bounded by the pod's grace period. */
  terminationMs: number;
}

export const defaultKubeletTiming: KubeletTiming = {
  scheduleMs: 60,
  sandboxMs: 150,
  startMs: 1300,
  imagePullBackOffMs: 1500,
  probeMs: 200,
  crashBackOffMs: 10_000,
  crashBackOffMaxMs: 300_000,
  terminationMs: 400,
};

export type NetworkResolve = (namespace: string, host: string) => Promise<string[]>;

export type NetworkFetch = (from: { namespace: string; podIP: string }, host: string, port: number,
  request: Omit<SimRequest, 'remoteAddress' | 'port' | 'host'>) => Promise<SimResponse>;

interface Run {
  log: ContainerLog;
  restartCount: number;
}

interface ContainerRuntime {
  spec: ContainerSpec;
  runs: Run[];
  instance?: ContainerInstance;
  abort?: AbortController;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  started: boolean;
  containerID?: string;
  imagePulled: boolean;
  /** Exit codes of all runs, for tests. */
  exits: number[];
}

interface PodRuntime {
  uid: string;
  namespace: string;
  name: string;
  ip?: string;
  sandboxReady: boolean;
  containers: Map<string, ContainerRuntime>;
  timers: Set<NodeJS.Timeout>;
  terminating: boolean;
  gone: boolean;
}

export const nodeIP = '172.18.0.2';

function imageRef(image: string): string {
  if (image.includes('@')) return image;
  const [name, tag] = /:[^/:]+$/.test(image) ? [image.slice(0, image.lastIndexOf(':')), image.slice(image.lastIndexOf(':') + 1)] : [image, 'latest'];
  const full = name.includes('/') ? (name.split('/')[0]!.includes('.') ? name : `docker.io/${name}`) : `docker.io/library/${name}`;
  return `${full}:${tag}`;
}

function imageDigest(image: string): string {
  let h = 0n;
  for (const ch of image) h = (h * 1099511628211n + BigInt(ch.charCodeAt(0))) & ((1n << 256n) - 1n);
  return `${imageRef(image).replace(/:[^:]+$/, '')}@sha256:${h.toString(16).padStart(64, '0')}`;
}

export class Kubelet {
  private readonly api: KubeApi;
  private readonly programs: readonly ContainerProgram[];
  private readonly timing: KubeletTiming;
  private readonly fetch: NetworkFetch;
  private readonly resolve: NetworkResolve;
  readonly nodeName: string;
  private readonly pods = new Map<string, PodRuntime>();
  private readonly usedIPs = new Set<string>();
  private readonly unsubscribe: () => void;
  private closed = false;
  private readonly containerLogMaxBytes: number;

  constructor(api: KubeApi, programs: readonly ContainerProgram[], timing: KubeletTiming,
    network: { fetch: NetworkFetch; resolve: NetworkResolve }, nodeName: string, containerLogMaxBytes = CONTAINER_LOG_MAX_BYTES) {
    this.api = api;
    this.containerLogMaxBytes = containerLogMaxBytes;
    this.resolve = network.resolve;
    this.nodeName = nodeName;
    this.programs = programs;
    this.timing = timing;
    this.fetch = network.fetch;
    this.unsubscribe = api.store.subscribe((e) => this.onEvent(e));
  }

  private key(namespace: string | undefined, name: string | undefined): string {
    return `${namespace ?? ''}/${name ?? ''}`;
  }

  private onEvent(event: StoreEvent): void {
    if (event.resource !== podsType || this.closed) return;
    const pod = event.object as Pod;
    const key = this.key(pod.metadata.namespace, pod.metadata.name);
    let rt = this.pods.get(key);
    if (event.type === 'DELETED') {
      if (rt && rt.uid === pod.metadata.uid) this.teardown(rt, 137, 'Error');
      return;
    }
    if (!rt || rt.uid !== pod.metadata.uid) {
      if (event.type !== 'ADDED') return;
      rt = {
        uid: pod.metadata.uid ?? '', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '',
        sandboxReady: false, containers: new Map(), timers: new Set(), terminating: false, gone: false,
      };
      this.pods.set(key, rt);
      const runtime = rt;
      if (!pod.spec.nodeName) this.later(rt, this.timing.scheduleMs, () => this.schedule(runtime));
      else this.later(rt, this.timing.sandboxMs, () => this.createSandbox(runtime));
      return;
    }
    if (pod.metadata.deletionTimestamp && !rt.terminating) this.beginTermination(rt, pod);
    else if (!rt.terminating) this.syncImages(rt, pod);
  }

  private later(rt: PodRuntime, ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      rt.timers.delete(t);
      if (!rt.gone && !this.closed) fn();
    }, ms);
    rt.timers.add(t);
  }

  private current(rt: PodRuntime): Pod | undefined {
    const pod = this.api.store.peek(podsType, rt.namespace, rt.name) as Pod | undefined;
    return pod && pod.metadata.uid === rt.uid ? pod : undefined;
  }

  private writeStatus(rt: PodRuntime, mutate: (pod: Pod) => void): void {
    if (!this.current(rt)) return;
    this.api.writeStatus(podsType, rt.namespace, rt.name, (o) => mutate(o as Pod), 'kubelet');
  }

  private schedule(rt: PodRuntime): void {
    const pod = this.current(rt);
    if (!pod || pod.metadata.deletionTimestamp) return;
    this.api.writeInternal(podsType, rt.namespace, rt.name, (o) => {
      const p = o as Pod;
      p.spec.nodeName = this.nodeName;
      p.status = { ...p.status, conditions: [condition('PodScheduled', 'True')] };
    }, 'kube-scheduler');
    this.api.recordEvent(pod, 'Normal', 'Scheduled', `Successfully assigned ${rt.namespace}/${rt.name} to ${this.nodeName}`, 'default-scheduler');
    this.later(rt, this.timing.sandboxMs, () => this.createSandbox(rt));
  }

  private allocateIP(): string {
    for (let third = 0; third < 256; third++) {
      for (let fourth = 2; fourth < 255; fourth++) {
        const ip = `10.244.${third}.${fourth}`;
        if (!this.usedIPs.has(ip)) {
          this.usedIPs.add(ip);
          return ip;
        }
      }
    }
    throw new Error('pod network exhausted');
  }

  private createSandbox(rt: PodRuntime): void {
    const pod = this.current(rt);
    if (!pod || pod.metadata.deletionTimestamp) return;
    rt.ip = this.allocateIP();
    rt.sandboxReady = true;
    for (const spec of pod.spec.containers) {
      rt.containers.set(spec.name, {
        spec, runs: [], restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {},
        ready: false, started: false, imagePulled: false, exits: [],
      });
    }
    const now = nowTimestamp();
    this.writeStatus(rt, (p) => {
      p.status = {
        ...p.status,
        phase: 'Pending',
        conditions: [
          condition('PodReadyToStartContainers', 'True', now),
          condition('Initialized', 'True', now),
          condition('Ready', 'False', now, 'ContainersNotReady', `containers with unready status: [${[...rt.containers.keys()].join(' ')}]`),
          condition('ContainersReady', 'False', now, 'ContainersNotReady', `containers with unready status: [${[...rt.containers.keys()].join(' ')}]`),
          condition('PodScheduled', 'True', p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime ?? now),
        ],
        hostIP: nodeIP,
        hostIPs: [{ ip: nodeIP }],
        podIP: rt.ip,
        podIPs: [{ ip: rt.ip! }],
        startTime: now,
      };
      this.fillContainerStatuses(rt, p);
    });
    for (const c of rt.containers.values()) {
      this.api.recordEvent(pod, 'Normal', 'Pulling', `Pulling image "${c.spec.image}"`, 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
      this.later(rt, this.timing.startMs, () => this.pullAndStart(rt, c));
    }
  }

  private program(image: string): ContainerProgram | undefined {
    return this.programs.find((p) => p.matches(image));
  }

  private pullAndStart(rt: PodRuntime, c: ContainerRuntime): void {
    const pod = this.current(rt);
    if (!pod || rt.terminating) return;
    const image = c.spec.image ?? '';
    if (!this.program(image)) {
      const ref = imageRef(image);
      const message = `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
      c.state = { waiting: { reason: 'ErrImagePull', message: `rpc error: code = NotFound desc = ${message}` } };
      this.updateContainers(rt);
      this.api.recordEvent(pod, 'Warning', 'Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = ${message}`, 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
      this.api.recordEvent(pod, 'Warning', 'Failed', 'Error: ErrImagePull', 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
      this.later(rt, this.timing.imagePullBackOffMs, () => {
        c.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
        this.updateContainers(rt);
        const p = this.current(rt);
        if (p) {
          this.api.recordEvent(p, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
          this.api.recordEvent(p, 'Warning', 'Failed', 'Error: ImagePullBackOff', 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
        }
      });
      return;
    }
    if (!c.imagePulled) {
      c.imagePulled = true;
      const seconds = (this.timing.startMs / 1000).toFixed(3);
      this.api.recordEvent(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${seconds}s (${seconds}s including waiting). Image size: 0 bytes.`, 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
    }
    this.startContainer(rt, c);
  }

  private startContainer(rt: PodRuntime, c: ContainerRuntime): void {
    const pod = this.current(rt);
    if (!pod || rt.terminating) return;
    const program = this.program(c.spec.image ?? '');
    if (!program) return;
    let env: Record<string, string>;
    try {
      env = this.resolveEnv(pod, c.spec);
    } catch (e) {
      if (!(e instanceof EnvError)) throw e;
      c.state = { waiting: { reason: 'CreateContainerConfigError', message: e.message } };
      this.updateContainers(rt);
      this.api.recordEvent(pod, 'Warning', 'Failed', `Error: ${e.message}`, 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
      this.later(rt, 1000, () => this.startContainer(rt, c));
      return;
    }
    if (c.runs.length > 0) c.restartCount++;
    const log = new ContainerLog(this.containerLogMaxBytes);
    const run: Run = { log, restartCount: c.restartCount };
    c.runs.push(run);
    const abort = new AbortController();
    c.abort = abort;
    c.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    const startedAt = nowTimestamp();
    c.state = { running: { startedAt } };
    c.started = true;
    let exited = false;
    const expand = (s: string) => expandVars(s, env);
    const context: ContainerContext = {
      namespace: rt.namespace,
      podName: rt.name,
      podIP: rt.ip ?? '',
      containerName: c.spec.name,
      image: c.spec.image ?? '',
      command: (c.spec.command ?? []).map(expand),
      args: (c.spec.args ?? []).map(expand),
      env,
      restartCount: c.restartCount,
      stdin: c.spec.stdin === true,
      log: (line: string) => { if (!exited) log.append(line); },
      write: (text: string) => { if (!exited) log.write(text); },
      exit: (code: number) => {
        if (exited || abort.signal.aborted) return;
        exited = true;
        queueMicrotask(() => this.containerExited(rt, c, run, code, code === 0 ? 'Completed' : 'Error'));
      },
      fetch: (host, port, request) => this.fetch({ namespace: rt.namespace, podIP: rt.ip ?? '' }, host, port, request),
      resolve: (host) => this.resolve(rt.namespace, host),
      signal: abort.signal,
    };
    this.api.recordEvent(pod, 'Normal', 'Created', `Created container: ${c.spec.name}`, 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
    try {
      c.instance = program.start(context);
    } catch (e) {
      exited = true;
      log.end();
      c.instance = undefined;
      c.abort = undefined;
      c.state = { terminated: { exitCode: 128, reason: 'StartError', message: e instanceof Error ? e.message : String(e), startedAt: null, finishedAt: nowTimestamp(), containerID: c.containerID } };
      this.updateContainers(rt);
      this.afterExit(rt, c, 128);
      return;
    }
    this.api.recordEvent(pod, 'Normal', 'Started', `Started container ${c.spec.name}`, 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
    c.ready = c.instance.ready ? c.instance.ready() : true;
    this.updateContainers(rt);
    this.probe(rt, c, run);
  }

  private probe(rt: PodRuntime, c: ContainerRuntime, run: Run): void {
    this.later(rt, this.timing.probeMs, () => {
      if (c.runs[c.runs.length - 1] !== run || !c.state.running || !c.instance) return;
      const ready = c.instance.ready ? c.instance.ready() : true;
      if (ready !== c.ready) {
        c.ready = ready;
        this.updateContainers(rt);
      }
      this.probe(rt, c, run);
    });
  }

  private containerExited(rt: PodRuntime, c: ContainerRuntime, run: Run, exitCode: number, reason: string): void {
    if (c.runs[c.runs.length - 1] !== run || !c.state.running) return;
    c.abort?.abort();
    try { c.instance?.stop(); } catch { /* a failing stop must not take the node down */ }
    c.instance = undefined;
    c.abort = undefined;
    run.log.end();
    c.exits.push(exitCode);
    c.ready = false;
    c.state = {
      terminated: {
        exitCode, reason, startedAt: c.state.running.startedAt, finishedAt: nowTimestamp(),
        ...(c.containerID ? { containerID: c.containerID } : {}),
      },
    };
    this.updateContainers(rt);
    if (!rt.terminating) this.afterExit(rt, c, exitCode);
  }

  private afterExit(rt: PodRuntime, c: ContainerRuntime, exitCode: number): void {
    const pod = this.current(rt);
    if (!pod) return;
    const policy = pod.spec.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
    if (!restart) return;
    const delay = c.restartCount === 0 ? 0 : Math.min(this.timing.crashBackOffMs * 2 ** (c.restartCount - 1), this.timing.crashBackOffMaxMs);
    const restartNow = () => {
      c.lastState = c.state;
      this.startContainer(rt, c);
    };
    if (delay === 0) {
      restartNow();
      return;
    }
    c.lastState = c.state;
    c.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.spec.name} pod=${rt.name}_${rt.namespace}(${rt.uid})` } };
    this.updateContainers(rt);
    this.api.recordEvent(pod, 'Warning', 'BackOff', 'Back-off restarting failed container', 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
    this.later(rt, delay, () => {
      c.state = c.lastState;
      restartNow();
    });
  }

  /** The container image changed (pod spec update): the kubelet kills and recreates the container. */
  private syncImages(rt: PodRuntime, pod: Pod): void {
    for (const spec of pod.spec.containers) {
      const c = rt.containers.get(spec.name);
      if (!c || c.spec.image === spec.image) continue;
      c.spec = spec;
      c.imagePulled = false;
      const run = c.runs[c.runs.length - 1];
      if (c.state.running && run) this.containerExited(rt, c, run, 137, 'Error');
      else if (!c.state.running) this.later(rt, this.timing.startMs, () => this.pullAndStart(rt, c));
    }
  }

  private fillContainerStatuses(rt: PodRuntime, pod: Pod): void {
    const statuses: ContainerStatus[] = [];
    for (const c of rt.containers.values()) {
      const image = c.spec.image ?? '';
      const status: ContainerStatus = {
        name: c.spec.name,
        state: c.state,
        lastState: c.lastState,
        ready: c.ready && !!c.state.running,
        restartCount: c.restartCount,
        image: c.imagePulled ? imageRef(image) : image,
        imageID: c.imagePulled ? imageDigest(image) : '',
        started: !!c.state.running,
      };
      if (c.containerID && !c.state.waiting) status.containerID = c.containerID;
      else if (c.containerID && c.state.waiting?.reason === 'CrashLoopBackOff') status.containerID = c.containerID;
      statuses.push(status);
    }
    pod.status ??= {};
    pod.status.containerStatuses = statuses;
  }

  private updateContainers(rt: PodRuntime): void {
    this.writeStatus(rt, (p) => {
      this.fillContainerStatuses(rt, p);
      const list = [...rt.containers.values()];
      const policy = p.spec.restartPolicy ?? 'Always';
      const allTerminated = list.every((c) => c.state.terminated);
      const ready = !rt.terminating && list.every((c) => c.ready && c.state.running);
      const now = nowTimestamp();
      let phase = p.status!.phase ?? 'Pending';
      if (allTerminated && (policy === 'Never' || (policy === 'OnFailure' && list.every((c) => c.state.terminated!.exitCode === 0)))) {
        phase = list.every((c) => c.state.terminated!.exitCode === 0) ? 'Succeeded' : 'Failed';
      } else if (list.some((c) => c.started || c.restartCount > 0 || c.state.running || c.state.terminated)) {
        phase = 'Running';
      }
      p.status!.phase = phase;
      const unready = list.filter((c) => !(c.ready && c.state.running)).map((c) => c.spec.name);
      const reason = phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady';
      for (const type of ['Ready', 'ContainersReady']) {
        setCondition(p, type, ready ? 'True' : 'False', now, ready ? undefined : reason,
          ready || reason === 'PodCompleted' ? undefined : `containers with unready status: [${unready.join(' ')}]`);
      }
      if (phase === 'Succeeded' || phase === 'Failed') setCondition(p, 'PodReadyToStartContainers', 'False', now);
    });
  }

  private beginTermination(rt: PodRuntime, pod: Pod): void {
    rt.terminating = true;
    for (const t of rt.timers) clearTimeout(t);
    rt.timers.clear();
    const grace = pod.metadata.deletionGracePeriodSeconds ?? 30;
    const anyRunning = [...rt.containers.values()].some((c) => c.state.running);
    for (const c of rt.containers.values()) {
      if (c.state.running) this.api.recordEvent(pod, 'Normal', 'Killing', `Stopping container ${c.spec.name}`, 'kubelet', this.nodeName, `spec.containers{${c.spec.name}}`);
      c.abort?.abort();
    }
    const stopAfter = anyRunning ? Math.min(this.timing.terminationMs, grace * 1000) : 0;
    const t = setTimeout(() => {
      rt.timers.delete(t);
      if (this.closed) return;
      for (const c of rt.containers.values()) {
        const run = c.runs[c.runs.length - 1];
        if (c.state.running && run) this.containerExited(rt, c, run, 143, 'Error');
      }
      this.api.finalizeDeletion(podsType, rt.namespace, rt.name);
    }, stopAfter);
    rt.timers.add(t);
    this.updateContainers(rt);
  }

  /** Stop everything of a pod that no longer exists (force-deleted, or removed after graceful deletion). */
  private teardown(rt: PodRuntime, exitCode: number, reason: string): void {
    for (const c of rt.containers.values()) {
      const run = c.runs[c.runs.length - 1];
      if (c.state.running && run) {
        rt.terminating = true;
        this.containerExited(rt, c, run, exitCode, reason);
      }
      c.abort?.abort();
    }
    for (const t of rt.timers) clearTimeout(t);
    rt.timers.clear();
    rt.gone = true;
    if (rt.ip) this.usedIPs.delete(rt.ip);
    const key = this.key(rt.namespace, rt.name);
    if (this.pods.get(key) === rt) this.pods.delete(key);
  }

  // ---- environment ---------------------------------------------------------------------------------------------

  private resolveEnv(pod: Pod, spec: ContainerSpec): Record<string, string> {
    const ns = pod.metadata.namespace ?? '';
    const env: Record<string, string> = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOSTNAME: pod.metadata.name ?? '',
    };
    if (pod.spec['enableServiceLinks'] !== false) Object.assign(env, this.serviceLinks(ns));
    const configMap = (name: string, optional: boolean | undefined): ConfigMap | undefined => {
      const cm = this.api.store.peek(configMapsType, ns, name) as ConfigMap | undefined;
      if (!cm && !optional) throw new EnvError(`configmap "${name}" not found`);
      return cm;
    };
    const secret = (name: string, optional: boolean | undefined): Secret | undefined => {
      const s = this.api.store.peek(secretsType, ns, name) as Secret | undefined;
      if (!s && !optional) throw new EnvError(`secret "${name}" not found`);
      return s;
    };
    for (const from of spec.envFrom ?? []) {
      const prefix = from.prefix ?? '';
      if (from.configMapRef) {
        const cm = configMap(from.configMapRef.name, from.configMapRef.optional);
        for (const [k, v] of Object.entries(cm?.data ?? {})) env[prefix + k] = v;
      }
      if (from.secretRef) {
        const s = secret(from.secretRef.name, from.secretRef.optional);
        for (const [k, v] of Object.entries(s?.data ?? {})) env[prefix + k] = Buffer.from(v, 'base64').toString('utf8');
      }
    }
    for (const e of spec.env ?? []) {
      if (e.value !== undefined || !e.valueFrom) {
        env[e.name] = expandVars(e.value ?? '', env);
        continue;
      }
      const { configMapKeyRef: cmRef, secretKeyRef: sRef, fieldRef } = e.valueFrom;
      if (cmRef) {
        const cm = configMap(cmRef.name, cmRef.optional);
        const v = cm?.data?.[cmRef.key];
        if (v === undefined && cm && !cmRef.optional) throw new EnvError(`couldn't find key ${cmRef.key} in ConfigMap ${ns}/${cmRef.name}`);
        if (v !== undefined) env[e.name] = v;
      } else if (sRef) {
        const s = secret(sRef.name, sRef.optional);
        const v = s?.data?.[sRef.key];
        if (v === undefined && s && !sRef.optional) throw new EnvError(`couldn't find key ${sRef.key} in Secret ${ns}/${sRef.name}`);
        if (v !== undefined) env[e.name] = Buffer.from(v, 'base64').toString('utf8');
      } else if (fieldRef) {
        env[e.name] = this.fieldRefValue(pod, fieldRef.fieldPath);
      }
    }
    return env;
  }

  private fieldRefValue(pod: Pod, path: string): string {
    const rt = this.pods.get(this.key(pod.metadata.namespace, pod.metadata.name));
    switch (path) {
      case 'metadata.name': return pod.metadata.name ?? '';
      case 'metadata.namespace': return pod.metadata.namespace ?? '';
      case 'metadata.uid': return pod.metadata.uid ?? '';
      case 'spec.nodeName': return pod.spec.nodeName ?? this.nodeName;
      case 'spec.serviceAccountName': return String(pod.spec['serviceAccountName'] ?? 'default');
      case 'status.podIP': return rt?.ip ?? '';
      case 'status.hostIP': return nodeIP;
      default: {
        const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
        if (m) return pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]!] ?? '';
        return '';
      }
    }
  }

  /** Docker-link style variables for the namespace's Services, as the kubelet injects with enableServiceLinks. */
  private serviceLinks(namespace: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const o of this.api.store.scan(servicesType, namespace)) {
      const s = o as Service;
      const ip = s.spec.clusterIP;
      if (!ip || ip === 'None') continue;
      const prefix = (s.metadata.name ?? '').toUpperCase().replace(/-/g, '_');
      const ports = s.spec.ports ?? [];
      const first = ports[0];
      if (!first) continue;
      env[`${prefix}_SERVICE_HOST`] = ip;
      env[`${prefix}_SERVICE_PORT`] = String(first.port);
      env[`${prefix}_PORT`] = `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
      for (const p of ports) {
        const proto = (p.protocol ?? 'TCP');
        if (p.name) env[`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`] = String(p.port);
        const base = `${prefix}_PORT_${p.port}_${proto}`;
        env[base] = `${proto.toLowerCase()}://${ip}:${p.port}`;
        env[`${base}_PROTO`] = proto.toLowerCase();
        env[`${base}_PORT`] = String(p.port);
        env[`${base}_ADDR`] = ip;
      }
    }
    return env;
  }

  // ---- queries for the network, the log endpoint and faults ------------------------------------------------------

  /** The running container of the pod at `ip` that could take a connection, with the pod's container ports. */
  podAt(ip: string): { namespace: string; name: string; containers: { spec: ContainerSpec; instance?: ContainerInstance; running: boolean }[] } | undefined {
    for (const rt of this.pods.values()) {
      if (rt.ip !== ip || rt.gone) continue;
      return {
        namespace: rt.namespace,
        name: rt.name,
        containers: [...rt.containers.values()].map((c) => ({
          spec: c.spec, running: !!c.state.running, ...(c.instance ? { instance: c.instance } : {}),
        })),
      };
    }
    return undefined;
  }

  /** Which container of a pod a log request means, with the real server's 400s. */
  private containerFor(pod: Pod, container: string | undefined): ContainerRuntime | string {
    const names = pod.spec.containers.map((c) => c.name);
    let name = container;
    if (!name) {
      if (names.length !== 1) {
        throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`);
      }
      name = names[0]!;
    }
    if (!names.includes(name)) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
    const rt = this.pods.get(this.key(pod.metadata.namespace, pod.metadata.name));
    const c = rt && rt.uid === pod.metadata.uid ? rt.containers.get(name) : undefined;
    return c ?? name;
  }

  /** The log a `…/log` request reads, or an ApiError like the kubelet's. */
  logFor(pod: Pod, container: string | undefined, previous: boolean): ContainerLog {
    const c = this.containerFor(pod, container);
    if (typeof c === 'string') {
      if (!pod.spec.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
      throw badRequest(`container "${c}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
    }
    if (previous) {
      const run = c.runs.find((r) => r.restartCount === c.restartCount - 1);
      if (!run) throw badRequest(`previous terminated container "${c.spec.name}" in pod "${pod.metadata.name}" not found`);
      return run.log;
    }
    const run = c.runs[c.runs.length - 1];
    if (!run) {
      const reason = c.state.waiting?.reason ?? 'ContainerCreating';
      const why = reason === 'ErrImagePull' ? 'trying and failing to pull image'
        : reason === 'ImagePullBackOff' ? 'image can\'t be pulled' : reason;
      throw badRequest(`container "${c.spec.name}" in pod "${pod.metadata.name}" is waiting to start: ${why}`);
    }
    return run.log;
  }

  /**
   * Every run's lines of one container, for tests that prove nothing was lost or repeated; once a run's log has
   * rotated, the lines kept and how many were forgotten before them.
   */
  logRecord(namespace: string, name: string, container?: string): LogRecord {
    const pod = this.api.get(podsType, namespace, name) as Pod;
    const c = this.containerFor(pod, container);
    if (typeof c === 'string') return { container: c, runs: [] };
    return {
      container: c.spec.name,
      runs: c.runs.map((r) => ({
        restartCount: r.restartCount,
        forgotten: r.log.written - r.log.lines.length,
        lines: r.log.lines.map((l) => ({ time: l.stamp, text: l.text, ...(l.partial ? { partial: true } : {}) })),
      })),
    };
  }

  /** Kill a running container, as an OOM kill or a crash would: it exits 137 and restartPolicy decides. */
  killContainer(namespace: string, name: string, container?: string): { container: string; restartCount: number } {
    const pod = this.api.get(podsType, namespace, name) as Pod;
    const c = this.containerFor(pod, container);
    if (typeof c === 'string' || !c.state.running) {
      throw new ApiError(409, 'Conflict', `container "${typeof c === 'string' ? c : c.spec.name}" in pod "${name}" is not running`);
    }
    const rt = this.pods.get(this.key(namespace, name))!;
    const run = c.runs[c.runs.length - 1]!;
    this.containerExited(rt, c, run, 137, 'Error');
    return { container: c.spec.name, restartCount: c.restartCount };
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const rt of this.pods.values()) {
      for (const t of rt.timers) clearTimeout(t);
      for (const c of rt.containers.values()) {
        c.abort?.abort();
        try { c.instance?.stop(); } catch { /* closing anyway */ }
        for (const r of c.runs) r.log.end();
      }
    }
    this.pods.clear();
  }
}

class EnvError extends Error {}

function expandVars(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(/\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g, (whole, name: string | undefined) => {
    if (whole === '$$') return '$';
    return name !== undefined && Object.hasOwn(env, name) ? env[name]! : whole;
  });
}

function condition(type: string, status: 'True' | 'False', at = nowTimestamp(), reason?: string, message?: string): PodCondition {
  return { type, status, lastProbeTime: null, lastTransitionTime: at, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function setCondition(pod: Pod, type: string, status: 'True' | 'False', now: string, reason?: string, message?: string): void {
  const conditions = (pod.status!.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  const next = condition(type, status, existing && existing.status === status ? existing.lastTransitionTime : now, reason, message);
  if (existing) Object.assign(existing, next, reason ? {} : { reason: undefined }, message ? {} : { message: undefined });
  else conditions.push(next);
  for (const c of conditions) {
    if (c.reason === undefined) delete c.reason;
    if (c.message === undefined) delete c.message;
  }
}

