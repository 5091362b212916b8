// The in-host half of bench/tree.ts: runs inside VS Code's extension host (bundled by bench/tree.ts, loaded as the
// "extension tests" module), and expands every subscription of the Azure tree through the extension's own tree and
// ARM service code — first all at once (as VS Code does when several nodes are expanded), then one after another.
// Reports through the console (the runner prints it) and the runner's result marker.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../src/extension.ts';
import type { TreeNode } from '../src/tree/items.ts';

const GOAL_MS = 1500;

function sandboxCall(method: string, path: string, body?: unknown): Promise<string> {
  const ca = readFileSync(process.env.ARC_APIM_SANDBOX_CA_FILE ?? '');
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, process.env.ARC_APIM_SANDBOX_ARM_ENDPOINT), { method, ca, headers: { Authorization: `Bearer ${process.env.ARC_APIM_SANDBOX_ARM_TOKEN ?? ''}`, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${path}: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const lastSeq = async (): Promise<number> => (JSON.parse(await sandboxCall('GET', '/sandbox/v1/arm-requests?since=9007199254740991')) as { last: number }).last;

export async function run(): Promise<void> {
  let ok = false;
  try {
    ok = await bench();
  } catch (error) {
    console.log(`tree bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  console.log(`__ARC_APIM_RESULT__ ${JSON.stringify({ passed: ok ? 1 : 0, failed: ok ? 0 : 1 })}`);
}

async function bench(): Promise<boolean> {
  const subscriptions = Number(process.env.ARC_APIM_BENCH_SUBSCRIPTIONS);
  const perSubscription = Number(process.env.ARC_APIM_BENCH_CLUSTERS);
  const latencyMs = Number(process.env.ARC_APIM_BENCH_LATENCY_MS);
  const api = await vscode.extensions.getExtension<ExtensionApi>('arc-apim-gateway.arc-apim-gateway')?.activate();
  if (!api) throw new Error('the extension did not activate');
  const { tree } = api;
  const root = (await tree.getChildren()).find((n) => n.id === 'azure');
  if (!root) throw new Error('no Azure root: is the sandbox\'s custom cloud configured?');

  const label = (node: TreeNode): string => String(tree.getTreeItem(node).label);
  /** Expands one subscription and its Arc group: what a user's click on each does. */
  const expand = async (sub: TreeNode): Promise<number> => {
    const [arc] = await tree.getChildren(sub);
    if (!arc) throw new Error(`${label(sub)} has no children`);
    const clusters = await tree.getChildren(arc);
    return clusters.filter((c) => tree.getTreeItem(c).contextValue === 'azureArcCluster').length;
  };

  // Warm-up without latency: sign-in (az), TLS sessions, SDK load, the emulator's per-cluster key material.
  const warm = await tree.getChildren(root);
  await Promise.all(warm.map(expand));
  await sandboxCall('POST', '/sandbox/v1/arm-faults/latency', { ms: latencyMs });

  const measure = async (parallel: boolean): Promise<{ ms: number; listMs: number; clusters: number; calls: number }> => {
    tree.refresh(root);
    const since = await lastSeq();
    const started = performance.now();
    const subs = await tree.getChildren(root);
    const listMs = performance.now() - started;
    if (subs.length !== subscriptions) throw new Error(`${subs.length} subscriptions shown, expected ${subscriptions}`);
    let counts: number[];
    if (parallel) counts = await Promise.all(subs.map(expand));
    else {
      counts = [];
      for (const sub of subs) counts.push(await expand(sub));
    }
    const ms = performance.now() - started;
    return { ms, listMs, clusters: counts.reduce((a, b) => a + b, 0), calls: (await lastSeq()) - since };
  };

  const together = await measure(true);
  const sequential = await measure(false);
  for (const r of [together, sequential]) {
    if (r.clusters !== subscriptions * perSubscription) throw new Error(`listed ${r.clusters} clusters, expected ${subscriptions * perSubscription}`);
  }
  console.log(`${subscriptions} subscriptions × ${perSubscription} Arc clusters, ${latencyMs} ms per ARM call, through the Gateways tree (GatewaysTreeProvider → Azure nodes → ARM service → SDK):`);
  console.log(`  every subscription expanded at once:     ${together.ms.toFixed(0)} ms (subscription list ${together.listMs.toFixed(0)} ms; ${together.calls} ARM calls incl. each subscription's API Management list)`);
  console.log(`  one subscription after another:          ${sequential.ms.toFixed(0)} ms (subscription list ${sequential.listMs.toFixed(0)} ms; ${sequential.calls} ARM calls)`);
  console.log(`  ratio:                                   ${(sequential.ms / together.ms).toFixed(1)}×   goal: at once < ${GOAL_MS} ms → ${together.ms < GOAL_MS ? 'met' : 'MISSED'}`);
  return together.ms < GOAL_MS;
}
