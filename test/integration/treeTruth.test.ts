// @world blog-deployed
// @fresh — judges the blog's deployment as the world starts: tokenRotation.test.ts (same world) rotates, updates and records it.
// A truthful tree against the sandbox's blog-deployed world: the blog's Arc extension was installed elsewhere (2021
// `gateway.endpoint` setting, nothing recorded by this VS Code), yet the APIM gateway shows where it is deployed and
// the extension shows which APIM gateway it runs — read from the extension's settings and the token running in the
// cluster, not from records.
import * as assert from 'node:assert/strict';
import type { ExtensionApi } from '../../src/extension.ts';
import type { ArmNode } from '../../src/tree/azureBase.ts';
import type { TreeNode } from '../../src/tree/items.ts';
import { request, sandboxAzure, waitFor, type SandboxAzure } from './azureHelpers.ts';
import { activatedExtension } from './sandboxEnv.ts';

const SUBSCRIPTION = 'Visual Studio Enterprise';
const SERVICE = 'rb-azure-apim';
const GATEWAY = 'rb-arc-gateway';
const CLUSTER = 'rb-arc-aks';
const EXTENSION = 'rb-arc-aks-apimgw';

describe('truthful tree: the Arc extension ↔ APIM gateway join (blog-deployed)', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let sandbox: SandboxAzure;

  before(async () => {
    api = await activatedExtension();
    sandbox = sandboxAzure();
  });

  function label(node: TreeNode): string {
    const l = api.tree.getTreeItem(node).label;
    return typeof l === 'string' ? l : (l?.label ?? '');
  }

  async function child(parent: TreeNode | undefined, name: string): Promise<TreeNode> {
    const children = await api.tree.getChildren(parent);
    const found = children.find((c) => label(c) === name);
    assert.ok(found, `${name} not among: ${children.map(label).join(', ')}`);
    return found;
  }

  const subscription = async (): Promise<TreeNode> => child(await child(undefined, 'Azure'), SUBSCRIPTION);

  it('nothing about the blog\'s deployment is recorded in this VS Code', () => {
    assert.doesNotMatch(api.azure.stateSnapshot(), new RegExp(EXTENSION), 'the join below must come from the settings, not from a record');
  });

  it('the APIM gateway shows the deployment the blog made elsewhere, with its running token\'s expiry', async () => {
    const gateway = await child(await child(await child(await subscription(), 'API Management'), SERVICE), GATEWAY);
    const children = await api.tree.getChildren(gateway);
    const deployed = children.find((c) => label(c) === `Deployed to ${CLUSTER} · ${EXTENSION}`);
    assert.ok(deployed, `no deployment among: ${children.map(label).join(', ')}`);
    const item = api.tree.getTreeItem(deployed);
    assert.equal(item.contextValue, 'azureGatewayDeployment');
    assert.equal(item.description, 'Succeeded · token expires in 30 days', 'the gateway was confirmed by the token running in the cluster');
    // The gateway's own description now carries the soonest expiry too.
    assert.match(String(await waitFor('the expiry on the gateway node', () => /token expires in 30 days/.test(String(api.tree.getTreeItem(gateway).description)) && api.tree.getTreeItem(gateway).description)), /token expires in 30 days/);
  });

  it('the Arc extension shows the APIM gateway it runs', async () => {
    const extension = await child(await child(await child(await subscription(), 'Arc-enabled Kubernetes'), CLUSTER), EXTENSION);
    api.tree.getTreeItem(extension);
    const description = await waitFor('the APIM gateway on the extension node', () => {
      const d = String(api.tree.getTreeItem(extension).description);
      return d.includes('→') && d;
    });
    assert.match(description, new RegExp(`^Succeeded · chart v[\\d.]+ · ClusterIP · 2021 settings · → ${SERVICE} / ${GATEWAY}$`));
    const tooltip = api.tree.getTreeItem(extension).tooltip;
    // Markdown-escaped (every value comes from ARM or the cluster).
    const text = (typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '')).replace(/\\(.)/g, '$1');
    assert.ok(text.includes(`Runs API Management gateway ${SERVICE} / ${GATEWAY}`), text);
  });

  it('a gateway node shows its hostnames (the gateway\'s hostname configurations in ARM)', async () => {
    const gateway = await child(await child(await child(await subscription(), 'API Management'), SERVICE), GATEWAY);
    const armId = (gateway as ArmNode).armId;
    const put = await request(sandbox.armEndpoint, sandbox.armToken, sandbox.ca, 'PUT', `${armId}/hostnameConfigurations/blog-host?api-version=2024-05-01`, { properties: { hostname: 'gw.contoso.example' } });
    assert.equal(put.status < 300, true, put.text);
    api.tree.refresh(gateway);
    await api.tree.getChildren(gateway);
    const description = await waitFor('the hostname on the gateway node', () => {
      const d = String(api.tree.getTreeItem(gateway).description);
      return d.includes('gw.contoso.example') && d;
    });
    assert.match(description, /^[^·]+ · gw\.contoso\.example · token expires in 30 days$/);
  });

  it('the Kubernetes half notices a gateway deployed into a new namespace by itself, without Refresh', async () => {
    const context = await child(await child(undefined, 'Kubernetes'), CLUSTER);
    const before = (await api.tree.getChildren(context)).map(label);
    assert.ok(!before.includes('late-gw'), before.join(', '));
    let redrawn = false;
    const listening = api.tree.onDidChangeTreeData((node) => {
      if (node?.id === context.id) redrawn = true;
    });
    try {
      const kube = (method: string, path: string, body: unknown): Promise<{ status: number; text: string }> => request(sandbox.kubeApi, sandbox.kubeToken, sandbox.ca, method, path, body);
      const ns = await kube('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late-gw' } });
      assert.ok(ns.status < 300, ns.text);
      const labels = { app: 'late-gateway' };
      const made = await kube('POST', '/apis/apps/v1/namespaces/late-gw/deployments', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'late-gateway', namespace: 'late-gw' },
        spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'gateway', image: 'mcr.microsoft.com/azure-api-management/gateway:2.10.0' }] } } },
      });
      assert.ok(made.status < 300, made.text);
      const started = Date.now();
      await waitFor('the context node to redraw itself', () => redrawn, 10_000);
      const elapsed = Date.now() - started;
      assert.ok((await api.tree.getChildren(context)).map(label).includes('late-gw'));
      assert.ok(elapsed < 2000, `noticed after ${elapsed} ms`);
    } finally {
      listening.dispose();
    }
  });
});
