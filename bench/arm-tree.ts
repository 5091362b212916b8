// How long filling an Azure tree takes when ARM is slow: 50 subscriptions × 20 Arc clusters behind 100 ms of latency
// per call, listed with the real ConnectedKubernetesClient one subscription after another vs all at once. The ratio is
// what a tree that expands subscriptions in parallel saves; the page size (ARM-like by default) sets the calls per
// subscription, each of which pays the latency in sequence.
//   node bench/arm-tree.ts [subscriptions=50] [clustersPerSubscription=20] [latencyMs=100] [pageSize=100]
import { createHash } from 'node:crypto';
import { ConnectedKubernetesClient } from '@azure/arm-hybridkubernetes';
import { armClientOptions, startArmTestbed } from '../test/sandbox/arm/testing.ts';
import { World } from '../test/sandbox/world/world.ts';

const [subscriptions = 50, perSubscription = 20, latencyMs = 100, pageSize = 100] = process.argv.slice(2).map(Number);

function uuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const world = new World();
const subscriptionIds: string[] = [];
for (let s = 0; s < subscriptions; s++) {
  const subscriptionId = uuid(`subscription-${s}`);
  subscriptionIds.push(subscriptionId);
  world.addAzureSubscription({ subscriptionId, displayName: `Subscription ${s}`, tenantId: uuid('tenant'), state: 'Enabled' });
  for (let c = 0; c < perSubscription; c++) {
    world.addArcCluster({
      subscriptionId, resourceGroup: `rg-${c % 4}`, name: `cluster-${s}-${c}`, location: 'westeurope', connectivityStatus: 'Connected',
      kubernetesVersion: '1.30.4', distribution: 'k3s', infrastructure: 'generic', agentVersion: '1.21.10', totalNodeCount: 1,
      totalCoreCount: 4, lastConnectivityTime: new Date().toISOString(), provisioningState: 'Succeeded',
    });
  }
}

const tb = await startArmTestbed('blog-start', { kube: false, world, arm: { pageSize } });
try {
  const clients = subscriptionIds.map((id) => new ConnectedKubernetesClient(tb.credential, id, armClientOptions(tb.arm)));
  const listOne = async (client: ConnectedKubernetesClient): Promise<number> => {
    let n = 0;
    for await (const _cluster of client.connectedClusterOperations.listBySubscription()) n++;
    return n;
  };
  // Warm-up without latency: TLS sessions, and the per-cluster key material the emulator makes on first read.
  await Promise.all(clients.map(listOne));

  tb.arm.faults.latency({ ms: latencyMs });
  const since = tb.arm.lastSeq();
  let started = performance.now();
  let total = 0;
  for (const client of clients) total += await listOne(client);
  const sequentialMs = performance.now() - started;
  const calls = tb.arm.lastSeq() - since;

  started = performance.now();
  const counts = await Promise.all(clients.map(listOne));
  const parallelMs = performance.now() - started;

  if (total !== subscriptions * perSubscription || counts.reduce((a, b) => a + b, 0) !== total) throw new Error(`listed ${total} clusters, expected ${subscriptions * perSubscription}`);
  console.log(`${subscriptions} subscriptions × ${perSubscription} clusters, ${latencyMs} ms per call, page size ${pageSize}: ${calls} calls per full listing`);
  console.log(`one after another: ${sequentialMs.toFixed(0)} ms`);
  console.log(`in parallel:       ${parallelMs.toFixed(0)} ms`);
  console.log(`ratio:             ${(sequentialMs / parallelMs).toFixed(1)}×`);
} finally {
  await tb.close();
}
