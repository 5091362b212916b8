// Inside the real extension host, against the sandbox cluster the runner started: the Gateways tree finds the
// seed blog's gateway Deployment, its pod (live) and its Service; a log follow session streams the pod's entries,
// shows a request within a second, and survives a cut stream and a container restart with no line lost or repeated.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension.ts';
import { createKubernetesClients } from '../../src/kubernetes/client.ts';
import { createDeploymentLogSession } from '../../src/logSessions/followSession.ts';
import type { LogSession, TaggedEntry } from '../../src/logSessions/session.ts';
import type { TreeNode } from '../../src/tree/items.ts';
import { activatedExtension, sandboxEnv, type SandboxEnv } from './sandboxEnv.ts';
import { waitFor as poll } from '../support/waitFor.ts';

const CONTEXT = 'rb-arc-aks';
const NS = 'apim';
const DEPLOYMENT = 'rb-arc-aks-apimgw';
const SERVICE = 'rb-arc-aks-apimgw-azure-api-management-gateway';

function call(env: SandboxEnv, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(env.api + path), { method, ca: env.ca, headers: { Authorization: `Bearer ${env.token}`, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function fault(env: SandboxEnv, name: string, body: unknown): Promise<void> {
  const res = await call(env, 'POST', `/sandbox/v1/faults/${name}`, body);
  assert.equal(res.status, 200, `fault ${name}: ${res.body}`);
}

function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  return poll(what, check, { timeoutMs, everyMs });
}

describe('kubernetes tree and log follow', () => {
  let api: ExtensionApi;
  let env: SandboxEnv;

  before(async () => {
    api = await activatedExtension();
    env = sandboxEnv();
  });

  async function child(parent: TreeNode | undefined, test: (item: vscode.TreeItem) => boolean, what: string): Promise<TreeNode> {
    const children = await api.tree.getChildren(parent);
    const found = children.find((c) => test(api.tree.getTreeItem(c)));
    assert.ok(found, `${what} not among: ${children.map((c) => `${String(api.tree.getTreeItem(c).label)} [${api.tree.getTreeItem(c).contextValue ?? ''}]`).join(', ')}`);
    return found;
  }

  async function deploymentNode(): Promise<TreeNode> {
    const root = await child(undefined, (i) => i.label === 'Kubernetes', 'the Kubernetes root');
    const context = await child(root, (i) => i.label === CONTEXT, `context ${CONTEXT}`);
    const namespace = await child(context, (i) => i.label === NS && i.contextValue === 'gatewayNamespace', `namespace ${NS}`);
    return child(namespace, (i) => i.label === DEPLOYMENT, `deployment ${DEPLOYMENT}`);
  }

  it('shows the gateway Deployment, its pod with live status and its Service with real ports', async () => {
    const deployment = await deploymentNode();
    const item = api.tree.getTreeItem(deployment);
    assert.equal(item.contextValue, 'gatewayDeployment');
    // The token's expiry and the last health check may follow (other tests of this world may have run one).
    assert.match(String(item.description), /^1\/1 ready · gateway v2(?: · |$)/);
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    // Open before the Deployment is expanded: the context's own watch on gateway Deployments, and whatever earlier
    // tests of this world left open on purpose. The Deployment's watches come on top, and must go with its node.
    const openBefore = api.kubernetes.openRequests;

    const children = await api.tree.getChildren(deployment);
    const items = children.map((c) => api.tree.getTreeItem(c));
    const pods = items.filter((i) => i.contextValue === 'gatewayPod');
    assert.equal(pods.length, 1, items.map((i) => i.label).join(', '));
    const pod = pods[0];
    assert.ok(pod && String(pod.label).startsWith(`${DEPLOYMENT}-`));
    assert.equal(pod.description, 'Running · 1/1 ready');
    const service = items.find((i) => i.contextValue === 'gatewayService');
    assert.ok(service);
    assert.equal(service.label, SERVICE);
    assert.equal(service.description, 'ClusterIP · 5000→8080/TCP');
    assert.match(String(service.tooltip), /http: 5000 → http \(8080\)\/TCP, http/);
    assert.ok(api.kubernetes.openRequests >= openBefore + 2, 'the expanded Deployment watches itself and its pods');

    // Live: a container restart shows on the pod without a refresh.
    const podName = String(pod.label);
    const redrawn = new Promise<void>((resolve) => {
      const sub = api.tree.onDidChangeTreeData((node) => {
        if (node === deployment) {
          sub.dispose();
          resolve();
        }
      });
    });
    await fault(env, 'restartContainer', { namespace: NS, pod: podName });
    await redrawn;
    const restarted = await waitFor('the restart on the pod node', async () => {
      const now = (await api.tree.getChildren(deployment)).map((c) => api.tree.getTreeItem(c)).find((i) => i.label === podName);
      return now?.description === 'Running · 1/1 ready · 1 restart' && now;
    }, 15_000, 100);
    assert.match(String(restarted.tooltip), /Restarts: 1 \(last: Error\)/);

    // Reloading the namespace replaces the Deployment node; the old one closes its watches.
    const namespaceChildren = await api.tree.getChildren(await (async () => {
      const root = await child(undefined, (i) => i.label === 'Kubernetes', 'root');
      const context = await child(root, (i) => i.label === CONTEXT, 'context');
      return child(context, (i) => i.label === NS, 'namespace');
    })());
    assert.ok(namespaceChildren.length > 0);
    await waitFor('the old node to close its watches', () => api.kubernetes.openRequests === openBefore, 3000);
  });

  it('follows the pod: a request shows within a second, and a cut stream plus a restart lose and repeat nothing', async () => {
    const clients = createKubernetesClients(() => [process.env.KUBECONFIG ?? '']);
    const session: LogSession = await createDeploymentLogSession({ context: CONTEXT, namespace: NS, deployment: DEPLOYMENT }, { clients }, { maxEntries: 100_000, tailLines: 1_000_000 });
    try {
      await waitFor('entries from the pod', () => session.snapshot().length > 20 && session.pods()[0]?.state === 'following', 10_000);
      const pod = session.pods()[0]?.pod ?? '';
      const restartsAtStart = session.pods()[0]?.restartCount ?? 0;
      await waitFor('the gateway ready (the previous test restarted it)', async () => {
        const res = await call(env, 'GET', `/api/v1/namespaces/${NS}/pods/${pod}`);
        const conditions = (JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
        return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      }, 20_000, 100);

      const sent = Date.now();
      const response = await call(env, 'GET', `/api/v1/namespaces/${NS}/services/${SERVICE}:5000/proxy/echo/resource?param1=sample`);
      assert.equal(response.status, 404, 'the blog\'s 404 (OperationNotFound)');
      const record = await waitFor('the request record', () => session.snapshot().find((e) => e.kind === 'request' && (e.kubeletTime?.value ?? 0) >= sent - 50), 1000, 5);
      assert.ok(Date.now() - sent <= 1000, `the record took ${Date.now() - sent} ms`);
      assert.equal(record.request?.responseCode, 404);
      assert.equal(record.pod, pod);

      await fault(env, 'latency', { ms: 300 });
      await fault(env, 'cutLogStreams', { namespace: NS, pod, mode: 'reset' });
      await new Promise((r) => setTimeout(r, 50));
      // Logged after the cut and before the restart: the follower can only get these from the previous run's log.
      await call(env, 'GET', `/api/v1/namespaces/${NS}/services/${SERVICE}:5000/proxy/echo/resource?param1=after-cut`);
      await fault(env, 'restartContainer', { namespace: NS, pod });
      await fault(env, 'latency', { ms: 0 });
      await waitFor('the restarted container followed', () => {
        const status = session.pods().find((p) => p.pod === pod);
        return status?.state === 'following' && status.restartCount === restartsAtStart + 1;
      }, 20_000, 50);
      await waitFor('the new run\'s startup', () => session.snapshot().some((e) => e.event === 'TenantStarted' && (e.kubeletTime?.value ?? 0) > sent), 20_000, 50);
      await new Promise((r) => setTimeout(r, 500));

      const res = await call(env, 'GET', `/sandbox/v1/pods/${NS}/${pod}/log-record`);
      assert.equal(res.status, 200, res.body);
      // The session started on the current run; runs before it are history it was not asked for.
      const runs = (JSON.parse(res.body) as { runs: { restartCount: number; lines: { text: string }[] }[] }).runs;
      const written = runs.filter((r) => r.restartCount >= restartsAtStart).flatMap((r) => r.lines.map((l) => l.text));
      const delivered = session.snapshot().filter((e: TaggedEntry) => e.pod === pod).flatMap((e) => e.raw);
      const firstDiff = delivered.findIndex((line, i) => line !== written[i]);
      assert.equal(firstDiff, -1, `line ${firstDiff + 1} differs: delivered ${delivered[firstDiff]} / written ${written[firstDiff]}`);
      assert.equal(delivered.length, written.length, 'no line lost or repeated');
      assert.ok(delivered.some((l) => l.includes('param1=after-cut')), 'the request logged between the cut and the restart is there');
    } finally {
      session.dispose();
    }
    await waitFor('every request closed', () => clients.openRequests === 0, 3000);
  });

  it('shows a rejected token and an unreachable cluster as error items under their contexts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'arc-apim-kubeconfig-'));
    const file = path.join(dir, 'config');
    const caFile = process.env.ARC_APIM_SANDBOX_CA_FILE ?? '';
    writeFileSync(file, [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- {name: sandbox, cluster: {server: '${env.api}', certificate-authority: '${caFile}'}}`,
      "- {name: closed, cluster: {server: 'https://127.0.0.1:1'}}",
      'users:',
      '- {name: wrong, user: {token: not-the-token}}',
      'contexts:',
      '- {name: bad-token, context: {cluster: sandbox, user: wrong}}',
      '- {name: unreachable, context: {cluster: closed, user: wrong}}',
      'current-context: bad-token',
      '',
    ].join('\n'));
    const settings = vscode.workspace.getConfiguration('arcApimGateway');
    await settings.update('kubeconfig', file, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting to apply', () => vscode.workspace.getConfiguration('arcApimGateway').get('kubeconfig') === file);
      const root = await child(undefined, (i) => i.label === 'Kubernetes', 'the Kubernetes root');
      const badToken = await child(root, (i) => i.label === 'bad-token', 'context bad-token');
      const [denied] = (await api.tree.getChildren(badToken)).map((c) => api.tree.getTreeItem(c));
      assert.equal(denied?.contextValue, 'message;error');
      assert.match(String(denied?.label), /^bad-token — the cluster rejected the credentials \(401 Unauthorized\)/);
      assert.doesNotMatch(String(denied?.label) + String(denied?.tooltip), /not-the-token/);
      const unreachable = await child(root, (i) => i.label === 'unreachable', 'context unreachable');
      const [refused] = (await api.tree.getChildren(unreachable)).map((c) => api.tree.getTreeItem(c));
      assert.equal(refused?.contextValue, 'message;error');
      assert.match(String(refused?.label), /^unreachable — Cannot reach the cluster at https:\/\/127\.0\.0\.1:1: ECONNREFUSED/);
    } finally {
      await settings.update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
