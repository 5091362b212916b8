// What the built-in programs share: a process model (argv from the image's entrypoint and the pod's command/args,
// stdout and stderr both landing in the container log as in Kubernetes, an exit code), and abortable sleeps.
import type { ContainerContext, ContainerInstance, SimResponse } from '../containers.ts';

export interface Stdio {
  stdout(text: string): void;
  stderr(text: string): void;
}

export type Main = (argv: string[], ctx: ContainerContext, io: Stdio) => Promise<number>;

/** Raised inside a program when the container is stopped, so its main unwinds without an exit code. */
export class Stopped extends Error {}

export function stdio(ctx: ContainerContext): Stdio {
  if (ctx.write) {
    const write = ctx.write.bind(ctx);
    return { stdout: write, stderr: write };
  }
  // Without raw writes a program can only emit whole lines; hold fragments until their newline.
  let pending = '';
  const write = (text: string) => {
    const parts = (pending + text).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) ctx.log(line);
  };
  return { stdout: write, stderr: write };
}

/** Run `main` as the container's process; its result is the exit code. */
export function runProcess(argv: string[], ctx: ContainerContext, main: Main): ContainerInstance {
  const io = stdio(ctx);
  main(argv, ctx, io).then(
    (code) => { if (!ctx.signal.aborted) ctx.exit(code); },
    (e: unknown) => {
      if (ctx.signal.aborted || e instanceof Stopped) return;
      io.stderr(`${e instanceof Error ? e.message : String(e)}\n`);
      ctx.exit(1);
    },
  );
  return { stop() { /* main observes ctx.signal */ } };
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(new Stopped()); return; }
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(new Stopped()); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Settle with the request or reject when the container stops, so a hanging connect never outlives its pod. */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(new Stopped()); return; }
    const onAbort = () => reject(new Stopped());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e instanceof Error ? e : new Error(String(e))); },
    );
  });
}

export interface ParsedUrl {
  scheme: string;
  host: string;
  port: number;
  /** Path and query as sent on the request line. */
  path: string;
}

export function parseUrl(raw: string, defaultScheme = 'http'): ParsedUrl | undefined {
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(raw) ? raw : `${defaultScheme}://${raw}`;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#:]*)(?::(\d*))?([^#]*)/.exec(withScheme);
  if (!m || !m[2]) return undefined;
  const scheme = m[1]!.toLowerCase();
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  let path = m[4] || '/';
  if (path.startsWith('?')) path = `/${path}`;
  return { scheme, host: m[2].toLowerCase(), port, path };
}

export function networkCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

export type { SimResponse };
