// startKubeApiServer: a one-node Kubernetes cluster in-process — HTTPS API server (bearer token, the CA of the
// sandbox), store, controllers, kubelet running ContainerPrograms, cluster network — plus a kubeconfig that real
// clients (kubectl, @kubernetes/client-node, the extension) load unchanged. Fault knobs are reachable in-process and
// over HTTPS, because integration tests drive them from another process (VS Code's extension host).
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import YAML from 'yaml';
import {
  KubeApi, namespacesType, nodesType, nowTimestamp, podsType, type DeleteOptions, type ListOptions, type PatchType,
} from './api.ts';
import type { ContainerProgram } from './containers.ts';
import { Controllers } from './controllers.ts';
import { defaultKubeletTiming, Kubelet, nodeIP, type KubeletTiming } from './kubelet.ts';
import type { CutMode } from './logs.ts';
import { LoadBalancerController, type LoadBalancerOptions } from './loadBalancer.ts';
import { ClusterNetwork } from './network.ts';
import { builtinPrograms } from './programs/index.ts';
import { RestHandler, serverVersion } from './rest.ts';
import { ApiError, badRequest, type StatusObject } from './status.ts';
import { Store } from './store.ts';
import type { KubeObject } from './types.ts';
import type { SandboxCa } from '../tls.ts';

export interface KubeApiServerOptions {
  /** Where the kubeconfig is written. */
  dir: string;
  ca: SandboxCa;
  /** Programs for images; tried before the built-in curlimages/curl and busybox. */
  programs: readonly ContainerProgram[];
  /** Bearer token clients must send; random when absent. */
  token?: string;
  port?: number;
  /** Cluster, context and node-name prefix (node `<clusterName>-control-plane`); default "sandbox". */
  clusterName?: string;
  timing?: Partial<KubeletTiming>;
  /** The kubelet's `containerLogMaxSize` in bytes: a container's log file is rotated past it (default 10 MiB). */
  containerLogMaxBytes?: number;
  /** How many changes watches can resume across before 410 Expired (etcd compaction). */
  historyLimit?: number;
  /** Interval of BOOKMARK events for watches that allow them. */
  bookmarkIntervalMs?: number;
  /**
   * A load-balancer controller, as kind + cloud-provider-kind has: LoadBalancer Services get a loopback address
   * (127.X.Y.Z) in status.loadBalancer.ingress with real listeners at their ports. On unless `false`.
   */
  loadBalancer?: boolean | LoadBalancerOptions;
  /**
   * More fault knobs, reachable like the built-in ones (`POST /sandbox/v1/faults/<name>`); looked up at call time, so
   * a caller can fill the object in once the server exists (the sandbox's gateway break modes need the server).
   */
  extraFaults?: Record<string, (options: unknown) => unknown>;
}

export interface LogRecord {
  container: string;
  /** `forgotten`: lines before `lines[0]` that log rotation let go (0 until a run's log passes 10 MiB). */
  runs: { restartCount: number; forgotten: number; lines: { time: string; text: string; partial?: boolean }[] }[];
}

export interface SandboxFaults {
  /** End open `follow` log streams now, or after `afterLines` more lines each; `reset` drops the connection instead. */
  cutLogStreams(options?: { afterLines?: number; mode?: CutMode; namespace?: string; pod?: string }): { cut: number };
  /** Open `follow` log streams write nothing for `ms`, then everything that piled up meanwhile (a slow node). */
  holdLogStreams(options: { ms: number; namespace?: string; pod?: string }): { held: number };
  /** End every open watch (clients must re-list or resume from their last resourceVersion). */
  dropWatches(options?: { mode?: CutMode }): { dropped: number };
  /** The container dies (exit 137); restartPolicy restarts it, restartCount+1, its old log stays as `previous`. */
  restartContainer(options: { namespace: string; pod: string; container?: string }): { container: string; restartCount: number };
  /** Delete a pod as `kubectl delete pod` would (graceful unless gracePeriodSeconds is 0). */
  deletePod(options: { namespace: string; pod: string; gracePeriodSeconds?: number }): { deleted: string };
  /** Add this delay to every API response from now on (0 to stop). */
  latency(options: { ms: number }): { ms: number };
  /** Forget the watch history, so resuming from any older resourceVersion gets 410 Expired. */
  compact(): { resourceVersion: string };
}

