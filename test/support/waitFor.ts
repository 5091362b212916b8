// The one polling helper of every test level (unit, sandbox, integration in VS Code, e2e in the browser): wait until
// `check` returns a value (anything but undefined or false), and fail naming what was awaited when it does not in
// time. Waits are conditions, never fixed sleeps: a loaded machine makes them slower, not flaky.

export interface WaitOptions {
  /** Default 10 s. */
  readonly timeoutMs?: number;
  /** Between checks; default 25 ms. */
  readonly everyMs?: number;
  /** A check that throws is "not yet" (the last error is reported on time-out); by default it fails the wait at once. */
  readonly retryErrors?: boolean;
}

export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (!options.retryErrors) throw error;
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 25));
  }
}
