import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppendMessage, GatewayLogsToWebview, ResetMessage } from '../../../src/contract/gatewayLogs.ts';
import { isGatewayLogsToWebview } from '../../../src/contract/gatewayLogs.ts';
import { createFileLogSession } from '../../../src/logSessions/fileSession.ts';
import { GatewayLogsDataProvider, findBySeq, type Timers } from '../../../src/panels/gatewayLogsProvider.ts';
import { FakeLiveSession, entries } from './session.ts';
import type { TaggedEntry } from '../../../src/logSessions/session.ts';
import { waitFor } from '../../support/waitFor.ts';

/** A clock the test moves by hand: timers fire only inside advance(). */
class ManualTimers implements Timers {
  private time = 0;
  private queue: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now = (): number => this.time;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.ids;
    this.queue.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.queue = this.queue.filter((t) => t.id !== handle);
  };
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }
}

function setUp(options: { maxEntries?: number; maxBatchRows?: number; firstBatchRows?: number; session?: FakeLiveSession } = {}) {
  const session = options.session ?? new FakeLiveSession();
  const timers = new ManualTimers();
  const posted: GatewayLogsToWebview[] = [];
  const copied: string[] = [];
  const provider = new GatewayLogsDataProvider(
    session,
    (m) => {
      // Everything posted must pass the webview's own guard.
      assert.ok(isGatewayLogsToWebview(m), `invalid message ${JSON.stringify(m).slice(0, 200)}`);
      posted.push(m);
    },
    {
      maxEntries: options.maxEntries ?? 1000,
      maxBatchRows: options.maxBatchRows ?? 100,
      ...(options.firstBatchRows !== undefined ? { firstBatchRows: options.firstBatchRows } : {}),
      timers,
      copy: (t) => copied.push(t),
    },
  );
  const appends = (): AppendMessage[] => posted.filter((m): m is AppendMessage => m.type === 'gatewayLogs/append');
  const ackAll = (): void => {
    for (const m of appends()) provider.handle({ type: 'gatewayLogs/ack', batch: m.batch, rows: m.rows.length });
  };
  return { session, timers, posted, copied, provider, appends, ackAll };
}

