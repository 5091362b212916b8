// The sandbox cluster for bench/tail.ts, on its own thread: the emulated kubelet and the gateway writing 20k lines a
// second must not share an event loop with the extension-host code being measured (in real life they do not even
// share a machine).
import { parentPort } from 'node:worker_threads';
import { startSandbox } from '../test/sandbox/index.ts';
import { BLOG } from '../test/sandbox/worlds/blog-start.ts';

export type ToSandbox = { type: 'rate'; linesPerSecond: number } | { type: 'scale'; replicas: number } | { type: 'count' } | { type: 'close' };
export type FromSandbox =
  | { type: 'ready'; kubeconfig: string }
  | { type: 'count'; lines: number }
  | { type: 'scaled'; running: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('bench/tailSandboxWorker.ts runs as a worker of bench/tail.ts');

const send = (message: FromSandbox): void => port.postMessage(message);

try {
  const sandbox = await startSandbox({ world: 'blog-deployed' });
  const namespace = BLOG.extension.namespace;
  const linesWritten = (): number => {
    let lines = 0;
    for (const pod of sandbox.kube.list('pods') as { metadata: { name: string; namespace: string } }[]) {
      if (pod.metadata.namespace !== namespace) continue;
      for (const run of sandbox.kube.logRecord(namespace, pod.metadata.name).runs) lines += run.forgotten + run.lines.filter((l) => !l.partial).length;
    }
    return lines;
  };
  port.on('message', (message: ToSandbox) => {
    try {
      if (message.type === 'rate') sandbox.world.setGatewayLogRate(BLOG.apim.name, BLOG.gateway.name, message.linesPerSecond);
      else if (message.type === 'count') send({ type: 'count', lines: linesWritten() });
      else if (message.type === 'scale') {
        // Through the API server, as `kubectl scale` would; the Deployment controller and kubelet start the pods.
        sandbox.kube.patch('deployments', namespace, BLOG.extension.name, 'merge', { spec: { replicas: message.replicas } });
        const running = (): number =>
          (sandbox.kube.list('pods', namespace) as { status?: { phase?: string; containerStatuses?: { ready?: boolean }[] } }[]).filter(
            (p) => p.status?.phase === 'Running' && p.status.containerStatuses?.every((c) => c.ready) === true,
          ).length;
        const deadline = Date.now() + 120_000;
        const poll = (): void => {
          const n = running();
          if (n >= message.replicas || Date.now() > deadline) send({ type: 'scaled', running: n });
          else setTimeout(poll, 200);
        };
        poll();
      }
      else void sandbox.close().then(() => send({ type: 'closed' }));
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  });
  send({ type: 'ready', kubeconfig: sandbox.info.kubeconfig });
} catch (error) {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