export interface KubeApiServer {
  readonly url: string;
  readonly token: string;
  readonly caFile: string;
  readonly kubeconfigPath: string;
  readonly clusterName: string;
  readonly version: typeof serverVersion;
  /** Create an object (namespace from metadata.namespace), through the same admission and validation as POST. */
  create(object: KubeObject, options?: { fieldManager?: string }): KubeObject;
  /** The object, or undefined when it does not exist. `resource` may be plural, singular, kind or short name. */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: string, namespace?: string, options?: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>): KubeObject[];
  /** PUT semantics: a stale metadata.resourceVersion is a 409 Conflict. */
  update(object: KubeObject, options?: { fieldManager?: string }): KubeObject;
  patch(resource: string, namespace: string | undefined, name: string, type: PatchType, patch: unknown, options?: { fieldManager?: string; force?: boolean }): KubeObject;
  /** Server-side apply of a full object, as `kubectl apply --server-side`. */
  apply(object: KubeObject, options?: { fieldManager?: string; force?: boolean }): KubeObject;
  delete(resource: string, namespace: string | undefined, name: string, options?: DeleteOptions): void;
  /** The exact lines the container's current run wrote (or the previous run's), as `kubectl logs` shows them. */
  podLogs(namespace: string, pod: string, container?: string, options?: { previous?: boolean }): string[];
  /** Every run's lines with their kubelet timestamps. */
  logRecord(namespace: string, pod: string, container?: string): LogRecord;
  readonly faults: SandboxFaults;
  close(): Promise<void>;
}

