// Helpers for the emulator's own tests and bench: a tiny container program (`example.test/echo`) that logs a
// counter and answers HTTP with what it received, and polling with a deadline.
import type { ContainerProgram } from './containers.ts';
import { waitFor as poll } from '../../support/waitFor.ts';

export const echoImage = 'example.test/echo:1';

/**
 * Env: LOG_INTERVAL_MS (default 100) between ticks, LOG_BURST lines per tick (default 1), LOG_LIMIT total lines
 * (then it stops logging), EXIT_AFTER_MS (exit with EXIT_CODE, default 0).
 */
export const echoProgram: ContainerProgram = {
  matches: (image) => image.startsWith('example.test/echo:'),
  start(ctx) {
    const interval = Number(ctx.env['LOG_INTERVAL_MS'] ?? 100);
    const burst = Number(ctx.env['LOG_BURST'] ?? 1);
    const limit = Number(ctx.env['LOG_LIMIT'] ?? Infinity);
    let n = 0;
    ctx.log(`start restart=${ctx.restartCount} token=${ctx.env['TOKEN'] ?? ''} greeting=${ctx.env['GREETING'] ?? ''}`);
    const timer = setInterval(() => {
      for (let i = 0; i < burst && n < limit; i++) ctx.log(`tick ${n++}`);
      if (n >= limit) clearInterval(timer);
    }, interval);
    let exitTimer: NodeJS.Timeout | undefined;
    if (ctx.env['EXIT_AFTER_MS']) {
      exitTimer = setTimeout(() => ctx.exit(Number(ctx.env['EXIT_CODE'] ?? 0)), Number(ctx.env['EXIT_AFTER_MS']));
    }
    const stop = () => {
      clearInterval(timer);
      if (exitTimer) clearTimeout(exitTimer);
    };
    ctx.signal.addEventListener('abort', stop, { once: true });
    return {
      async handle(request) {
        const body = JSON.stringify({
          pod: ctx.podName, method: request.method, path: request.path, host: request.host,
          remoteAddress: request.remoteAddress, port: request.port, scheme: request.scheme,
          body: request.body.toString('utf8'), headers: request.headers,
        });
        return { status: 200, headers: { 'content-type': 'application/json', 'x-echo-pod': ctx.podName }, body: Buffer.from(body) };
      },
      stop,
    };
  },
};

export function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  return poll(what, check, { timeoutMs, everyMs });
}

/** Test timing: the real sequence of states, compressed. */
export const fastTiming = { scheduleMs: 20, sandboxMs: 40, startMs: 120, imagePullBackOffMs: 200, probeMs: 50, terminationMs: 100, crashBackOffMs: 500 };
