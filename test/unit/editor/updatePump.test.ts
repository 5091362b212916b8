import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UpdatePump, type PumpTimers } from '../../../src/editor/updatePump.ts';

/** Virtual time: timers fire in order as the test advances the clock. */
class VirtualTimers implements PumpTimers {
  time = 0;
  private queue: { at: number; id: number; callback: () => void }[] = [];
  private nextId = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ at: this.time + ms, id, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((t) => t.id !== handle);
  }

  now(): number {
    return this.time;
  }

  /** Runs everything due up to `until`, letting promises settle between timers. */
  async advance(until: number): Promise<void> {
    for (;;) {
      await settle();
      this.queue.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.queue[0];
      if (!next || next.at > until) break;
      this.queue.shift();
      this.time = next.at;
      next.callback();
    }
    this.time = until;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('editor update pump: batching', () => {
  it('makes at most 10 updates a second however often entries arrive, never two at once, and serves the last request', async () => {
    const timers = new VirtualTimers();
    const starts: number[] = [];
    let running = 0;
    let served = 0;
    let requested = 0;
    const pump = new UpdatePump(
      async () => {
        assert.equal(running, 0, 'updates overlap');
        running++;
        starts.push(timers.now());
        served = requested;
        // An edit takes time in the window: 30 ms of virtual time.
        await new Promise<void>((resolve) => timers.setTimeout(resolve, 30));
        running--;
      },
      100,
      (error) => assert.fail(String(error)),
      timers,
    );
    // Entries every 5 ms for 3 seconds: 600 requests.
    for (let t = 0; t < 3000; t += 5) {
      await timers.advance(t);
      requested++;
      pump.request();
    }
    await timers.advance(4000);
    assert.equal(served, requested, 'the last batch was written');
    for (let i = 1; i < starts.length; i++) {
      // At least the interval after the previous update finished (it ran 30 ms).
      assert.ok((starts[i] as number) - (starts[i - 1] as number) >= 130, `updates ${i - 1} and ${i} ${starts[i - 1]}→${starts[i]}`);
    }
    for (const start of starts) {
      const inWindow = starts.filter((s) => s >= start && s < start + 1000).length;
      assert.ok(inWindow <= 10, `${inWindow} updates in the second from ${start}`);
    }
    assert.ok(starts.length >= 20, `${starts.length} updates in 3 s: batching must not starve the document`);
    assert.ok(pump.idle);
  });

  it('writes the first batch after a quiet period at once', async () => {
    const timers = new VirtualTimers();
    const starts: number[] = [];
    const pump = new UpdatePump(async () => void starts.push(timers.now()), 100, () => undefined, timers);
    await timers.advance(5000);
    pump.request();
    await timers.advance(5000);
    assert.deepEqual(starts, [5000]);
  });

  it('stops when disposed, and a failing update does not stop the next one', async () => {
    const timers = new VirtualTimers();
    let runs = 0;
    const errors: unknown[] = [];
    const pump = new UpdatePump(
      async () => {
        runs++;
        if (runs === 1) throw new Error('edit refused');
      },
      100,
      (error) => errors.push(error),
      timers,
    );
    pump.request();
    await timers.advance(10);
    pump.request();
    await timers.advance(200);
    assert.equal(runs, 2);
    assert.equal(errors.length, 1);
    pump.request();
    pump.dispose();
    await timers.advance(1000);
    assert.equal(runs, 2);
  });
});
