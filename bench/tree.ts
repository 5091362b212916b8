// Loading the Azure side of the Gateways tree when ARM is slow: 50 subscriptions × 20 Arc clusters, 100 ms per ARM
// call (the ARM emulator's latency knob), ARM-like pages of 100. Measured INSIDE real VS Code (code-server's extension
// host) through the extension's own tree and ARM service code (bench/treeHost.ts), signed in through the Azure CLI
// credential and the sandbox's az: every subscription expanded at once — goal < 1.5 s — beside the same expansions
// one subscription after another. Needs `npm run build` first.
//   node bench/tree.ts [subscriptions=50] [clustersPerSubscription=20] [latencyMs=100]
import { createHash } from 'node:crypto';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../scripts/lib/code-server.ts';
import { runIntegrationTests } from '../test/runners/code-server-integration.ts';
import { startSandbox } from '../test/sandbox/index.ts';
import { World } from '../test/sandbox/world/world.ts';

const [subscriptions = 50, perSubscription = 20, latencyMs = 100] = process.argv.slice(2).map(Number);

function uuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const world = new World();
const tenantId = uuid('bench-tenant');
for (let s = 0; s < subscriptions; s++) {
  const subscriptionId = uuid(`bench-subscription-${s}`);
  world.addAzureSubscription({ subscriptionId, displayName: `Bench subscription ${String(s).padStart(2, '0')}`, tenantId, state: 'Enabled' });
  for (let c = 0; c < perSubscription; c++) {
    world.addArcCluster({
      subscriptionId, resourceGroup: `rg-${c % 4}`, name: `cluster-${s}-${c}`, location: 'westeurope', connectivityStatus: 'Connected',
      kubernetesVersion: '1.30.4', distribution: 'k3s', infrastructure: 'generic', agentVersion: '1.21.10', totalNodeCount: 1,
      totalCoreCount: 4, lastConnectivityTime: world.now().toISOString(), provisioningState: 'Succeeded',
    });
  }
}

const hostBundle = path.join(repoRoot, 'out', 'bench', 'treeHost.js');
await esbuild.build({
  entryPoints: [path.join(repoRoot, 'bench', 'treeHost.ts')],
  outfile: hostBundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  logLevel: 'warning',
});

const sandbox = await startSandbox({ world: { world, kubernetesObjects: [] } });
try {
  // ARM pages lists by 100 or so; the emulator's default of 2 exists to make every client follow nextLink.
  sandbox.arm.faults.pageSize({ size: 100 });
  const outcome = await runIntegrationTests({
    sandbox,
    testsPath: hostBundle,
    env: { ARC_APIM_BENCH_SUBSCRIPTIONS: String(subscriptions), ARC_APIM_BENCH_CLUSTERS: String(perSubscription), ARC_APIM_BENCH_LATENCY_MS: String(latencyMs) },
  });
  process.exitCode = outcome.exitCode;
} finally {
  await sandbox.close();
}
