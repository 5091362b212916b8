// The seam between the Kubernetes API emulator (the "kubelet" that runs pods) and the programs that play
// containers (gateway simulator, curl, busybox). The emulator picks a ContainerProgram by image, starts it with a
// ContainerContext, and routes in-cluster traffic for the pod's ports to ContainerInstance.handle().
// Nothing here does real networking: a request from one simulated container to another is a SimRequest value.

export interface SimRequest {
  /** 'http' or 'https': the scheme the client used (https on the gateway's 8081, the `https:` proxy prefix, …). */
  scheme: 'http' | 'https';
  method: string;
  /** Path and query exactly as sent, e.g. `/echo/resource?param1=sample`. */
  path: string;
  /** Host header as the client sent it (e.g. `svc.ns:5000`), used for the gateway's url field. */
  host: string;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** Address of the caller as the container sees it (a pod IP, or the API server's for the service proxy). */
  remoteAddress: string;
  /** The container port the request arrived on (after Service port → targetPort mapping). */
  port: number;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Thrown / returned by the network when nothing listens: curl prints `Failed to connect` / exit 7. */
export class ConnectionRefused extends Error {
  readonly code = 'ECONNREFUSED';
}

/** What the cluster gives a running container. */
export interface ContainerContext {
  readonly namespace: string;
  readonly podName: string;
  readonly podIP: string;
  readonly containerName: string;
  readonly image: string;
  /** spec.containers[].command and args, as given. */
  readonly command: readonly string[];
  readonly args: readonly string[];
  /** Environment resolved the way the kubelet does: env (value / valueFrom) and envFrom ConfigMaps and Secrets. */
  readonly env: Readonly<Record<string, string>>;
  /** spec.containers[].stdin: the container has an open stdin (`kubectl run -i`), so a shell waits instead of exiting. */
  readonly stdin?: boolean;
  /** Which restart of this container this is (0 for the first run). */
  readonly restartCount: number;
  /** Write one line to the container's stdout (no trailing newline); the kubelet stamps it with its own time. */
  log(line: string): void;
  /**
   * Write raw output as a process does (optional; the sandbox's kubelet always provides it): the text is split into
   * lines at '\n' like a container runtime does, and a fragment still unterminated when the container exits becomes
   * the log's last line without a newline (curl printing a body that has no trailing newline).
   */
  write?(text: string): void;
  /** The container's main process ended with this code; the pod's restartPolicy decides what happens next. */
  exit(code: number): void;
  /**
   * In-cluster networking: send a request to `host:port` where host is a Service DNS name (`svc`, `svc.ns`,
   * `svc.ns.svc`, `svc.ns.svc.cluster.local`) or a pod IP. Rejects with ConnectionRefused when nothing answers
   * and with an Error whose code is 'ENOTFOUND' when the name does not resolve.
   */
  fetch(host: string, port: number, request: Omit<SimRequest, 'remoteAddress' | 'port' | 'host'>): Promise<SimResponse>;
  /**
   * Optional: the addresses the cluster resolver gives for a name (Service ClusterIP, or pod IPs of a headless
   * Service), for programs that print them (`curl -v`, busybox wget). Rejects like fetch with code 'ENOTFOUND'.
   */
  resolve?(host: string): Promise<string[]>;
  /** Fires when the container is being stopped (pod deleted, restarted); the program must stop its timers. */
  readonly signal: AbortSignal;
}

export interface ContainerInstance {
  /** Serve a request that reached this container on `request.port`. Absent: the container listens on nothing. */
  handle?(request: SimRequest): Promise<SimResponse>;
  /** Readiness as the probe would see it; absent means ready once running. */
  ready?(): boolean;
  /** Stop at once (SIGKILL semantics); called after `signal` aborts. */
  stop(): void;
}

export interface ContainerProgram {
  /** True when this program plays the given image, e.g. `mcr.microsoft.com/azure-api-management/gateway:v2`. */
  matches(image: string): boolean;
  start(context: ContainerContext): ContainerInstance;
}
