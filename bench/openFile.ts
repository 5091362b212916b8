// Open Log File… on a large saved log: the file read and decoded as the command does, a file LogSession
// (createFileLogSession), the real data provider, and the built Gateway Logs webview in Chromium. Goals (issue #18,
// 100 MB): first rows on screen < 1 s, all filters usable < 3 s (every entry of the file stored by the webview and a
// filter over all of them answered), memory of both sides reported. The baseline from the same run: a 10 MB file.
// Needs `npm run build` first.
//   node bench/openFile.ts [--mb 100] [--baseline-mb 10] [--max-entries 1000000]
//
// The file is what `kubectl logs --timestamps` saves of the sandbox generator's realistic mix (request records, some
// with a multi-line lastError, component events, the odd plain line). The clock starts when the command would read
// the file; the webview page is loaded before (in VS Code the panel's page loads while the file is read), and its
// load time is printed apart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isGatewayLogsToHost, toWire, type GatewayLogsToWebview } from '../src/contract/gatewayLogs.ts';
import { createFileLogSession, type FileLogSession } from '../src/logSessions/fileSession.ts';
import { GatewayLogsDataProvider } from '../src/panels/gatewayLogsProvider.ts';
import { generateGatewayLog } from '../test/sandbox/gateway/logGenerator.ts';
import { openWebviewPage } from './webviewHarness.ts';

