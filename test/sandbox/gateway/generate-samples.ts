// Writes logs the gateway simulator produced into test/fixtures/gateway-logs/generated/ for the parser's tests:
//   node test/sandbox/gateway/generate-samples.ts
// Each file is one container's stdout through the seed blog's story: start, the HTTP 404, HTTP allowed, 401 without
// a key, 200 with one, 401 with a wrong one, a POST, an unreachable backend, an unknown operation. Ids, keys and
// timings differ on every run; the shapes do not.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { World } from '../world/world.ts';
import { legacyConfigurationEndpoint } from '../world/ids.ts';
import { generateGatewayToken } from '../world/tokens.ts';
import { BLOG, createWorld } from '../worlds/index.ts';
import { createGatewayProgram } from './program.ts';
import { envFromManifests, runContainer, send, waitFor, type FakeRun } from './testing.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'gateway-logs', 'generated');
const APIM = BLOG.apim.name;

interface Sample {
  file: string;
  tag: string;
  start: string;
  env?: (world: World) => Record<string, string>;
  story: 'blog' | 'expired-token';
}

const SAMPLES: Sample[] = [
  { file: 'v2-text.log', tag: '2.3.0', start: '2023-08-25T10:55:58.120Z', story: 'blog' },
  { file: 'v2-text-quoted.log', tag: 'v2', start: '2025-01-24T09:45:12.004Z', story: 'blog' },
  { file: 'v1-text.log', tag: '1.3.0', start: '2021-06-03T15:25:12.570Z', story: 'blog', env: (world) => ({ 'config.service.endpoint': legacyConfigurationEndpoint(world.service(APIM)) }) },
  { file: 'json.log', tag: 'v2', start: '2024-09-12T06:29:02.311Z', story: 'blog', env: () => ({ 'telemetry.logs.std': 'json' }) },
  {
    file: 'v2-text-expired-token.log',
    tag: 'v2',
    start: '2024-05-22T07:58:40.512Z',
    story: 'expired-token',
    env: (world) => ({ 'config.service.auth': `GatewayKey ${generateGatewayToken(world.gateway(APIM, BLOG.gateway.name), 'primary', new Date(world.now().getTime() - 3_600_000))}` }),
  },
];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function blogStory(world: World, run: FakeRun): Promise<void> {
  const caller = { remoteAddress: '10.240.0.25' };
  await send(run, { ...caller, path: '/echo/resource?param1=sample' });
  await pause(30);
  await send(run, { remoteAddress: '10.240.0.64', path: '/echo/resource?param1=sample' });
  const rebuilt = run.lines.length;
  world.updateApi(APIM, 'echo-api', { protocols: ['http', 'https'] });
  await waitFor(() => run.since(rebuilt).some((l) => l.includes('OperationRouteTableRebuildCompleted') && l.includes('echo-api')), 'rebuild');
  const key = world.service(APIM).subscriptions.get('master')?.primaryKey ?? '';
  await send(run, { ...caller, path: '/echo/resource?param1=sample' });
  await send(run, { ...caller, path: '/echo/resource?param1=sample', headers: { 'ocp-apim-subscription-key': key } });
  await send(run, { ...caller, path: '/echo/resource?param1=sample', headers: { 'ocp-apim-subscription-key': '00000000000000000000000000000000' } });
  await send(run, { ...caller, method: 'POST', path: '/echo/resource', headers: { 'ocp-apim-subscription-key': key, 'content-type': 'application/json' }, body: Buffer.from('{"name":"sample"}') });
  await send(run, { ...caller, scheme: 'https', port: 8081, path: '/dummy/items/42' });
  await send(run, { ...caller, path: '/dummy/unknown' });
  const added = run.lines.length;
  world.putApi(APIM, {
    name: 'orders',
    displayName: 'Orders',
    path: 'orders',
    protocols: ['http', 'https'],
    serviceUrl: 'http://orders.shop.svc.cluster.local:8080/api',
    subscriptionRequired: false,
    operations: [{ name: 'get-order', displayName: 'Get order', method: 'GET', urlTemplate: '/orders/{id}' }],
  });
  world.assignApi(APIM, BLOG.gateway.name, 'orders');
  await waitFor(() => run.since(added).some((l) => l.includes('OperationRouteTableRebuildCompleted') && l.includes('orders')), 'rebuild');
  await send(run, { ...caller, path: '/orders/orders/17' });
}

async function expiredTokenStory(run: FakeRun): Promise<void> {
  await send(run, { remoteAddress: '10.240.0.25', path: '/echo/resource?param1=sample' });
  await send(run, { remoteAddress: '10.240.0.25', path: '/dummy/items' });
  const from = run.lines.length;
  await waitFor(() => run.since(from).some((l) => l.includes('LoadingConfigurationFailed')), 'a periodic failure', 5000);
}

async function generate(sample: Sample): Promise<void> {
  const { world, kubernetesObjects } = createWorld('blog-deployed');
  const base = new Date(sample.start).getTime();
  const t0 = Date.now();
  world.setClock(() => new Date(base + (Date.now() - t0)));
  const { image, env } = envFromManifests(kubernetesObjects);
  const run = runContainer(createGatewayProgram(world, { startupStepMs: 15, pollIntervalMs: 1000, resyncDelayMs: 20 }), {
    image: image.replace(/:v2$/, `:${sample.tag}`),
    env: { ...env, ...sample.env?.(world) },
    podIP: '10.240.0.102',
  });
  try {
    await waitFor(() => run.instance.ready?.() === true, 'ready', 5000);
    if (sample.story === 'blog') await blogStory(world, run);
    else await expiredTokenStory(run);
  } finally {
    run.kill();
  }
  await writeFile(join(OUT, sample.file), `${run.lines.join('\n')}\n`);
  console.log(`${sample.file}: ${run.lines.length} lines`);
}

await mkdir(OUT, { recursive: true });
for (const sample of SAMPLES) await generate(sample);
