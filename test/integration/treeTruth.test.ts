// @world blog-deployed
// A truthful tree against the sandbox's blog-deployed world: the blog's Arc extension was installed elsewhere (2021
// `gateway.endpoint` setting, nothing recorded by this VS Code), yet the APIM gateway shows where it is deployed and
// the extension shows which APIM gateway it runs — read from the extension's settings and the token running in the
// cluster, not from records.
import * as assert from 'node:assert/strict';
import type { ExtensionApi } from '../../src/extension.ts';
import type { TreeNode } from '../../src/tree/items.ts';
import { waitFor } from './azureHelpers.ts';
import { activatedExtension } from './sandboxEnv.ts';

const SUBSCRIPTION = 'Visual Studio Enterprise';
const SERVICE = 'rb-azure-apim';
const GATEWAY = 'rb-arc-gateway';
const CLUSTER = 'rb-arc-aks';
const EXTENSION = 'rb-arc-aks-apimgw';

describe('truthful tree: the Arc extension ↔ APIM gateway join (blog-deployed)', function () {
  this.timeout(120_000);
  let api: ExtensionApi;

  before(async () => {
    api = await activatedExtension();
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
    assert.match(description, new RegExp(`^Succeeded · v[\\d.]+ · ClusterIP · 2021 settings · → ${SERVICE} / ${GATEWAY}$`));
    const tooltip = api.tree.getTreeItem(extension).tooltip;
    // Markdown-escaped (every value comes from ARM or the cluster).
    const text = (typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '')).replace(/\\(.)/g, '$1');
    assert.ok(text.includes(`Runs API Management gateway ${SERVICE} / ${GATEWAY}`), text);
  });
});