const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a number > 0`);
  return value;
};
const megabytes = option('mb', 100);
const baselineMegabytes = option('baseline-mb', 10);
const maxEntries = option('max-entries', 1_000_000);

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A `kubectl logs --timestamps` file of at least `bytes`. */
function writeLog(file: string, bytes: number): { lines: number; bytes: number } {
  const parts: string[] = [];
  let size = 0;
  let lines = 0;
  let start = Date.UTC(2026, 10, 27, 15, 0, 0);
  for (let seed = 1; size < bytes; seed++) {
    const log = generateGatewayLog(20_000, seed, start);
    for (const line of log.lines) {
      // The kubelet's stamp (nanoseconds), then the line as the gateway wrote it.
      const text = `${new Date(start).toISOString().replace('Z', '')}123456Z ${line}\n`;
      start += 1;
      parts.push(text);
      size += Buffer.byteLength(text);
      lines++;
      if (size >= bytes) break;
    }
  }
  writeFileSync(file, parts.join(''));
  return { lines, bytes: size };
}

interface Result {
  /** CPU time of this process (the extension host's side) from the read to every entry stored: what the machine's load does not stretch. */
  hostCpuMs: number;
  /**
   * The webview renderer's main-thread busy time over the same span: Chromium's TaskDuration, the time its tasks ran
   * (wall time, so a loaded machine stretches it; on a quiet one it is the webview's share of the work).
   */
  webviewCpuMs: number;
  firstRowsMs: number;
  storedMs: number;
  filtersUsableMs: number;
  filterMs: number;
  entries: number;
  hostHeap: number;
  hostHeapPeak: number;
  webviewHeap: number;
}

/**
 * What the command does: read the whole file, decode it (UTF-8 here: decodeLog's common case), open the session. In a
 * function of its own so that, as in the command, nothing but the session keeps the file's bytes and text.
 */
async function openSession(file: string): Promise<FileLogSession> {
  const bytes = await readFile(file);
  const text = new TextDecoder('utf-8').decode(bytes);
  return createFileLogSession(path.basename(file), text, { maxEntries });
}

async function open(file: string): Promise<Result> {
  let provider: GatewayLogsDataProvider | undefined;
  let readySeen = false;
  let acked = 0;
  let firstAckAt = 0;
  let firstPostAt = 0;
  const harness = await openWebviewPage({
    onMessage: (message) => {
      if (message.type === 'ready') {
        readySeen = true;
        provider?.onReady();
      } else if (isGatewayLogsToHost(message)) {
        if (message.type === 'gatewayLogs/ack') {
          acked += message.rows;
          firstAckAt ||= performance.now();
        }
        provider?.handle(message);
      }
    },
  });
  const { page } = harness;
  try {
    const pageStart = performance.now();
    while (!readySeen) await sleep(5);
    console.log(`openFile:   webview page loaded and ready in ${(performance.now() - pageStart).toFixed(0)} ms after navigation (not counted)`);
    // The webview's main-thread CPU (what it spends parsing, unpacking, storing and indexing the rows), from Chromium's own count.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const webviewCpuAtStart = await taskSeconds(cdp);
    gc();
    let hostHeapPeak = 0;
    const sampler = setInterval(() => (hostHeapPeak = Math.max(hostHeapPeak, process.memoryUsage().heapUsed)), 50);

    const startedWall = Date.now();
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const session = await openSession(file);
    const sessionAt = performance.now();
    provider = new GatewayLogsDataProvider(session, (message: GatewayLogsToWebview) => {
      if (message.type === 'gatewayLogs/append') firstPostAt ||= performance.now();
      // As the panel posts it (appends packed into columns).
      harness.post(toWire(message));
    }, { maxEntries });
    // The webview said ready before the session existed; the panel answers it as soon as the provider is there.
    provider.onReady();

    while ((await page.evaluate<number>('window.__paints.length')) === 0) await sleep(10);
    const firstPaintWall = await page.evaluate<number>('window.__paints[0][1]');
    const firstRowsMs = firstPaintWall - startedWall;
    console.log(`openFile:   first rows: session opened ${(sessionAt - started).toFixed(0)} ms, first batch posted ${(firstPostAt - started).toFixed(0)} ms, stored (ack) ${(firstAckAt - started).toFixed(0)} ms, painted ${firstRowsMs.toFixed(0)} ms`);

    await session.loaded;
    const entries = session.snapshot().length + session.droppedCount;
    while (acked < Math.min(entries, maxEntries)) await sleep(10);
    const storedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuAtStart);
    const hostCpuMs = (cpu.user + cpu.system) / 1000;
    const webviewCpuMs = ((await taskSeconds(cdp)) - webviewCpuAtStart) * 1000;

    // A filter over every entry: failures only (the view times its own rebuild).
    const before = await page.evaluate<number>('window.__filters.length');
    await page.evaluate(`document.querySelector('#failures-only').click()`);
    while ((await page.evaluate<number>('window.__filters.length')) === before) await sleep(5);
    const [filterMs, matched] = await page.evaluate<[number, number]>('window.__filters[window.__filters.length - 1]');
    const filtersUsableMs = performance.now() - started;
    clearInterval(sampler);
    console.log(`openFile:   ${matched} failed requests among ${entries} entries`);

    await cdp.send('HeapProfiler.collectGarbage');
    const webview = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    gc();
    const hostHeap = process.memoryUsage().heapUsed;
    provider.dispose();
    session.dispose();
    const problems = harness.console.filter((l) => /error|Content Security Policy|Refused/i.test(l));
    if (problems.length > 0) console.log(`openFile: webview console problems:\n${problems.slice(0, 10).join('\n')}`);
    return { hostCpuMs, webviewCpuMs, firstRowsMs, storedMs, filtersUsableMs, filterMs, entries, hostHeap, hostHeapPeak, webviewHeap: webview.usedSize };
  } finally {
    await harness.close();
  }
}

/** Chromium's count of the page's main-thread busy time, in seconds. */
async function taskSeconds(cdp: { send(method: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }> }): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'open-file-bench-'));
try {
  for (const [label, size] of [
    ['baseline', baselineMegabytes],
    ['goal', megabytes],
  ] as const) {
    const file = path.join(dir, `gateway-${size}mb.log`);
    const written = writeLog(file, size * 1e6);
    console.log(`openFile: ${label}: ${mb(written.bytes)}, ${written.lines} lines (kubectl logs --timestamps), maxEntries ${maxEntries}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores`);
    const r = await open(file);
    const goal = label === 'goal';
    console.log(`openFile:   first rows on screen ${r.firstRowsMs.toFixed(0)} ms${goal ? ` (goal < 1000 ms): ${r.firstRowsMs < 1000 ? 'met' : 'NOT met'}` : ''}`);
    console.log(`openFile:   all ${r.entries} entries stored by the webview ${r.storedMs.toFixed(0)} ms; a filter over all of them answered at ${r.filtersUsableMs.toFixed(0)} ms (the filter itself ${r.filterMs.toFixed(0)} ms)${goal ? ` (goal < 3000 ms): ${r.filtersUsableMs < 3000 ? 'met' : 'NOT met'}` : ''}`);
    console.log(`openFile:   extension-host side heap ${mb(r.hostHeap)} after GC with the view open (peak while loading ${mb(r.hostHeapPeak)}); webview heap ${mb(r.webviewHeap)} after GC`);
    console.log(`openFile:   extension-host side CPU ${r.hostCpuMs.toFixed(0)} ms from the read to every entry stored (${((r.hostCpuMs / r.storedMs) * 100).toFixed(0)}% of one core over that time); webview main thread busy ${r.webviewCpuMs.toFixed(0)} ms`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