export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const clusterName = options.clusterName ?? 'sandbox';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const timing: KubeletTiming = { ...defaultKubeletTiming, ...options.timing };
  const store = new Store(options.historyLimit ?? 20_000);
  const api = new KubeApi(store);
  const network = new ClusterNetwork(api);
  const programs = [...options.programs, ...builtinPrograms];
  const kubelet = new Kubelet(api, programs, timing, {
    fetch: (from, host, port, request) => network.fetch(from, host, port, request),
    resolve: async (namespace, host) => network.addresses(namespace, host),
  }, `${clusterName}-control-plane`, options.containerLogMaxBytes);
  network.attach(kubelet);
  const controllers = new Controllers(api, options.ca.certPem);
  const loadBalancer = options.loadBalancer === false
    ? undefined
    : new LoadBalancerController(api, network, options.ca, options.loadBalancer === true || options.loadBalancer === undefined ? {} : options.loadBalancer);
  let latencyMs = 0;

  bootstrap(api, kubelet.nodeName);

  const faults: SandboxFaults = {
    cutLogStreams: (o = {}) => {
      const targets = [...rest.followers].filter((f) => !o.namespace || f.pod === `${o.namespace}/${o.pod ?? f.pod.split('/')[1]}`);
      for (const f of targets) f.cut(o.afterLines ?? 0, o.mode ?? 'end');
      return { cut: targets.length };
    },
    holdLogStreams: (o) => {
      const targets = [...rest.followers].filter((f) => !o.namespace || f.pod === `${o.namespace}/${o.pod ?? f.pod.split('/')[1]}`);
      for (const f of targets) f.hold(o.ms);
      return { held: targets.length };
    },
    dropWatches: (o = {}) => {
      const all = [...rest.watches];
      for (const w of all) w.close(o.mode ?? 'end');
      return { dropped: all.length };
    },
    restartContainer: (o) => kubelet.killContainer(o.namespace, o.pod, o.container),
    deletePod: (o) => {
      api.delete(podsType, o.namespace, o.pod, o.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: o.gracePeriodSeconds } : {});
      return { deleted: `${o.namespace}/${o.pod}` };
    },
    latency: (o) => {
      latencyMs = Math.max(0, Number(o.ms) || 0);
      return { ms: latencyMs };
    },
    compact: () => {
      store.compact();
      return { resourceVersion: String(store.resourceVersion) };
    },
  };

  let port = 0;
  const rest = new RestHandler(api, kubelet, network, {
    token,
    serverAddress: () => `127.0.0.1:${port}`,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5_000,
    latencyMs: () => latencyMs,
    faultHandler: (name, body) => {
      const extra = options.extraFaults;
      if (extra && Object.hasOwn(extra, name)) return extra[name]!(body ?? {});
      if (!Object.hasOwn(faults, name)) throw badRequest(`unknown fault "${name}"; known: ${[...Object.keys(faults), ...Object.keys(extra ?? {})].join(', ')}`);
      const fn = faults[name as keyof SandboxFaults] as (o: unknown) => unknown;
      return fn(body ?? {});
    },
    logRecord: (namespace, pod, container) => kubelet.logRecord(namespace, pod, container),
  });

  const { certPem, keyPem } = await options.ca.issue(['kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local', `${clusterName}-control-plane`, '10.96.0.1']);
  const server: Server = createServer({ cert: certPem, key: keyPem }, (req, res) => void rest.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;

  const kubeconfigPath = join(options.dir, 'kubeconfig');
  const user = `${clusterName}-admin`;
  await writeFile(kubeconfigPath, YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server: url, 'certificate-authority': options.ca.caFile } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user } }],
    'current-context': clusterName,
    preferences: {},
  }), { mode: 0o600 });

  const withKind = (resource: string, o: KubeObject): KubeObject => {
    const t = api.resolveType(resource);
    return { ...o, apiVersion: t.group ? `${t.group}/v1` : 'v1', kind: t.kind };
  };

  let closing: Promise<void> | undefined;
  return {
    url,
    token,
    caFile: options.ca.caFile,
    kubeconfigPath,
    clusterName,
    version: serverVersion,
    create: (object, o = {}) => api.create(api.typeOf(object), object.metadata?.namespace, object, { fieldManager: o.fieldManager ?? 'sandbox' }),
    get: (resource, namespace, name) => api.find(api.resolveType(resource), namespace, name),
    list: (resource, namespace, o = {}) => api.list(api.resolveType(resource), namespace, o).items.map((i) => withKind(resource, i)),
    update: (object, o = {}) => api.update(api.typeOf(object), object.metadata?.namespace, object.metadata?.name ?? '', object,
      { fieldManager: o.fieldManager ?? 'sandbox' }).object,
    patch: (resource, namespace, name, type, patch, o = {}) => api.patch(api.resolveType(resource), namespace, name, type, patch,
      { fieldManager: o.fieldManager ?? 'sandbox', ...(o.force !== undefined ? { force: o.force } : {}) }).object,
    apply: (object, o = {}) => api.patch(api.typeOf(object), object.metadata?.namespace, object.metadata?.name ?? '', 'apply', object,
      { fieldManager: o.fieldManager ?? 'sandbox', force: o.force ?? false }).object,
    delete: (resource, namespace, name, o = {}) => { api.delete(api.resolveType(resource), namespace, name, o); },
    podLogs: (namespace, pod, container, o = {}) => {
      const log = kubelet.logFor(api.get(podsType, namespace, pod) as never, container, o.previous ?? false);
      return log.currentLines().map((l) => l.text);
    },
    logRecord: (namespace, pod, container) => kubelet.logRecord(namespace, pod, container),
    faults,
    close: () => closing ??= (async () => {
      rest.close();
      controllers.close();
      await loadBalancer?.close();
      kubelet.close();
      network.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })(),
  };
}

/** What a fresh kind cluster has: its namespaces and its one node. */
function bootstrap(api: KubeApi, nodeName: string): void {
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    api.create(namespacesType, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: 'kube-apiserver' });
  }
  const now = nowTimestamp();
  api.create(nodesType, undefined, {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: nodeName,
      labels: {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '',
      },
    },
    spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], providerID: `kind://docker/sandbox/${nodeName}` },
    status: {
      addresses: [{ type: 'InternalIP', address: nodeIP }, { type: 'Hostname', address: nodeName }],
      capacity: { cpu: '8', memory: '16318412Ki', pods: '110', 'ephemeral-storage': '101430960Ki' },
      allocatable: { cpu: '8', memory: '16318412Ki', pods: '110', 'ephemeral-storage': '101430960Ki' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', status: 'False', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      nodeInfo: {
        architecture: 'amd64', bootID: '', containerRuntimeVersion: 'containerd://1.7.24', kernelVersion: '6.8.0-sandbox',
        kubeProxyVersion: 'v1.32.4', kubeletVersion: 'v1.32.4', machineID: '', operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)', systemUUID: '',
      },
    },
  }, { fieldManager: 'kubelet' });
}

export type { StatusObject };
export { ApiError };
