// @world blog-deployed
// @fresh — judges the blog's deployment as the world starts: tokenRotation.test.ts (same world) rotates, updates and records it.
// A truthful tree against the sandbox's blog-deployed world: the blog's Arc extension was installed elsewhere (2021
// `gateway.endpoint` setting, nothing recorded by this VS Code), yet the APIM gateway shows where it is deployed and
// the extension shows which APIM gateway it runs — read from the extension's settings and the token running in the
// cluster, not from records. Then every provisioning action, run as the user runs it, and every node it touched in
// both halves shown anew within 2 s of the command's end without Refresh (a tree event that covers the node, and
// the node as the view would read it next); the title-bar Refresh reloads what nothing announced.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { ExtensionApi } from '../../src/extension.ts';
import type { TestRequestHandle } from '../../src/panels/testRequestPanel.ts';
import type { ArmNode } from '../../src/tree/azureBase.ts';
import type { TreeNode } from '../../src/tree/items.ts';
import { extensionOnSandbox, inOrder, request, ScriptedPrompter, treeReader, waitFor, walk, type Answer, type SandboxAzure } from './azureHelpers.ts';

const SUBSCRIPTION = 'Visual Studio Enterprise';
const SERVICE = 'rb-azure-apim';
const GATEWAY = 'rb-arc-gateway';
const CLUSTER = 'rb-arc-aks';
const EXTENSION = 'rb-arc-aks-apimgw';

