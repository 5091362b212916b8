// A stand-in for the kubelet, for unit tests of the gateway program only: it resolves a Deployment's env from its
// ConfigMap and Secret the way the kubelet does, keeps what the container writes, and records its exit. End-to-end
// runs use the Kubernetes emulator instead.
import type { ContainerContext, ContainerInstance, ContainerProgram, SimRequest, SimResponse } from '../k8s/containers.ts';
import { waitFor as poll } from '../../support/waitFor.ts';

type Obj = Record<string, unknown>;

function metaName(o: Obj): string | undefined {
  return (o['metadata'] as { name?: string } | undefined)?.name;
}

/** The container env the kubelet would build for the first container of the first Deployment in `objects`. */
export function envFromManifests(objects: readonly Obj[]): { image: string; env: Record<string, string> } {
  const deployment = objects.find((o) => o['kind'] === 'Deployment');
  if (!deployment) throw new Error('no Deployment in manifests');
  const container = (((deployment['spec'] as Obj)['template'] as Obj)['spec'] as { containers: Obj[] }).containers[0];
  if (!container) throw new Error('Deployment has no container');
  const byKind = (kind: string, name: string) => objects.find((o) => o['kind'] === kind && metaName(o) === name);
  const env: Record<string, string> = {};
  for (const source of (container['envFrom'] as Obj[] | undefined) ?? []) {
    const ref = source['configMapRef'] as { name: string } | undefined;
    const secretRef = source['secretRef'] as { name: string } | undefined;
    if (ref) Object.assign(env, (byKind('ConfigMap', ref.name)?.['data'] as Record<string, string> | undefined) ?? {});
    if (secretRef) {
      const data = (byKind('Secret', secretRef.name)?.['data'] as Record<string, string> | undefined) ?? {};
      for (const [k, v] of Object.entries(data)) env[k] = Buffer.from(v, 'base64').toString('utf8');
    }
  }
  // Explicit env wins over envFrom, as in Kubernetes.
  for (const item of (container['env'] as Obj[] | undefined) ?? []) {
    const name = item['name'] as string;
    if (typeof item['value'] === 'string') env[name] = item['value'];
    const secretKeyRef = (item['valueFrom'] as { secretKeyRef?: { name: string; key: string } } | undefined)?.secretKeyRef;
    if (secretKeyRef) {
      const data = byKind('Secret', secretKeyRef.name)?.['data'] as Record<string, string> | undefined;
      const value = data?.[secretKeyRef.key];
      if (value === undefined) throw new Error(`secret ${secretKeyRef.name} has no key ${secretKeyRef.key}`);
      env[name] = Buffer.from(value, 'base64').toString('utf8');
    }
  }
  return { image: container['image'] as string, env };
}

export interface FakeRun {
  instance: ContainerInstance;
  lines: string[];
  exitCode: () => number | undefined;
  /** Stop the container as the kubelet does: abort the signal, then stop(). */
  kill: () => void;
  /** Lines written from index `from` on. */
  since: (from: number) => string[];
}

export interface FakeRunOptions {
  image: string;
  env: Record<string, string>;
  podIP?: string;
  fetch?: ContainerContext['fetch'];
}

export function runContainer(program: ContainerProgram, options: FakeRunOptions): FakeRun {
  if (!program.matches(options.image)) throw new Error(`program does not play ${options.image}`);
  const lines: string[] = [];
  let code: number | undefined;
  const controller = new AbortController();
  const context: ContainerContext = {
    namespace: 'apim',
    podName: 'rb-arc-aks-apimgw-6cb68c4ccf-88bxg',
    podIP: options.podIP ?? '10.240.0.102',
    containerName: 'azure-api-management-gateway',
    image: options.image,
    command: [],
    args: [],
    env: options.env,
    restartCount: 0,
    log: (line) => {
      lines.push(line);
    },
    exit: (c) => {
      code ??= c;
    },
    fetch:
      options.fetch ??
      (async (host) => {
        const error = new Error(`getaddrinfo ENOTFOUND ${host}`) as Error & { code: string };
        error.code = 'ENOTFOUND';
        throw error;
      }),
    signal: controller.signal,
  };
  const instance = program.start(context);
  return {
    instance,
    lines,
    exitCode: () => code,
    kill: () => {
      controller.abort();
      instance.stop();
    },
    since: (from) => lines.slice(from),
  };
}

export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  await poll(what, predicate, { timeoutMs, everyMs: 5 });
}

export function simRequest(partial: Partial<SimRequest> & Pick<SimRequest, 'path'>): SimRequest {
  return {
    scheme: 'http',
    method: 'GET',
    host: 'rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000',
    headers: {},
    body: Buffer.alloc(0),
    remoteAddress: '10.240.0.25',
    port: 8080,
    ...partial,
  };
}

export async function send(run: FakeRun, partial: Partial<SimRequest> & Pick<SimRequest, 'path'>): Promise<SimResponse> {
  const handle = run.instance.handle;
  if (!handle) throw new Error('container listens on nothing');
  return handle(simRequest(partial));
}

/**
 * Request records in text output, each as its physical lines: a record starts at `[Info] <ts> [GatewayLogs],` (2.x)
 * or `[Info] <ts>, isRequestSuccess:` (1.x) and, when it opened a `lastError: {`, runs to the line starting with `}`.
 */
export function recordBlocks(lines: readonly string[]): string[][] {
  const blocks: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!/^\[Info\] \S+( \[GatewayLogs\])?, isRequestSuccess: /.test(line)) continue;
    const block = [line];
    if (line.endsWith('{')) {
      while (++i < lines.length) {
        const next = lines[i] ?? '';
        block.push(next);
        if (next.startsWith('}')) break;
      }
    }
    blocks.push(block);
  }
  return blocks;
}

/** Event names of `[Level] <ts> [Name]` lines, in order. */
export function eventNames(lines: readonly string[]): string[] {
  const names: string[] = [];
  for (const line of lines) {
    const m = /^\[(?:Verbose|Info|Warn|Error|Fatal)\] \S+ \[([A-Za-z]+)\]/.exec(line);
    if (m?.[1] && m[1] !== 'GatewayLogs') names.push(m[1]);
  }
  return names;
}
