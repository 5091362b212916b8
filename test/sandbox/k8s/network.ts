// The cluster network as the programs and the apiserver proxy see it: cluster DNS (with the pod's search path),
// Service virtual IPs that map port → targetPort onto a ready endpoint (kube-proxy), pod IPs, and the failures real
// networks produce: NXDOMAIN for unknown names, connection refused for a Service without ready endpoints or a port
// nobody listens on, and silence (a connect that never completes) for an address nothing routes.
import { endpointsType, podsType, servicesType, type KubeApi } from './api.ts';
import { ConnectionRefused, type SimRequest, type SimResponse } from './containers.ts';
import type { Kubelet } from './kubelet.ts';
import { ApiError, notFound, serviceUnavailable } from './status.ts';
import type { ContainerSpec, Endpoints, Pod, Service, ServicePort } from './types.ts';

export class NetworkError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** How long a SYN to an address nothing answers goes unanswered before connect() gives up (Linux's default). */
const unroutableTimeoutMs = 127_000;

type Target =
  | { kind: 'service'; service: Service }
  | { kind: 'ip'; ip: string };

export class ClusterNetwork {
  private readonly api: KubeApi;
  private kubelet: Kubelet | undefined;
  private roundRobin = 0;
  private readonly hanging = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();

  constructor(api: KubeApi) {
    this.api = api;
  }

  attach(kubelet: Kubelet): void {
    this.kubelet = kubelet;
  }

  /** Resolve a name as a pod in `namespace` would (resolv.conf search: ns.svc.cluster.local, svc.cluster.local). */
  resolve(namespace: string, host: string): Target | undefined {
    const name = host.toLowerCase().replace(/\.$/, '');
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      const service = this.api.store.scan(servicesType).find((s) => (s as Service).spec.clusterIP === name) as Service | undefined;
      return service ? { kind: 'service', service } : { kind: 'ip', ip: name };
    }
    const candidates = [`${name}.${namespace}.svc.cluster.local`, `${name}.svc.cluster.local`, `${name}.cluster.local`, name];
    for (const fqdn of candidates) {
      const svc = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/.exec(fqdn);
      if (svc) {
        const service = this.api.store.peek(servicesType, svc[2], svc[1]!) as Service | undefined;
        if (service && service.spec.type !== 'ExternalName') return { kind: 'service', service };
      }
      const pod = /^(\d+)-(\d+)-(\d+)-(\d+)\.([a-z0-9-]+)\.pod\.cluster\.local$/.exec(fqdn);
      if (pod) return { kind: 'ip', ip: `${pod[1]}.${pod[2]}.${pod[3]}.${pod[4]}` };
    }
    return undefined;
  }

  /** What the resolver answers for a name: the ClusterIP, a headless Service's ready pod IPs, or ENOTFOUND. */
  addresses(namespace: string, host: string): string[] {
    const target = this.resolve(namespace, host);
    if (!target) throw new NetworkError('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`);
    if (target.kind === 'ip') return [target.ip];
    if (target.service.spec.clusterIP === 'None') {
      const ips = this.readyAddresses(target.service).map((a) => a.ip);
      if (ips.length === 0) throw new NetworkError('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`);
      return ips;
    }
    return [target.service.spec.clusterIP ?? ''];
  }

  private readyAddresses(service: Service): { ip: string; ports: { name?: string; port: number }[] }[] {
    const ep = this.api.store.peek(endpointsType, service.metadata.namespace, service.metadata.name ?? '') as Endpoints | undefined;
    return (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => ({ ip: a.ip, ports: s.ports ?? [] })));
  }

  private pick<T>(items: readonly T[]): T | undefined {
    if (items.length === 0) return undefined;
    return items[this.roundRobin++ % items.length];
  }

  /** Never completes on its own: the caller's timeout (curl -m) decides, as with a real black hole. */
  private hang(host: string, port: number): Promise<never> {
    return new Promise((_resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.hanging.delete(entry);
          reject(new NetworkError('ETIMEDOUT', `connect ETIMEDOUT ${host}:${port}`));
        }, unroutableTimeoutMs),
        reject,
      };
      entry.timer.unref();
      this.hanging.add(entry);
    });
  }

  /** ContainerContext.fetch for a container of a pod in `from.namespace`. */
  async fetch(from: { namespace: string; podIP: string }, host: string, port: number,
    request: Omit<SimRequest, 'remoteAddress' | 'port' | 'host'>): Promise<SimResponse> {
    const target = this.resolve(from.namespace, host);
    if (!target) throw new NetworkError('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`);
    const hostHeader = (request.scheme === 'https' ? port === 443 : port === 80) ? host : `${host}:${port}`;
    let ip: string;
    let targetPort: number;
    if (target.kind === 'service') {
      const service = target.service;
      if (service.spec.clusterIP === 'None') {
        const address = this.pick(this.readyAddresses(service));
        if (!address) throw new NetworkError('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`);
        ip = address.ip;
        targetPort = port;
      } else {
        const servicePort = (service.spec.ports ?? []).find((p) => p.port === port && (p.protocol ?? 'TCP') === 'TCP');
        if (!servicePort) return this.hang(host, port);
        const backend = this.serviceBackend(service, servicePort);
        if (!backend) throw new ConnectionRefused(`connect ECONNREFUSED ${service.spec.clusterIP}:${port}`);
        ({ ip, port: targetPort } = backend);
      }
    } else {
      ip = target.ip;
      targetPort = port;
    }
    return this.connect(ip, targetPort, { ...request, host: hostHeader, remoteAddress: from.podIP, port: targetPort });
  }

  /** kube-proxy's choice for one connection to a Service port: a ready endpoint (round robin) and its target port. */
  serviceBackend(service: Service, servicePort: ServicePort): { ip: string; port: number } | undefined {
    const name = servicePort.name ?? '';
    const address = this.pick(this.readyAddresses(service).filter((a) => a.ports.some((p) => (p.name ?? '') === name)));
    return address ? { ip: address.ip, port: address.ports.find((p) => (p.name ?? '') === name)!.port } : undefined;
  }

  /** Whether a Service port has a ready endpoint (kube-proxy rejects connections to one without). */
  hasReadyBackend(service: Service, servicePort: ServicePort): boolean {
    const name = servicePort.name ?? '';
    return this.readyAddresses(service).some((a) => a.ports.some((p) => (p.name ?? '') === name));
  }

  /** The container port a Service port reaches on its endpoints (the first ready one), for protocol sniffing. */
  targetContainerPort(service: Service, servicePort: ServicePort): { port: number; name?: string } | undefined {
    const name = servicePort.name ?? '';
    const address = this.readyAddresses(service).find((a) => a.ports.some((p) => (p.name ?? '') === name));
    const port = address?.ports.find((p) => (p.name ?? '') === name)?.port;
    if (port === undefined) return undefined;
    const pod = this.kubelet?.podAt(address!.ip);
    const named = pod?.containers.flatMap((c) => c.spec.ports ?? []).find((p) => p.containerPort === port)?.name;
    return { port, ...(named ? { name: named } : {}) };
  }

  /** Deliver a request to whatever listens on ip:port. */
  async connect(ip: string, port: number, request: SimRequest): Promise<SimResponse> {
    const pod = this.kubelet?.podAt(ip);
    // An address no pod holds (any more): nothing answers, so the connect times out.
    if (!pod) return this.hang(ip, port);
    const running = pod.containers.filter((c) => c.running && c.instance?.handle);
    const listener = running.find((c) => (c.spec.ports ?? []).some((p) => p.containerPort === port)) ?? running[0];
    if (!listener?.instance?.handle) throw new ConnectionRefused(`connect ECONNREFUSED ${ip}:${port}`);
    try {
      return await listener.instance.handle(request);
    } catch (e) {
      if (e instanceof ConnectionRefused) throw e;
      throw new NetworkError('ECONNRESET', `read ECONNRESET (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  /**
   * The apiserver's service proxy location: `[scheme:]name[:port]`, port by number (mapped to the Service port's
   * name) or by name, then a ready address from the Endpoints whose port has that name (registry/core/service
   * ResourceLocation).
   */
  serviceLocation(namespace: string, id: string): { scheme: 'http' | 'https'; ip: string; port: number; service: Service } {
    const { scheme, name, port } = splitSchemeNamePort(id);
    const service = this.api.store.peek(servicesType, namespace, name) as Service | undefined;
    if (!service) throw notFound('services', '', name);
    let portName = port;
    if (/^\d+$/.test(port)) {
      const sp: ServicePort | undefined = (service.spec.ports ?? []).find((p) => p.port === Number(port));
      if (!sp) throw serviceUnavailable(`no service port ${port} found for service "${name}"`);
      portName = sp.name ?? '';
    }
    const addresses = this.readyAddresses(service);
    if (addresses.length === 0) throw serviceUnavailable(`no endpoints available for service "${name}"`);
    const withPort = addresses.filter((a) => a.ports.some((p) => (p.name ?? '') === portName));
    const address = this.pick(withPort);
    if (!address) throw serviceUnavailable(`no endpoints available for service "${name}"`);
    return { scheme, ip: address.ip, port: address.ports.find((p) => (p.name ?? '') === portName)!.port, service };
  }

  /** The pod proxy location: `[scheme:]pod[:port]`, port by number or container port name. */
  podLocation(namespace: string, id: string): { scheme: 'http' | 'https'; ip: string; port: number } {
    const { scheme, name, port } = splitSchemeNamePort(id);
    const pod = this.api.store.peek(podsType, namespace, name) as Pod | undefined;
    if (!pod) throw notFound('pods', '', name);
    const ip = pod.status?.podIP;
    if (!ip) throw new ApiError(400, 'BadRequest', `address not allowed`);
    const ports = pod.spec.containers.flatMap((c: ContainerSpec) => c.ports ?? []);
    let number: number | undefined;
    if (port === '') number = ports[0]?.containerPort ?? 80;
    else if (/^\d+$/.test(port)) number = Number(port);
    else number = ports.find((p) => p.name === port)?.containerPort;
    if (number === undefined) throw serviceUnavailable(`no port named "${port}" found on pod "${name}"`);
    return { scheme, ip, port: number };
  }

  close(): void {
    for (const h of this.hanging) {
      clearTimeout(h.timer);
      h.reject(new NetworkError('ECONNABORTED', 'cluster stopped'));
    }
    this.hanging.clear();
  }
}

/** k8s.io/apimachinery/pkg/util/net SplitSchemeNamePort: `name`, `name:port`, `scheme:name:port` (port may be empty). */
export function splitSchemeNamePort(id: string): { scheme: 'http' | 'https'; name: string; port: string } {
  const parts = id.split(':');
  let scheme = '';
  let name = '';
  let port = '';
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  if (!name || (scheme !== '' && scheme !== 'http' && scheme !== 'https') || parts.length > 3) {
    throw new ApiError(400, 'BadRequest', `invalid request "${id}"`);
  }
  return { scheme: scheme === 'https' ? 'https' : 'http', name, port };
}
