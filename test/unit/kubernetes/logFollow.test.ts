// The log follower against a fake client: a stream that ends at once is retried with backoff (no storm, the event
// loop keeps running) and the view is told "reconnecting (n), next try in …"; lines are assembled in linear work; a
// line past the maximum is cut with a visible marker; the resume point stays bounded.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type { KubeContextClient } from '../../../src/kubernetes/client.ts';
import { PodLogFollower, type PodFollowSink } from '../../../src/kubernetes/logFollow.ts';
import type { KubePod } from '../../../src/kubernetes/types.ts';
import { ResumePoint, type KubeletTime } from '../../../src/kubernetes/kubeletLines.ts';

const pod: KubePod = {
  metadata: { name: 'gw-0', namespace: 'apim', uid: 'u1' },
  spec: { containers: [{ name: 'gw', image: 'mcr.microsoft.com/azure-api-management/gateway:2.9.0' }] },
  status: { phase: 'Running', containerStatuses: [{ name: 'gw', ready: true, restartCount: 0, state: { running: { startedAt: '2026-12-07T10:00:00Z' } } }] },
} as KubePod;

interface Recorded {
  lines: string[];
  states: string[];
  notices: string[];
}

function recorder(): { sink: PodFollowSink; got: Recorded } {
  const got: Recorded = { lines: [], states: [], notices: [] };
  return {
    got,
    sink: {
      lines: (lines) => void got.lines.push(...lines),
      streamEnded: () => undefined,
      state: (state, message) => void got.states.push(`${state}${message ? `: ${message}` : ''}`),
      notice: (text) => void got.notices.push(text),
    },
  };
}

/** A client whose log streams come from `stream()`; the pod always reads as running. */
function fakeClient(stream: (attempt: number) => Readable, onOpen?: (attempt: number) => void): { client: KubeContextClient; opens: () => number } {
  let opens = 0;
  const client = {
    context: 'c',
    server: 'https://k8s:6443',
    openStream: (path: string) => {
      assert.match(path, /\/log$/);
      opens++;
      onOpen?.(opens);
      return Promise.resolve(stream(opens));
    },
    getJson: () => Promise.resolve(structuredClone(pod)),
    send: () => Promise.reject(new Error('not used')),
  } as unknown as KubeContextClient;
  return { client, opens: () => opens };
}

