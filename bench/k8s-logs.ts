// How many log lines per second one `follow=true&timestamps=true` client receives from the Kubernetes emulator
// while a container logs as fast as it can. The emulator must keep up with a chatty gateway (>= 50k lines/s) so
// tail-throughput benchmarks of the extension measure the extension, not the sandbox.
//   node bench/k8s-logs.ts [seconds]
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerProgram } from '../test/sandbox/k8s/containers.ts';
import { startKubeApiServer } from '../test/sandbox/k8s/server.ts';
import { waitFor } from '../test/sandbox/k8s/testing.ts';
import { createSandboxCa } from '../test/sandbox/tls.ts';

const seconds = Number(process.argv[2] ?? 3);
const line = '[Info] 2026-11-27T15:15:11.704 [GatewayLogs], isRequestSuccess: True, totalTime: 3, category: GatewayLogs, method: GET, responseCode: 200';

// Logs in batches between event-loop turns, like a busy process whose writes the runtime collects.
const flood: ContainerProgram = {
  matches: (image) => image === 'example.test/flood:1',
  start(ctx) {
    let n = 0;
    let stopped = false;
    const tick = () => {
      if (stopped) return;
      for (let i = 0; i < 2000; i++) ctx.log(`${line} seq=${n++}`);
      setImmediate(tick);
    };
    setImmediate(tick);
    return { stop: () => { stopped = true; } };
  },
};

const dir = await mkdtemp(join(tmpdir(), 'bench-k8s-logs-'));
const ca = await createSandboxCa(dir);
const server = await startKubeApiServer({ dir, ca, programs: [flood], timing: { scheduleMs: 1, sandboxMs: 1, startMs: 1 } });
try {
  server.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'flood', namespace: 'default' }, spec: { containers: [{ name: 'flood', image: 'example.test/flood:1' }] } });
  await waitFor('the flood pod to run', () => server.logRecord('default', 'flood').runs.length > 0, 10_000);

  let received = 0;
  let bytes = 0;
  let pending = '';
  let firstSeq = -1;
  let expectedSeq = -1;
  let gaps = 0;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const req = request(`${server.url}/api/v1/namespaces/default/pods/flood/log?follow=true&timestamps=true&tailLines=0`, {
      ca: ca.certPem, headers: { authorization: `Bearer ${server.token}` },
    }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += chunk.length;
        const parts = (pending + chunk).split('\n');
        pending = parts.pop() ?? '';
        for (const p of parts) {
          const seq = Number(p.slice(p.lastIndexOf('seq=') + 4));
          if (firstSeq < 0) { firstSeq = seq; expectedSeq = seq; }
          if (seq !== expectedSeq) gaps++;
          expectedSeq = seq + 1;
        }
        received += parts.length;
        if (performance.now() - started >= seconds * 1000) {
          req.destroy();
          resolve();
        }
      });
      res.on('error', () => resolve());
    });
    req.on('error', (e) => (e.message === 'socket hang up' ? resolve() : reject(e)));
    req.end();
  });
  const elapsed = (performance.now() - started) / 1000;
  const written = server.logRecord('default', 'flood').runs[0]!.lines.length;
  console.log(`k8s-logs: one follower received ${received} lines (${(bytes / 1e6).toFixed(1)} MB) in ${elapsed.toFixed(2)} s = ${Math.round(received / elapsed)} lines/s`);
  console.log(`k8s-logs: container wrote ${written} lines in that time; sequence gaps seen by the follower: ${gaps}`);
  console.log(`k8s-logs: target >= 50000 lines/s: ${received / elapsed >= 50_000 ? 'met' : 'NOT met'}`);
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
