// Fault knobs for the ARM emulator: added latency, throttling (429 + Retry-After), server errors, scripted extension
// failures, page size. The same object is reachable in-process (server.faults) and over HTTPS
// (`POST /sandbox/v1/arm-faults/<name>` with a JSON body), because integration tests run in VS Code's extension host.
import type { ExtensionEngine, ScriptedExtensionFailure } from './extensions.ts';
import { ArmError, isRecord } from './http.ts';

export interface ThrottleOptions {
  /** How many matching requests get a 429 (default 1). */
  count?: number;
  /** Retry-After in whole seconds, as ARM sends it (default 1). */
  retryAfterSeconds?: number;
  /** Also send `retry-after-ms` (the SDKs prefer it), so a test need not wait whole seconds. */
  retryAfterMs?: number;
  /** Only requests whose path matches this regular expression (case-insensitive). */
  path?: string;
}

export interface ServerErrorOptions {
  count?: number;
  /** 500 (default), 502, 503 or 504. */
  status?: number;
  /** Sent with the error when given; the SDKs retry 503 only when it is present. */
  retryAfterSeconds?: number;
  path?: string;
}

export interface ArmFaults {
  /** Add this delay to every ARM response from now on (0 to stop). */
  latency(options: { ms: number }): { ms: number };
  throttle(options?: ThrottleOptions): { pending: number };
  serverErrors(options?: ServerErrorOptions): { pending: number };
  /** The next extension operation (of the given kind) fails with these, without touching the cluster. */
  failExtensionOperation(options: ScriptedExtensionFailure): { pending: number };
  /** Items per page of every list from now on. */
  pageSize(options: { size: number }): { size: number };
  /** Clear every pending fault and the latency. */
  reset(): { reset: true };
}

interface Injection {
  kind: 'throttle' | 'error';
  remaining: number;
  pattern: RegExp | undefined;
  status: number;
  retryAfterSeconds: number | undefined;
  retryAfterMs: number | undefined;
}

export interface InjectedFailure {
  error: ArmError;
  fault: 'throttle' | 'server-error';
}

function count(value: unknown): number {
  const n = value === undefined ? 1 : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ArmError(400, 'InvalidFault', `'count' must be a positive integer, got ${String(value)}.`);
  return n;
}

function pattern(value: unknown): RegExp | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ArmError(400, 'InvalidFault', "'path' must be a regular expression string.");
  try {
    return new RegExp(value, 'i');
  } catch (error) {
    throw new ArmError(400, 'InvalidFault', `'path' is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export class FaultState {
  latencyMs = 0;
  pageSize: number;
  readonly #injections: Injection[] = [];
  readonly faults: ArmFaults;

  constructor(extensions: ExtensionEngine, pageSize: number) {
    this.pageSize = pageSize;
    this.faults = {
      latency: (o) => {
        this.latencyMs = Math.max(0, Number(o.ms) || 0);
        return { ms: this.latencyMs };
      },
      throttle: (o = {}) => {
        this.#injections.push({
          kind: 'throttle', remaining: count(o.count), pattern: pattern(o.path), status: 429,
          retryAfterSeconds: Math.max(0, Math.ceil(Number(o.retryAfterSeconds ?? (o.retryAfterMs !== undefined ? Number(o.retryAfterMs) / 1000 : 1)))),
          retryAfterMs: o.retryAfterMs === undefined ? undefined : Math.max(0, Number(o.retryAfterMs)),
        });
        return { pending: this.#pending() };
      },
      serverErrors: (o = {}) => {
        const status = Number(o.status ?? 500);
        if (![500, 502, 503, 504].includes(status)) throw new ArmError(400, 'InvalidFault', `'status' must be 500, 502, 503 or 504, got ${String(o.status)}.`);
        this.#injections.push({
          kind: 'error', remaining: count(o.count), pattern: pattern(o.path), status,
          retryAfterSeconds: o.retryAfterSeconds === undefined ? undefined : Math.max(0, Number(o.retryAfterSeconds)), retryAfterMs: undefined,
        });
        return { pending: this.#pending() };
      },
      failExtensionOperation: (o) => {
        if (!isRecord(o) || !isRecord(o.errorInfo) || typeof o.errorInfo.code !== 'string' || typeof o.errorInfo.message !== 'string') {
          throw new ArmError(400, 'InvalidFault', "'errorInfo' with string 'code' and 'message' is required.");
        }
        if (o.operation !== undefined && !['install', 'upgrade', 'uninstall'].includes(o.operation)) {
          throw new ArmError(400, 'InvalidFault', "'operation' must be install, upgrade or uninstall.");
        }
        return { pending: extensions.scriptFailure(o) };
      },
      pageSize: (o) => {
        const size = Number(o.size);
        if (!Number.isInteger(size) || size < 1) throw new ArmError(400, 'InvalidFault', `'size' must be a positive integer, got ${String(o.size)}.`);
        this.pageSize = size;
        return { size };
      },
      reset: () => {
        this.latencyMs = 0;
        this.#injections.length = 0;
        extensions.clearScriptedFailures();
        return { reset: true };
      },
    };
  }

  /** The injected failure for this request, if one is due. */
  take(path: string, subscriptionId: string | undefined): InjectedFailure | undefined {
    const injection = this.#injections.find((i) => i.remaining > 0 && (!i.pattern || i.pattern.test(path)));
    if (!injection) return undefined;
    injection.remaining--;
    if (injection.remaining === 0) this.#injections.splice(this.#injections.indexOf(injection), 1);
    const headers: Record<string, string> = {};
    if (injection.retryAfterSeconds !== undefined) headers['Retry-After'] = String(injection.retryAfterSeconds);
    if (injection.retryAfterMs !== undefined) headers['retry-after-ms'] = String(injection.retryAfterMs);
    if (injection.kind === 'throttle') {
      const message = `Number of requests for subscription '${subscriptionId ?? 'unknown'}' exceeded the limit. Please try again after '${injection.retryAfterSeconds ?? 1}' seconds.`;
      return { fault: 'throttle', error: new ArmError(429, 'SubscriptionRequestsThrottled', message, { headers }) };
    }
    const [code, message] = injection.status === 503
      ? ['ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.']
      : injection.status === 500
        ? ['InternalServerError', 'Encountered internal server error. Please try again later.']
        : injection.status === 502 ? ['BadGateway', 'The gateway did not receive a response from the resource provider.'] : ['GatewayTimeout', 'The gateway did not receive a response from the resource provider within the specified time period.'];
    return { fault: 'server-error', error: new ArmError(injection.status, code, message, { headers }) };
  }

  #pending(): number {
    return this.#injections.reduce((n, i) => n + i.remaining, 0);
  }
}