describe('log follow', () => {
  it('a stream that ends at once gives at most 20 attempts in 3 s, a timer still fires, and the view says reconnecting', async () => {
    let follower: PodLogFollower | undefined; // eslint-disable-line prefer-const -- assigned after the fake client that refers to it
    // A storm (the old behaviour) is cut off at 500 attempts so that the test ends and reports it.
    const { client, opens } = fakeClient(() => Readable.from([]), (n) => n >= 500 && follower?.dispose());
    const { sink, got } = recorder();
    follower = new PodLogFollower(client, pod, 'gw', sink);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 100);
    const started = Date.now();
    void follower.start();
    await new Promise<void>((resolve) => setTimeout(resolve, 3000));
    const elapsed = Date.now() - started;
    follower.dispose();
    clearInterval(ticker);
    assert.ok(opens() <= 20, `${opens()} attempts in ${elapsed} ms`);
    assert.ok(ticks >= 10, `the event loop ran only ${ticks} ticks of 100 ms in ${elapsed} ms`);
    assert.ok(got.states.some((s) => /^resuming: reconnecting \(\d+\), next try in \d+(\.\d)? s$/.test(s)), got.states.slice(0, 5).join(' | '));
    assert.ok(got.notices.some((n) => /reconnecting \(\d+\), next try in/.test(n)), got.notices.slice(0, 3).join(' | '));
  });

  it('resets the backoff only after real progress: a stream that delivered lines is resumed promptly', async () => {
    let follower: PodLogFollower | undefined; // eslint-disable-line prefer-const -- assigned after the fake client that refers to it
    const stamps = (n: number): string => `2026-12-07T10:00:0${n}.000000000Z line ${n}\n`;
    // Every stream delivers one new line, then ends: that is progress, so each resume is immediate.
    const { client, opens } = fakeClient((n) => Readable.from(n <= 5 ? [stamps(n)] : []), (n) => n >= 500 && follower?.dispose());
    const { sink, got } = recorder();
    follower = new PodLogFollower(client, pod, 'gw', sink);
    void follower.start();
    const deadline = Date.now() + 3000;
    while (got.lines.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    follower.dispose();
    assert.deepEqual(got.lines, ['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    assert.ok(opens() >= 5);
  });

  it('assembles lines in linear work: a 900 KB line in 16 KB chunks scans each character a bounded number of times', async () => {
    const line = 'x'.repeat(900 * 1024);
    const text = `2026-12-07T10:00:01.000000000Z ${line}\n2026-12-07T10:00:02.000000000Z short\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 16 * 1024) chunks.push(text.slice(i, i + 16 * 1024));
    let follower: PodLogFollower | undefined; // eslint-disable-line prefer-const -- assigned after the fake client that refers to it
    const { client } = fakeClient((n) => (n === 1 ? Readable.from(chunks, { objectMode: true }) : Readable.from([])), (n) => n >= 3 && follower?.dispose());
    const { sink, got } = recorder();
    follower = new PodLogFollower(client, pod, 'gw', sink);
    // Count the characters that string searching and splitting walk over while the follower reads.
    let scanned = 0;
    const { split, indexOf } = String.prototype;
    String.prototype.split = function (this: string, ...args: Parameters<typeof split>) {
      scanned += this.length;
      return split.apply(this, args);
    } as typeof split;
    String.prototype.indexOf = function (this: string, search: string, from?: number) {
      scanned += Math.max(0, this.length - (from ?? 0));
      return indexOf.call(this, search, from);
    } as typeof indexOf;
    try {
      void follower.start();
      const deadline = Date.now() + 5000;
      while (got.lines.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    } finally {
      String.prototype.split = split;
      String.prototype.indexOf = indexOf;
      follower.dispose();
    }
    assert.equal(got.lines[0]?.length, line.length);
    assert.equal(got.lines[1], 'short');
    assert.ok(scanned <= 4 * text.length, `scanned ${scanned} characters for ${text.length} (${(scanned / text.length).toFixed(1)}×)`);
  });

  it('cuts a line longer than the maximum with a visible marker instead of dropping it, holding at most the maximum', async () => {
    const max = 64 * 1024;
    const long = 'y'.repeat(8 * max);
    const text = `2026-12-07T10:00:01.000000000Z ${long}\n2026-12-07T10:00:02.000000000Z after\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 4096) chunks.push(text.slice(i, i + 4096));
    let follower: PodLogFollower | undefined; // eslint-disable-line prefer-const -- assigned after the fake client that refers to it
    const { client } = fakeClient((n) => (n === 1 ? Readable.from(chunks, { objectMode: true }) : Readable.from([])), (n) => n >= 3 && follower?.dispose());
    const { sink, got } = recorder();
    follower = new PodLogFollower(client, pod, 'gw', sink, { maxLineLength: max });
    void follower.start();
    const deadline = Date.now() + 5000;
    while (got.lines.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    follower.dispose();
    assert.equal(got.lines.length, 2, 'the long line is not dropped');
    assert.ok((got.lines[0]?.length ?? 0) <= max + 200, `${got.lines[0]?.length}`);
    assert.match(got.lines[0] ?? '', /^y+… \[line cut: \d+ characters over the \d+-character maximum/);
    assert.equal(got.lines[1], 'after');
  });

  it('the resume point holds a bounded number of lines however many share one kubelet time', () => {
    const point = new ResumePoint();
    const time: KubeletTime = { raw: '2026-12-07T10:00:01.000000000Z', seconds: Date.UTC(2026, 11, 7, 10, 0, 1) / 1000, nanos: 0, ms: Date.UTC(2026, 11, 7, 10, 0, 1) };
    for (let i = 0; i < 100_000; i++) point.record(time, `line ${i} ${'z'.repeat(100)}`);
    assert.ok(point.heldLines <= 1000, `${point.heldLines}`);
    // Resuming still skips exactly the lines read at that time, in order, and accepts the next.
    const filter = point.resumeFilter();
    for (let i = 0; i < 100_000; i++) assert.equal(filter.accept(time, `line ${i} ${'z'.repeat(100)}`), false, `line ${i}`);
    assert.equal(filter.accept(time, 'new'), true);
  });
});
