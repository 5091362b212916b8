// Turns "something arrived" signals into document updates: one at a time, in order, and at least `intervalMs` after
// the previous one finished, so a gateway writing thousands of lines a second costs at most 1000 / intervalMs edits a
// second (each edit reaches the renderer, re-tokenises and re-folds). Pure: timers are injected.

export interface PumpTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const systemPumpTimers: PumpTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export class UpdatePump {
  private readonly run: () => Promise<void>;
  private readonly intervalMs: number;
  private readonly timers: PumpTimers;
  private timer: unknown;
  private running = false;
  private requested = false;
  private disposed = false;
  private lastFinishedAt = Number.NEGATIVE_INFINITY;
  private readonly onError: (error: unknown) => void;

  constructor(run: () => Promise<void>, intervalMs: number, onError: (error: unknown) => void, timers: PumpTimers = systemPumpTimers) {
    this.run = run;
    this.intervalMs = intervalMs;
    this.onError = onError;
    this.timers = timers;
  }

  /** Asks for an update: the next one that is allowed to start will include whatever is waiting by then. */
  request(): void {
    if (this.disposed) return;
    this.requested = true;
    if (!this.running) this.schedule();
  }

  /** True when no update is running or waiting. */
  get idle(): boolean {
    return !this.running && !this.requested;
  }

  dispose(): void {
    this.disposed = true;
    this.requested = false;
    this.cancel();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.disposed) return;
    // Measured from the end of the previous update, so a slow edit spaces the next one out instead of queueing it.
    const wait = Math.max(0, this.lastFinishedAt + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.fire();
    }, wait);
  }

  private async fire(): Promise<void> {
    if (this.disposed || !this.requested) return;
    this.requested = false;
    this.running = true;
    try {
      await this.run();
    } catch (error) {
      this.onError(error);
    } finally {
      this.running = false;
      this.lastFinishedAt = this.timers.now();
      if (this.requested) this.schedule();
    }
  }

  private cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