describe('gateway logs data provider', () => {
  it('posts nothing before ready, then a reset followed by the snapshot', () => {
    const t = setUp();
    t.session.push(entries(5));
    t.timers.advance(1000);
    assert.equal(t.posted.length, 0);
    t.provider.onReady();
    const reset = t.posted[0] as ResetMessage;
    assert.equal(reset.type, 'gatewayLogs/reset');
    assert.equal(reset.live, true);
    assert.equal(reset.settings.maxEntries, 1000);
    t.timers.advance(100);
    assert.deepEqual(t.appends().flatMap((m) => m.rows.map((r) => r.message)), ['m0', 'm1', 'm2', 'm3', 'm4']);
  });

  it('sends a small first batch at once after every ready, so the view has rows before the snapshot is through', () => {
    const t = setUp({ maxBatchRows: 100, firstBatchRows: 20 });
    t.session.push(entries(500));
    t.provider.onReady();
    t.timers.advance(0);
    assert.deepEqual(t.appends().map((m) => m.rows.length), [20, 100]);
    t.ackAll();
    t.timers.advance(0);
    assert.deepEqual(t.appends().map((m) => m.rows.length), [20, 100, 100, 100]);
    // A reload starts over with a small batch.
    t.provider.onLost();
    t.provider.onReady();
    t.timers.advance(0);
    assert.equal(t.appends().at(-2)?.rows.length, 20);
  });

  it('coalesces a trickle into at most one post per 50 ms', () => {
    const t = setUp();
    t.provider.onReady();
    for (let i = 0; i < 50; i++) {
      t.session.push(entries(3));
      t.timers.advance(10);
      t.ackAll();
    }
    t.timers.advance(200);
    const appends = t.appends();
    assert.equal(appends.reduce((n, m) => n + m.rows.length, 0), 150);
    // 500 ms of trickle: about 10 posts (plus the one that drains the tail), never one per push (50).
    assert.ok(appends.length >= 10 && appends.length <= 12, `${appends.length} posts`);
  });

  it('bounds each batch and waits for acknowledgements (two in flight) before sending more', () => {
    const t = setUp({ maxBatchRows: 100 });
    t.provider.onReady();
    t.session.push(entries(1000));
    t.timers.advance(0);
    assert.equal(t.appends().length, 2, 'two full batches go at once, then the provider waits');
    assert.ok(t.appends().every((m) => m.rows.length === 100));
    t.timers.advance(1000);
    assert.equal(t.appends().length, 2, 'no acknowledgement, no more batches');
    t.provider.handle({ type: 'gatewayLogs/ack', batch: 1, rows: 100 });
    t.timers.advance(0);
    assert.equal(t.appends().length, 3);
    for (let i = 0; i < 20; i++) {
      t.ackAll();
      t.timers.advance(0);
    }
    const seqs = t.appends().flatMap((m) => m.rows.map((r) => r.seq));
    assert.equal(seqs.length, 1000);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in order');
    assert.equal(new Set(seqs).size, 1000, 'none twice');
    assert.equal(t.provider.delivery().acknowledgedRows, 1000);
  });

  it('a webview that stops acknowledging is given up on after the timeout (a reload lost the batch)', () => {
    const t = setUp({ maxBatchRows: 10 });
    t.provider.onReady();
    t.session.push(entries(50));
    t.timers.advance(0);
    assert.equal(t.appends().length, 2);
    t.timers.advance(3000);
    assert.ok(t.appends().length > 2);
  });

  it('lets the oldest waiting entries go when the view falls more than maxEntries behind, and says how many', () => {
    const t = setUp({ maxEntries: 100, maxBatchRows: 10 });
    t.provider.onReady();
    t.session.push(entries(20));
    t.timers.advance(0); // two batches of 10 in flight, unacknowledged
    t.session.push(entries(250));
    t.ackAll();
    for (let i = 0; i < 30; i++) {
      t.timers.advance(100);
      t.ackAll();
    }
    const appends = t.appends();
    const delivered = appends.reduce((n, m) => n + m.rows.length, 0);
    const skipped = appends.reduce((n, m) => n + m.skipped, 0);
    assert.equal(skipped, 150);
    assert.equal(delivered + skipped, 270, 'every entry is either delivered or counted');
    assert.equal(t.provider.delivery().skippedRows, 150);
  });

  it('after a reload (lost content, ready again) sends the snapshot again, without what was cleared', () => {
    const t = setUp();
    t.provider.onReady();
    t.session.push(entries(3));
    t.timers.advance(100);
    t.ackAll();
    t.provider.handle({ type: 'gatewayLogs/clear' });
    const cleared = t.posted.at(-1);
    assert.equal(cleared?.type, 'gatewayLogs/cleared');
    t.session.push(entries(2, (i) => ({ message: `after${i}` })));
    t.provider.onLost();
    t.posted.length = 0;
    t.provider.onReady();
    t.timers.advance(100);
    assert.equal(t.posted[0]?.type, 'gatewayLogs/reset');
    assert.deepEqual(t.appends().flatMap((m) => m.rows.map((r) => r.message)), ['after0', 'after1']);
  });

  it('sends a late entry (a seq below the newest sent) once, but not a batch the snapshot holds, nor a late entry the user cleared', () => {
    const t = setUp();
    const at = (seq: number): TaggedEntry => ({ ...(entries(1)[0] as TaggedEntry), seq, message: `s${seq}` });
    t.session.push([at(1000), at(2000)]);
    t.provider.onReady();
    // The session placed a late entry between the two, then appended a newer one.
    t.session.push([at(1500)]);
    t.session.push([at(3000)]);
    t.timers.advance(100);
    const sent = (): string[] => t.appends().flatMap((m) => m.rows.map((r) => r.message));
    // In the order the session announced them: the view inserts by seq.
    assert.deepEqual(sent(), ['s1000', 's2000', 's1500', 's3000']);
    t.ackAll();
    // A batch the snapshot of a ready already holds (the session appended it, the view said ready, then it fired).
    const repeat = [at(4000)];
    t.session.push(repeat);
    t.provider.onLost();
    t.provider.onReady();
    t.session.appended.fire(repeat);
    t.timers.advance(100);
    t.ackAll();
    t.timers.advance(100);
    assert.deepEqual(sent().slice(-5), ['s1000', 's1500', 's2000', 's3000', 's4000']);
    assert.equal(new Set(sent().slice(-5)).size, 5);
    t.provider.handle({ type: 'gatewayLogs/clear' });
    const before = sent().length;
    t.session.push([at(3500), at(5000)]);
    t.timers.advance(200);
    assert.deepEqual(sent().slice(before), ['s5000'], 'the late entry belongs before the clear');
  });

  it('droppedBefore counts only entries the session let go that the user had not cleared', () => {
    const session = new FakeLiveSession('s', 10);
    const t = setUp({ session });
    session.push(entries(15)); // 5 dropped before the view existed
    t.provider.onReady();
    assert.equal((t.posted[0] as ResetMessage).droppedBefore, 5);
    t.timers.advance(100);
    t.ackAll();
    t.provider.handle({ type: 'gatewayLogs/clear' }); // clears 10 kept entries
    session.push(entries(14)); // pushes out the 10 cleared ones, then 4 new ones
    t.provider.onLost();
    t.posted.length = 0;
    t.provider.onReady();
    assert.equal((t.posted[0] as ResetMessage).droppedBefore, 4);
  });

  it('answers details requests from the session, and says when the entry is gone', () => {
    const t = setUp();
    const batch = entries(3);
    t.session.push(batch);
    t.provider.onReady();
    t.provider.handle({ type: 'gatewayLogs/requestDetails', seq: batch[1]?.seq ?? -1 });
    const details = t.posted.at(-1);
    assert.ok(details?.type === 'gatewayLogs/details' && details.details?.seq === batch[1]?.seq);
    t.provider.handle({ type: 'gatewayLogs/requestDetails', seq: 999_999 });
    const missing = t.posted.at(-1);
    assert.ok(missing?.type === 'gatewayLogs/details' && missing.details === undefined);
    t.provider.handle({ type: 'gatewayLogs/copy', text: 'abc' });
    assert.deepEqual(t.copied, ['abc']);
  });

  it('forwards pods and notices, flushes everything and says ended when the session ends', () => {
    const t = setUp({ maxBatchRows: 10 });
    t.provider.onReady();
    t.session.setPods([{ pod: 'p1', state: 'following' }]);
    t.session.notices.fire({ time: 1, text: 'Pod p2 appeared', pod: 'p2' });
    t.session.push(entries(35));
    t.session.dispose();
    const types = t.posted.map((m) => m.type);
    assert.ok(types.includes('gatewayLogs/pods') && types.includes('gatewayLogs/notice'));
    assert.equal(types.at(-1), 'gatewayLogs/ended');
    assert.equal(t.appends().reduce((n, m) => n + m.rows.length, 0), 35, 'acknowledgements are not awaited at the end');
  });

  it('streams a file session (sliced parse) completely, with no entry twice', async () => {
    const lines = Array.from({ length: 45_000 }, (_, i) => `[Info] 2026-11-27T15:00:00.000Z [E], message: line ${i}`);
    const session = createFileLogSession('big.log', lines.join('\n'), { maxEntries: 50_000 });
    const posted: GatewayLogsToWebview[] = [];
    const provider = new GatewayLogsDataProvider(session, (m) => posted.push(m), { maxEntries: 50_000 });
    provider.onReady();
    const ack = setInterval(() => {
      for (const m of posted) if (m.type === 'gatewayLogs/append') provider.handle({ type: 'gatewayLogs/ack', batch: m.batch, rows: m.rows.length });
    }, 5);
    await session.loaded;
    const rows = (): number => posted.reduce((c, m) => c + (m.type === 'gatewayLogs/append' ? m.rows.length : 0), 0);
    // Waits for all of them (the counts below say what arrived if that takes too long).
    await waitFor('45 000 rows', () => rows() >= 45_000, { timeoutMs: 10_000, everyMs: 10 }).catch(() => undefined);
    clearInterval(ack);
    const seqs = posted.flatMap((m) => (m.type === 'gatewayLogs/append' ? m.rows.map((r) => r.seq) : []));
    assert.equal(seqs.length, 45_000);
    assert.equal(new Set(seqs).size, 45_000);
    assert.ok(posted.every((m) => m.type !== 'gatewayLogs/append' || m.rows.length <= 5000));
    provider.dispose();
    session.dispose();
  });

  it('findBySeq finds by binary search', () => {
    const list = entries(100);
    const target = list[37];
    assert.equal(findBySeq(list, target?.seq ?? -1), target);
    assert.equal(findBySeq(list, -5), undefined);
    assert.equal(findBySeq([], 1), undefined);
  });

  it('disposing stops listening and leaves no timer behind', () => {
    const t = setUp();
    t.provider.onReady();
    t.session.push(entries(3));
    t.provider.dispose();
    const before = t.posted.length;
    t.session.push(entries(3));
    t.timers.advance(10_000);
    assert.equal(t.posted.length, before);
  });
});
