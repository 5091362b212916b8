// The load-balancer controller a kind cluster gets from cloud-provider-kind (or MetalLB): every `type: LoadBalancer`
// Service gets an external address in `status.loadBalancer.ingress`, and real TCP connections to that address at a
// Service port reach a ready endpoint exactly as ClusterIP traffic does. Here the address is a loopback one
// (127.X.Y.Z, all of 127/8 routes to lo on Linux), so tests and the extension connect to it with real sockets.
//
// Per Service port: a plain HTTP listener, or a TLS one (certificate from the sandbox CA for the address) when the
// port reaches a container port that serves TLS. A port is listened on only while it has a ready endpoint, because
// kube-proxy rejects connections to a Service without endpoints: the client sees ECONNREFUSED, as on a real cluster.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';
import { servicesType, type KubeApi } from './api.ts';
import type { SimResponse } from './containers.ts';
import { nodeIP } from './kubelet.ts';
import type { ClusterNetwork } from './network.ts';
import { deepEqual } from './patch.ts';
import type { StoreEvent } from './store.ts';
import type { Service, ServicePort } from './types.ts';
import type { SandboxCa } from '../tls.ts';
// The seeded PRNG the log generator uses: enough to spread addresses over 127/8, repeatable for a given seed.
import { random } from '../gateway/logGenerator.ts';

const component = 'service-controller';

/** Response headers that belong to one hop; the listener's own HTTP stack writes its framing. */
const framing = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export interface LoadBalancerOptions {
  /** Seed of the address allocator (random when absent), so a test can get the same addresses each run. */
  seed?: number;
}

interface Listener {
  port: number;
  tls: boolean;
  server: Server;
}

interface Entry {
  uid: string;
  namespace: string;
  name: string;
  ip: string | undefined;
  listeners: Map<number, Listener>;
  running: Promise<void> | undefined;
  dirty: boolean;
  released: boolean;
}


const isHttpsName = (name: string | undefined): boolean => {
  const lower = (name ?? '').toLowerCase();
  return lower === 'https' || lower === 'tls' || lower.endsWith('-https') || lower.startsWith('https-');
};

export class LoadBalancerController {
  private readonly api: KubeApi;
  private readonly network: ClusterNetwork;
  private readonly ca: SandboxCa;
  private readonly random: () => number;
  private readonly entries = new Map<string, Entry>();
  private readonly taken = new Set<string>();
  private readonly certificates = new Map<string, Promise<{ certPem: string; keyPem: string }>>();
  private readonly unsubscribe: () => void;
  private scheduled = false;
  private closed = false;