describe('truthful tree: the Arc extension ↔ APIM gateway join (blog-deployed)', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let sandbox: SandboxAzure;

  before(async () => ({ api, sandbox } = await extensionOnSandbox()));
  const { label, child } = treeReader(() => api);

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

describe('truthful tree: every node an action touched, in both halves, within 2 s and without Refresh', function () {
  this.timeout(180_000);
  const NEW_GATEWAY = 'tt-gw';
  const NEW_EXTENSION = 'tt-gw-ext';
  const NEW_NAMESPACE = 'tt-ns';
  /** From the command's completion until the view shows it. */
  const WITHIN_MS = 2000;
  let api: ExtensionApi;
  let sandbox: SandboxAzure;
  const events: Array<{ at: number; id: string | undefined }> = [];
  let listening: vscode.Disposable | undefined;

  before(async () => {
    ({ api, sandbox } = await extensionOnSandbox());
    listening = api.tree.onDidChangeTreeData((node) => void events.push({ at: Date.now(), id: node?.id }));
  });
  after(() => listening?.dispose());

  const { label } = treeReader(() => api);
  const description = (node: TreeNode): string => String(api.tree.getTreeItem(node).description ?? '');

  async function child(parent: TreeNode | undefined, name: string): Promise<TreeNode> {
    const children = await api.tree.getChildren(parent);
    const found = children.find((c) => label(c) === name);
    assert.ok(found, `${name} not among: ${children.map(label).join(', ')}`);
    return found;
  }
  const labels = async (node: TreeNode): Promise<string[]> => (await api.tree.getChildren(node)).map(label);

  // Walked from the root every time, as the view asks after an event.
  const subscription = async (): Promise<TreeNode> => child(await child(undefined, 'Azure'), 'Visual Studio Enterprise');
  const service = async (): Promise<TreeNode> => child(await child(await subscription(), 'API Management'), SERVICE);
  const gateway = async (name: string): Promise<TreeNode> => child(await service(), name);
  const cluster = async (): Promise<TreeNode> => child(await child(await subscription(), 'Arc-enabled Kubernetes'), CLUSTER);
  const extension = async (): Promise<TreeNode> => child(await cluster(), NEW_EXTENSION);
  const kubeContext = async (): Promise<TreeNode> => child(await child(undefined, 'Kubernetes'), CLUSTER);
  const kubeDeployment = async (): Promise<TreeNode> => child(await child(await kubeContext(), NEW_NAMESPACE), NEW_EXTENSION);
  const echoApi = async (gatewayName: string): Promise<TreeNode | undefined> =>
    (await api.tree.getChildren(await gateway(gatewayName))).find((c) => api.tree.getTreeItem(c).contextValue === 'azureGatewayApi' && label(c) === 'Echo API');

  /** A tree event since `since` for this node or one above it (undefined: the whole tree). */
  function announced(node: TreeNode, since: number): boolean {
    const above = new Set<string>();
    for (let n: TreeNode | undefined = node; n; n = n.parent) above.add(n.id);
    return events.some((e) => e.at >= since && (e.id === undefined || above.has(e.id) || node.id.startsWith(`${e.id}/`)));
  }

  /** Each check names a node and what it must show; all must hold within 2 s of `done` (the command's completion). */
  async function shownWithin(done: number, since: number, checks: Record<string, () => Promise<{ node: TreeNode; shows: boolean; saw: string }>>): Promise<void> {
    const last: Record<string, string> = {};
    try {
      await waitFor(`${Object.keys(checks).join('; ')}`, async () => {
        for (const [what, check] of Object.entries(checks)) {
          const { node, shows, saw } = await check();
          last[what] = `${announced(node, since) ? 'announced' : 'NOT announced'}; shows ${saw}`;
          if (!shows || !announced(node, since)) return false;
        }
        return true;
      }, Math.max(0, done + WITHIN_MS - Date.now()), 50);
    } catch (error) {
      assert.fail(`${(error as Error).message}\n${Object.entries(last).map(([k, v]) => `${k}: ${v}`).join('\n')}`);
    }
  }

  async function run<T>(answers: Record<string, Answer>, command: string, ...args: unknown[]): Promise<{ result: T; prompter: ScriptedPrompter; since: number; done: number }> {
    const prompter = new ScriptedPrompter(answers);
    const scope = api.azure.usePrompter(prompter);
    const since = Date.now();
    try {
      const result = await vscode.commands.executeCommand<T>(command, ...args);
      return { result, prompter, since, done: Date.now() };
    } finally {
      scope.dispose();
    }
  }

  function readOutputLog(): string {
    let dir = api.azure.paths.logs;
    while (path.basename(dir) !== 'logs' && path.dirname(dir) !== dir) dir = path.dirname(dir);
    return walk(dir).filter((f) => f.endsWith('.log')).map((f) => readFileSync(f, 'utf8')).join('\n');
  }

  it('Create Self-Hosted Gateway: the service lists the new gateway', async () => {
    assert.ok(!(await labels(await service())).includes(NEW_GATEWAY));
    const { result, done, since } = await run<{ name: string } | undefined>({ gatewayName: NEW_GATEWAY, locationName: 'tt', city: '', countryOrRegion: '', description: '' }, Commands.createGateway, await service());
    assert.equal(result?.name, NEW_GATEWAY);
    await shownWithin(done, since, {
      'the service node': async () => {
        const node = await service();
        const list = await labels(node);
        return { node, shows: list.includes(NEW_GATEWAY), saw: list.join(', ') };
      },
    });
  });

  it('Assign APIs: the gateway lists the API', async () => {
    assert.deepEqual(await labels(await gateway(NEW_GATEWAY)), ['No API assigned', 'Assign APIs…']);
    const { done, since } = await run({ apis: ['echo-api'] }, Commands.assignApis, await gateway(NEW_GATEWAY));
    await shownWithin(done, since, {
      'the gateway node': async () => {
        const node = await gateway(NEW_GATEWAY);
        const list = await labels(node);
        return { node, shows: list.includes('Echo API'), saw: list.join(', ') };
      },
    });
    assert.match(readOutputLog(), new RegExp(`\\$ az rest --method put --url '[^']*/gateways/${NEW_GATEWAY}/apis/echo-api\\?api-version=[\\d-]+' {2}→ assigned`));
  });

  it('Allow HTTP (the Test Request fix): the API shows http and https under every gateway serving it', async () => {
    for (const name of [GATEWAY, NEW_GATEWAY]) assert.match(description((await echoApi(name))!), /· https$/, `${name}: the blog's Echo API is HTTPS-only`);
    const prompter = new ScriptedPrompter({ armGatewayBinding: 'Pick its API Management service and gateway', apimService: SERVICE, gateway: GATEWAY, allowHttp: true });
    const scope = api.azure.usePrompter(prompter);
    let handle: TestRequestHandle | undefined;
    let since: number;
    let done: number;
    try {
      handle = await vscode.commands.executeCommand<TestRequestHandle>(Commands.sendTestRequest, { context: CLUSTER, namespace: 'apim', name: EXTENSION });
      assert.ok(handle);
      await handle.send({ api: 'echo-api', operation: 'retrieve-resource', query: [['param1', 'tt']], port: 5000, transport: 'service-proxy', subscription: '' });
      const finding = handle.result?.findings[0];
      assert.equal(finding?.code, 'scheme-not-allowed', `the HTTP call is refused: ${handle.result?.description ?? ''}`);
      since = Date.now();
      await handle.fix(0, finding.fixes.findIndex((f) => f.id === 'allow-http'));
      done = Date.now();
    } finally {
      handle?.dispose();
      scope.dispose();
    }
    const shows = (name: string) => async (): Promise<{ node: TreeNode; shows: boolean; saw: string }> => {
      const node = await echoApi(name);
      assert.ok(node, `Echo API under ${name}`);
      return { node, shows: /· (http, https|https, http)$/.test(description(node)), saw: description(node) };
    };
    await shownWithin(done, since, { [`Echo API under ${GATEWAY}`]: shows(GATEWAY), [`Echo API under ${NEW_GATEWAY}`]: shows(NEW_GATEWAY) });
    assert.match(readOutputLog(), /\$ az apim api update --resource-group \S+ --service-name rb-azure-apim --api-id echo-api --protocols http https {2}→ done/);
  });

  it('Remove APIs asks first, then the gateway no longer lists the API', async () => {
    await labels(await gateway(NEW_GATEWAY));
    const { prompter, done, since } = await run({ apis: ['echo-api'], confirmRemoveApis: true }, Commands.removeApis, await gateway(NEW_GATEWAY));
    assert.deepEqual(prompter.asked, ['apis', 'confirmRemoveApis'], 'confirmed like Assign');
    await shownWithin(done, since, {
      'the gateway node': async () => {
        const node = await gateway(NEW_GATEWAY);
        const list = await labels(node);
        return { node, shows: !list.includes('Echo API'), saw: list.join(', ') };
      },
    });
    assert.match(readOutputLog(), new RegExp(`\\$ az rest --method delete --url '[^']*/gateways/${NEW_GATEWAY}/apis/echo-api\\?api-version=[\\d-]+' {2}→ removed`));
  });

  it('Deploy to Arc: the cluster lists the extension, the gateway where it runs, the Kubernetes half its namespace', async () => {
    // On screen before: the cluster's extensions, the gateway's children, the context's namespaces.
    await labels(await cluster());
    await labels(await gateway(NEW_GATEWAY));
    assert.ok(!(await labels(await kubeContext())).includes(NEW_NAMESPACE));
    const { result, done, since } = await run<{ provisioningState?: string } | undefined>(
      { cluster: CLUSTER, extensionName: NEW_EXTENSION, namespace: NEW_NAMESPACE, deploySummary: inOrder('Deploy') },
      Commands.deployGatewayToArc, await gateway(NEW_GATEWAY));
    assert.equal(result?.provisioningState, 'Succeeded');
    await shownWithin(done, since, {
      'the cluster node': async () => {
        const node = await cluster();
        const list = await labels(node);
        return { node, shows: list.includes(NEW_EXTENSION), saw: list.join(', ') };
      },
      'the gateway node': async () => {
        const node = await gateway(NEW_GATEWAY);
        const list = await labels(node);
        return { node, shows: list.includes(`Deployed to ${CLUSTER} · ${NEW_EXTENSION}`), saw: list.join(', ') };
      },
      'the kubeconfig context': async () => {
        const node = await kubeContext();
        const list = await labels(node);
        return { node, shows: list.includes(NEW_NAMESPACE), saw: list.join(', ') };
      },
    });
  });

  it('Update Gateway Extension: the extension and the Kubernetes half show the new Service type', async () => {
    assert.match(description(await extension()), /· ClusterIP ·/);
    await api.tree.getChildren(await kubeDeployment());
    const { done, since } = await run({ fields: ['Service type'], serviceType: 'NodePort', applyUpdate: true }, Commands.updateGatewayExtension, await extension());
    await shownWithin(done, since, {
      'the extension node': async () => {
        const node = await extension();
        return { node, shows: /· NodePort ·/.test(description(node)), saw: description(node) };
      },
      'the Kubernetes Deployment\'s Service': async () => {
        const node = await kubeDeployment();
        const services = (await api.tree.getChildren(node)).filter((c) => api.tree.getTreeItem(c).contextValue === 'gatewayService').map(description);
        return { node, shows: services.some((d) => d.startsWith('NodePort')), saw: services.join(', ') };
      },
    });
  });

  it('Rotate Gateway Token: the gateway and the Kubernetes Deployment show the new expiry', async () => {
    await labels(await gateway(NEW_GATEWAY));
    await waitFor('the first token\'s expiry on the Deployment', async () => /token expires in 30 days/.test(description(await kubeDeployment())));
    const { result, done, since } = await run<{ problems: string[] } | undefined>({ keyType: 'secondary', tokenDays: '3' }, Commands.rotateGatewayToken, await extension());
    assert.deepEqual(result?.problems, []);
    const threeDays = /token expires in (2|3) days/;
    await shownWithin(done, since, {
      'the gateway node': async () => {
        const node = await gateway(NEW_GATEWAY);
        await api.tree.getChildren(node);
        return { node, shows: threeDays.test(description(node)), saw: description(node) };
      },
      'the Kubernetes Deployment': async () => {
        const node = await kubeDeployment();
        return { node, shows: threeDays.test(description(node)), saw: description(node) };
      },
    });
  });

  it('Uninstall Gateway Extension: gone from the cluster, the gateway and the Kubernetes half', async () => {
    await labels(await cluster());
    await labels(await gateway(NEW_GATEWAY));
    await labels(await kubeContext());
    const { result, done, since } = await run<boolean>({ confirmUninstall: true }, Commands.uninstallGatewayExtension, await extension());
    assert.equal(result, true);
    await shownWithin(done, since, {
      'the cluster node': async () => {
        const node = await cluster();
        const list = await labels(node);
        return { node, shows: !list.includes(NEW_EXTENSION), saw: list.join(', ') };
      },
      'the gateway node': async () => {
        const node = await gateway(NEW_GATEWAY);
        const list = await labels(node);
        return { node, shows: !list.some((l) => l.startsWith('Deployed to')), saw: list.join(', ') };
      },
      'the kubeconfig context': async () => {
        const node = await kubeContext();
        const list = await labels(node);
        return { node, shows: !list.includes(NEW_NAMESPACE), saw: list.join(', ') };
      },
    });
    assert.match(readOutputLog(), new RegExp(`\\$ az k8s-extension delete --cluster-type connectedClusters --cluster-name ${CLUSTER} --resource-group \\S+ --name ${NEW_EXTENSION} --yes {2}→ uninstalled`));
  });

  it('Delete Gateway: the service no longer lists it', async () => {
    await labels(await service());
    const { result, done, since } = await run<boolean>({ confirmDelete: true }, Commands.deleteGateway, await gateway(NEW_GATEWAY));
    assert.equal(result, true);
    await shownWithin(done, since, {
      'the service node': async () => {
        const node = await service();
        const list = await labels(node);
        return { node, shows: !list.includes(NEW_GATEWAY), saw: list.join(', ') };
      },
    });
    assert.match(readOutputLog(), new RegExp(`\\$ az rest --method delete --url '[^']*/gateways/${NEW_GATEWAY}\\?api-version=[\\d-]+' --headers If-Match='\\*' {2}→ deleted`));
  });

  it('the title-bar Refresh reloads both halves: a gateway and a gateway namespace made behind the extension\'s back', async () => {
    await labels(await service());
    const serviceId = (await service() as ArmNode).armId;
    const put = await request(sandbox.armEndpoint, sandbox.armToken, sandbox.ca, 'PUT', `${serviceId}/gateways/tt-behind?api-version=2024-05-01`, { properties: { locationData: { name: 'elsewhere' } } });
    assert.ok(put.status < 300, put.text);
    const kube = (method: string, p: string, body: unknown): Promise<{ status: number; text: string }> => request(sandbox.kubeApi, sandbox.kubeToken, sandbox.ca, method, p, body);
    assert.ok((await kube('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tt-behind' } })).status < 300);
    const labelsOf = { app: 'tt-behind' };
    const made = await kube('POST', '/apis/apps/v1/namespaces/tt-behind/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tt-behind', namespace: 'tt-behind' },
      spec: { replicas: 0, selector: { matchLabels: labelsOf }, template: { metadata: { labels: labelsOf }, spec: { containers: [{ name: 'gateway', image: 'mcr.microsoft.com/azure-api-management/gateway:2.10.0' }] } } },
    });
    assert.ok(made.status < 300, made.text);
    assert.ok(!(await labels(await service())).includes('tt-behind'), 'nothing announced it: the service still shows what it loaded');
    const since = Date.now();
    // From the view's title bar: no argument.
    await vscode.commands.executeCommand(Commands.refresh);
    const done = Date.now();
    assert.ok(events.some((e) => e.at >= since && e.id === undefined), 'the whole tree was reloaded');
    await shownWithin(done, since, {
      'the service node': async () => {
        const node = await service();
        const list = await labels(node);
        return { node, shows: list.includes('tt-behind'), saw: list.join(', ') };
      },
      'the kubeconfig context': async () => {
        const node = await kubeContext();
        const list = await labels(node);
        return { node, shows: list.includes('tt-behind'), saw: list.join(', ') };
      },
    });
  });
});