  constructor(api: KubeApi, network: ClusterNetwork, ca: SandboxCa, options: LoadBalancerOptions = {}) {
    this.api = api;
    this.network = network;
    this.ca = ca;
    this.random = random(options.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.unsubscribe = api.store.subscribe((e) => this.onEvent(e));
    this.schedule();
  }

  private onEvent(event: StoreEvent): void {
    // Services (type, ports), Endpoints (which ports have a ready backend) and pods (their named ports) matter.
    if (!['services', 'endpoints', 'pods'].includes(event.resource.plural)) return;
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.closed) this.reconcile();
    });
  }

  private reconcile(): void {
    const live = new Set<string>();
    for (const object of this.api.store.scan(servicesType)) {
      const svc = object as Service;
      if (svc.spec.type !== 'LoadBalancer' || svc.metadata.deletionTimestamp) continue;
      const uid = svc.metadata.uid ?? '';
      live.add(uid);
      let entry = this.entries.get(uid);
      if (!entry) {
        entry = { uid, namespace: svc.metadata.namespace ?? '', name: svc.metadata.name ?? '', ip: undefined, listeners: new Map(), running: undefined, dirty: false, released: false };
        this.entries.set(uid, entry);
      }
      this.kick(entry);
    }
    for (const entry of this.entries.values()) if (!live.has(entry.uid)) this.kick(entry);
  }

  /** Run `sync` for the entry, once more if something changed while it ran; never two at a time. */
  private kick(entry: Entry): void {
    if (entry.running) {
      entry.dirty = true;
      return;
    }
    entry.running = (async () => {
      do {
        entry.dirty = false;
        try {
          await this.sync(entry);
        } catch (error) {
          this.warn(entry, `Error syncing load balancer: ${error instanceof Error ? error.message : String(error)}`);
        }
      } while (entry.dirty && !entry.released && !this.closed);
      entry.running = undefined;
    })();
  }

  private current(entry: Entry): Service | undefined {
    const svc = this.api.store.peek(servicesType, entry.namespace, entry.name) as Service | undefined;
    if (!svc || svc.metadata.uid !== entry.uid || svc.spec.type !== 'LoadBalancer' || svc.metadata.deletionTimestamp) return undefined;
    return svc;
  }

  private async sync(entry: Entry): Promise<void> {
    if (this.closed || entry.released) return;
    const svc = this.current(entry);
    if (!svc) return this.release(entry);
    const tcp = (svc.spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
    if (!entry.ip) {
      this.api.recordEvent(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer', component);
      entry.ip = await this.allocate(tcp.map((p) => p.port));
      if (!entry.ip) {
        this.warn(entry, 'Error syncing load balancer: failed to ensure load balancer: no free loopback address');
        return;
      }
    }
    const desired = new Map<number, boolean>();
    for (const p of tcp) if (this.network.hasReadyBackend(svc, p)) desired.set(p.port, this.servesTls(svc, p));
    for (const [port, listener] of [...entry.listeners]) {
      if (desired.get(port) === listener.tls) continue;
      entry.listeners.delete(port);
      await stop(listener.server);
    }
    for (const [port, tls] of desired) {
      if (entry.listeners.has(port) || this.closed || entry.released) continue;
      const opened = await this.listen(entry, port, tls);
      if (opened === 'in-use') {
        // Someone else took the address meanwhile: move the whole load balancer to a fresh one.
        await this.closeListeners(entry);
        this.taken.delete(entry.ip);
        entry.ip = undefined;
        entry.dirty = true;
        return;
      }
    }
    if (this.closed || entry.released) return;
    const ingress = [{ ip: entry.ip, ipMode: 'VIP' }];
    const now = this.current(entry);
    const had = ((now?.status?.['loadBalancer'] as { ingress?: unknown } | undefined)?.ingress);
    if (now && !deepEqual(had, ingress)) {
      this.api.writeStatus(servicesType, entry.namespace, entry.name, (o) => { o['status'] = { loadBalancer: { ingress } }; }, component);
      this.api.recordEvent(now, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', component);
    }
  }

  /** The Service went, or is no LoadBalancer any more: listeners closed, address freed, ingress removed. */
  private async release(entry: Entry): Promise<void> {
    entry.released = true;
    this.entries.delete(entry.uid);
    await this.closeListeners(entry);
    if (entry.ip) this.taken.delete(entry.ip);
    const svc = this.api.store.peek(servicesType, entry.namespace, entry.name) as Service | undefined;
    if (svc && svc.metadata.uid === entry.uid && (svc.status?.['loadBalancer'] as { ingress?: unknown } | undefined)?.ingress) {
      this.api.writeStatus(servicesType, entry.namespace, entry.name, (o) => { o['status'] = { loadBalancer: {} }; }, component);
      this.api.recordEvent(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer', component);
    }
    if (!this.closed) this.schedule();
  }

  private async closeListeners(entry: Entry): Promise<void> {
    const all = [...entry.listeners.values()];
    entry.listeners.clear();
    await Promise.all(all.map((l) => stop(l.server)));
  }

  /** A free 127.X.Y.Z (never in 127.0.0.0/24, where 127.0.0.1 lives) on which every port can be bound. */
  private async allocate(ports: readonly number[]): Promise<string | undefined> {
    for (let attempt = 0; attempt < 50 && !this.closed; attempt++) {
      const x = Math.floor(this.random() * 256);
      const y = Math.floor(this.random() * 256);
      const z = 1 + Math.floor(this.random() * 254);
      if (x === 0 && y === 0) continue;
      const ip = `127.${x}.${y}.${z}`;
      if (this.taken.has(ip)) continue;
      if (!(await allBindable(ip, ports))) continue;
      this.taken.add(ip);
      return ip;
    }
    return undefined;
  }

  /** TLS when the port or the container port it reaches is named https / tls, or the container port is a TLS one. */
  private servesTls(svc: Service, port: ServicePort): boolean {
    const app = (port.appProtocol ?? '').toLowerCase();
    if (app === 'https' || app === 'kubernetes.io/https') return true;
    if (app === 'http' || app === 'kubernetes.io/http') return false;
    if (isHttpsName(port.name) || (typeof port.targetPort === 'string' && isHttpsName(port.targetPort))) return true;
    const target = this.network.targetContainerPort(svc, port);
    if (!target) return false;
    // 8081 is the self-hosted gateway's TLS port (the chart names it `https`; a hand-written manifest may not).
    return isHttpsName(target.name) || [443, 8443, 8081].includes(target.port);
  }

  private async listen(entry: Entry, port: number, tls: boolean): Promise<'ok' | 'in-use' | 'failed'> {
    const ip = entry.ip!;
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.forward(entry, port, tls, req, res);
    let server: Server;
    if (tls) {
      let certificate = this.certificates.get(ip);
      if (!certificate) {
        certificate = this.ca.issue([ip]);
        this.certificates.set(ip, certificate);
      }
      const { certPem, keyPem } = await certificate;
      server = createHttpsServer({ cert: certPem, key: keyPem }, handler) as unknown as Server;
    } else {
      server = createHttpServer(handler);
    }
    const result = await new Promise<'ok' | 'in-use' | 'failed'>((resolve) => {
      server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' ? 'in-use' : 'failed'));
      server.listen(port, ip, () => resolve('ok'));
    });
    if (result === 'ok') {
      if (this.closed || entry.released || entry.ip !== ip) await stop(server);
      else entry.listeners.set(port, { port, tls, server });
    } else if (result === 'failed') {
      this.warn(entry, `Error syncing load balancer: cannot listen on ${ip}:${port}`);
    }
    return result;
  }

  /** One request that reached ip:port: on to a ready endpoint as kube-proxy sends it, the answer back. */
  private async forward(entry: Entry, port: number, tls: boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return;
    }
    const svc = this.current(entry);
    const servicePort = svc?.spec.ports?.find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
    const backend = svc && servicePort ? this.network.serviceBackend(svc, servicePort) : undefined;
    if (!svc || !backend) {
      // The last endpoint went while this connection was open: kube-proxy rejects, the client sees a reset.
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    // externalTrafficPolicy Cluster SNATs to the node's address (the pod may be on another node); Local keeps the client's.
    const client = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const remoteAddress = svc.spec['externalTrafficPolicy'] === 'Local' ? client : nodeIP;
    let response: SimResponse;
    try {
      response = await this.network.connect(backend.ip, backend.port, {
        scheme: tls ? 'https' : 'http', method: req.method ?? 'GET', path: req.url ?? '/', host: headers['host'] ?? `${entry.ip}:${port}`,
        headers, body: Buffer.concat(chunks), remoteAddress, port: backend.port,
      });
    } catch {
      // The pod refused (nothing listens on the target port) or dropped the connection: the client sees a reset.
      req.socket.destroy();
      return;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) if (!framing.has(k.toLowerCase())) out[k] = v;
    out['content-length'] = String(response.body.length);
    res.writeHead(response.status, out);
    res.end(req.method === 'HEAD' ? undefined : response.body);
  }

  private warn(entry: Entry, message: string): void {
    const svc = this.api.store.peek(servicesType, entry.namespace, entry.name);
    if (svc) this.api.recordEvent(svc, 'Warning', 'SyncLoadBalancerFailed', message, component);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    const entries = [...this.entries.values()];
    await Promise.all(entries.map((e) => e.running));
    await Promise.all(entries.map((e) => this.closeListeners(e)));
    this.entries.clear();
    this.taken.clear();
  }
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Whether every port can be bound on ip now (nothing else holds ip:port). */
async function allBindable(ip: string, ports: readonly number[]): Promise<boolean> {
  for (const port of ports) {
    const probe = createTcpServer();
    const ok = await new Promise<boolean>((resolve) => {
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE' && error.code !== 'EADDRNOTAVAIL'));
      probe.listen(port, ip, () => resolve(true));
    });
    if (probe.listening) await new Promise<void>((resolve) => probe.close(() => resolve()));
    if (!ok) return false;
  }
  return true;
}
