// @world blog-deployed
// "Send Test Request" inside real VS Code against the sandbox: the seed blog's call to the Echo API replayed through
// the command's view, its handle driven like the form's Send and the fix buttons (each fix confirmed in a scripted
// modal): 404 because the API is HTTPS-only → allow HTTP → 401 without a key → a subscription's key → 200, every
// answer matched to the gateway's own request record.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { ExtensionApi } from '../../src/extension.ts';
import type { TestRequestForm } from '../../src/contract/testRequest.ts';
import type { TestRequestHandle } from '../../src/panels/testRequestPanel.ts';
import type { TreeNode } from '../../src/tree/items.ts';
import { kubeGet, request, sandboxAzure, ScriptedPrompter, waitFor, walk, type Answer } from './azureHelpers.ts';
import { activatedExtension } from './sandboxEnv.ts';

const GATEWAY_NODE = { context: 'rb-arc-aks', namespace: 'apim', name: 'rb-arc-aks-apimgw' };

describe('test requests', function () {
  this.timeout(240_000);
  let api: ExtensionApi;

  before(async () => {
    api = await activatedExtension();
  });

  async function journey(transport: 'curl-pod' | 'service-proxy', startsAt: 404 | 401, fromPalette = false): Promise<void> {
    const answers: Record<string, Answer> = {
      armGatewayBinding: 'Pick its API Management service and gateway',
      apimService: 'rb-azure-apim',
      gateway: 'rb-arc-gateway',
      allowHttp: true,
      apimSubscription: 'Built-in all-access subscription',
      useKey: true,
      kubeContext: 'rb-arc-aks',
      gatewayDeployment: 'rb-arc-aks-apimgw',
    };
    const prompter = new ScriptedPrompter(answers);
    const scope = api.azure.usePrompter(prompter);
    let handle: TestRequestHandle | undefined;
    try {
      handle = await (fromPalette ? vscode.commands.executeCommand<TestRequestHandle>(Commands.sendTestRequest) : vscode.commands.executeCommand<TestRequestHandle>(Commands.sendTestRequest, GATEWAY_NODE));
      // One context, one gateway Deployment, and the APIM gateway it runs known from its Arc extension's settings:
      // the palette asks none of the three.
      if (fromPalette) assert.deepEqual(prompter.asked.filter((id) => ['kubeContext', 'gatewayDeployment', 'armGatewayBinding', 'apimService', 'gateway'].includes(id)), []);
      assert.ok(handle, 'the command returns the view');
      // The form knows the gateway's Service, its real ports and schemes, and the APIs from ARM.
      const service = handle.context.services[0];
      assert.ok(service, 'the gateway Service');
      // The blog's (2021 preview) chart publishes one port: 5000 → the gateway's http 8080.
      assert.deepEqual(service.ports.map((p) => `${p.port}/${p.scheme ?? '?'}`), ['5000/http']);
      const echo = handle.context.arm?.apis.find((a) => a.name === 'echo-api');
      assert.ok(echo, 'the Echo API is offered');
      assert.ok(echo.operations.some((o) => o.name === 'retrieve-resource' && o.method === 'GET' && o.urlTemplate === '/resource'));
      // Send with the blog's values: HTTP port 5000, no key.
      assert.equal(await handle.send({ api: 'echo-api', operation: 'retrieve-resource', query: [['param1', 'sample']], port: 5000, transport, subscription: '' }), undefined);
      const first = handle.result;
      assert.ok(first && first.response.kind === 'http');
      assert.equal(first.url, 'http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000/echo/resource?param1=sample');
      assert.equal(first.response.status, startsAt);
      assert.match(first.transport, transport === 'curl-pod' ? /curl pod/ : /service proxy/);
      if (startsAt === 404) {
        assert.ok(first.record, 'the 404 has its request record');
        assert.equal(first.findings[0]?.code, 'scheme-not-allowed');
        const fix = first.findings[0]?.fixes.findIndex((f) => f.id === 'allow-http') ?? -1;
        assert.ok(fix >= 0, 'allow-http is offered');
        assert.equal(await handle.fix(0, fix), undefined);
        assert.ok(handle.context.arm?.apis.find((a) => a.name === 'echo-api')?.protocols.includes('http'), 'the form learns the new protocols');
        // The gateway polls its configuration: retry until the change is in (the Retry button).
        const deadline = Date.now() + 60_000;
        while (handle.result?.response.kind === 'http' && handle.result.response.status === 404 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 1000));
          assert.equal(await handle.retry(), undefined);
        }
      }
      const second = handle.result;
      assert.ok(second && second.response.kind === 'http');
      assert.equal(second.response.status, 401);
      assert.ok(second.record, 'the 401 has its request record');
      assert.equal(second.findings[0]?.code, 'subscription-key-missing');
      const keyFix = second.findings[0]?.fixes.findIndex((f) => f.id === 'pick-subscription-key') ?? -1;
      assert.ok(keyFix >= 0);
      assert.equal(await handle.fix(0, keyFix), undefined);
      const third = handle.result;
      assert.ok(third && third.response.kind === 'http');
      assert.equal(third.response.status, 200);
      assert.ok(third.record, 'the 200 has its request record');
      assert.equal(third.keySent, true);
      assert.notEqual(handle.form.subscription, '', 'the form now names the subscription (not its key)');
      assert.ok(!/Ocp-Apim-Subscription-Key: (?!\*\*\*)/i.test(third.description), 'the key is masked in what is shown');
      // Every request of the session is in the history, newest first.
      const history = handle.history.filter((h) => h.path === '/echo/resource?param1=sample');
      assert.ok(history.length >= 2);
      assert.equal(history[0]?.outcome, '200');
    } finally {
      handle?.dispose();
      scope.dispose();
    }
  }

  it('replays the blog through a curl pod: 404 scheme-not-allowed → allow http → 401 → key → 200', async () => {
    await journey('curl-pod', 404);
  });

  it('starts from the Service node in the tree with a typed path (no ARM facts needed to send)', async () => {
    const byContext = async (parent: TreeNode | undefined, contextValue: string, name?: string): Promise<TreeNode> => {
      const children = await api.tree.getChildren(parent);
      const found = children.find((c) => {
        const item = api.tree.getTreeItem(c);
        const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
        return (item.contextValue === contextValue || contextValue === '*') && (name === undefined || label === name);
      });
      assert.ok(found, `${contextValue} ${name ?? ''} not among ${children.map((c) => api.tree.getTreeItem(c).contextValue).join(', ')}`);
      return found;
    };
    const root = await byContext(undefined, '*', 'Kubernetes');
    const context = await byContext(root, '*', 'rb-arc-aks');
    const ns = await byContext(context, 'gatewayNamespace');
    const deployment = await byContext(ns, 'gatewayDeployment');
    let service: TreeNode | undefined;
    for (let i = 0; i < 50 && !service; i++) {
      service = (await api.tree.getChildren(deployment)).find((c) => api.tree.getTreeItem(c).contextValue === 'gatewayService');
      if (!service) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(service, 'the gateway Service node');
    const scope = api.azure.usePrompter(new ScriptedPrompter({}));
    let handle: TestRequestHandle | undefined;
    try {
      handle = await vscode.commands.executeCommand<TestRequestHandle>(Commands.sendTestRequest, service);
      assert.ok(handle);
      assert.equal(await handle.send({ api: undefined, operation: undefined, method: 'GET', path: '/echo/resource?param1=sample', port: 5000, transport: 'service-proxy' } as Partial<TestRequestForm>), undefined);
      const r = handle.result;
      assert.ok(r && r.response.kind === 'http');
      assert.ok([401, 404].includes(r.response.status), `status ${r.response.status}`);
      assert.match(r.url, /^http:\/\/rb-arc-aks-apimgw-azure-api-management-gateway\.apim:5000\/echo\/resource\?param1=sample$/);
      assert.ok(r.record, 'the record is found without ARM');
    } finally {
      handle?.dispose();
      scope.dispose();
    }
  });

  it('does the same through the service proxy from the palette: 404 → allow http → 401 → key → 200', async () => {
    // The curl-pod journey allowed HTTP: put the Echo API back to HTTPS-only (as another ARM client would), and wait
    // until the gateway has polled that configuration (its answer to the blog's call is 404 again).
    const s = sandboxAzure();
    const apiId = `/subscriptions/${s.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim/apis/echo-api?api-version=2024-05-01`;
    const patched = await request(s.armEndpoint, s.armToken, s.ca, 'PATCH', apiId, { properties: { protocols: ['https'] } }, { 'If-Match': '*' });
    assert.ok(patched.status === 200 || patched.status === 204, patched.text);
    await waitFor(
      'the gateway to serve the Echo API over https only again',
      async () => (await request(s.kubeApi, s.kubeToken, s.ca, 'GET', '/api/v1/namespaces/apim/services/rb-arc-aks-apimgw-azure-api-management-gateway:5000/proxy/echo/resource?param1=sample')).status === 404,
      60_000,
      500,
    );
    // Forget what the first journey was told, so that the palette has to learn which APIM gateway this is.
    await api.azure.records.forgetGatewayFor({ context: GATEWAY_NODE.context, namespace: GATEWAY_NODE.namespace, deployment: GATEWAY_NODE.name });
    await journey('service-proxy', 404, true);
    assert.equal(api.azure.records.gatewayFor({ context: GATEWAY_NODE.context, namespace: GATEWAY_NODE.namespace, deployment: GATEWAY_NODE.name })?.gatewayName, 'rb-arc-gateway', 'learnt from the extension settings and remembered');
  });

  it('calls the gateway directly at its LoadBalancer address once the Service gets one', async () => {
    const s = sandboxAzure();
    const servicePath = '/api/v1/namespaces/apim/services/rb-arc-aks-apimgw-azure-api-management-gateway';
    const patch = (type: string): Promise<{ status: number; text: string }> => request(s.kubeApi, s.kubeToken, s.ca, 'PATCH', servicePath, { spec: { type } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal((await patch('LoadBalancer')).status, 200);
    let handle: TestRequestHandle | undefined;
    const scope = api.azure.usePrompter(new ScriptedPrompter({}));
    try {
      const ip = await waitFor('the LoadBalancer ingress', async () => {
        const svc = await kubeGet<{ status?: { loadBalancer?: { ingress?: { ip?: string }[] } } }>(s, servicePath);
        return svc.status?.loadBalancer?.ingress?.[0]?.ip;
      });
      handle = await vscode.commands.executeCommand<TestRequestHandle>(Commands.sendTestRequest, GATEWAY_NODE);
      assert.ok(handle);
      assert.deepEqual(handle.context.services[0]?.external, [ip]);
      assert.equal(handle.form.directUrl, `http://${ip}:5000`, 'the form offers the LoadBalancer address');
      assert.equal(await handle.send({ api: 'echo-api', operation: 'retrieve-resource', query: [['param1', 'sample']], port: 5000, transport: 'direct', subscription: '' }), undefined);
      const r = handle.result;
      assert.ok(r && r.response.kind === 'http', JSON.stringify(r?.response));
      assert.equal(r.transport, 'direct URL');
      assert.equal(r.url, `http://${ip}:5000/echo/resource?param1=sample`);
      assert.equal(r.response.status, 401, 'HTTP is allowed by now; no key was sent');
      assert.ok(r.record, 'the record of the direct call is found too');
      // A rule broken in the form is refused before anything is sent, and named.
      const before = handle.history.length;
      assert.match((await handle.send({ directUrl: `http://${ip}:5000/echo` })) ?? '', /must not have a path/);
      assert.equal(handle.history.length, before, 'nothing was sent');
    } finally {
      handle?.dispose();
      scope.dispose();
      await patch('ClusterIP');
    }
  });

  it('starts from an operation of an assigned API in the Azure tree, with that API and operation chosen', async () => {
    const s = sandboxAzure();
    const gatewayId = `/subscriptions/${s.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim/gateways/rb-arc-gateway`;
    // What an operation node under the gateway's API carries (src/tree/azureApimNodes.ts).
    const node = { armId: `${gatewayId}/apis/echo-api/operations/retrieve-resource` };
    const prompter = new ScriptedPrompter({});
    const scope = api.azure.usePrompter(prompter);
    let handle: TestRequestHandle | undefined;
    try {
      handle = await vscode.commands.executeCommand<TestRequestHandle>(Commands.sendTestRequest, node);
      assert.ok(handle);
      assert.deepEqual(prompter.asked, [], 'the Deployment bound to this gateway earlier is found without asking');
      assert.deepEqual(handle.context.gateway, { context: 'rb-arc-aks', namespace: 'apim', deployment: 'rb-arc-aks-apimgw' });
      assert.equal(handle.form.api, 'echo-api');
      assert.equal(handle.form.operation, 'retrieve-resource');
      assert.equal(handle.form.method, 'GET');
    } finally {
      handle?.dispose();
      scope.dispose();
    }
  });

  it('starts from an API Management service in the Azure Resources explorer: its gateway is picked, then its Deployment is known', async () => {
    const s = sandboxAzure();
    const serviceId = `/subscriptions/${s.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim`;
    // The shape of an Azure Resources explorer item (../shared/notes/azure-resources-explorer.md).
    const item = { id: `/subscriptions/${s.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim`, resource: { id: serviceId, type: 'microsoft.apimanagement/service' } };
    const prompter = new ScriptedPrompter({ gateway: 'rb-arc-gateway' });
    const scope = api.azure.usePrompter(prompter);
    let handle: TestRequestHandle | undefined;
    try {
      handle = await vscode.commands.executeCommand<TestRequestHandle>(Commands.sendTestRequest, item);
      assert.ok(handle);
      assert.deepEqual(prompter.asked, ['gateway']);
      assert.deepEqual(handle.context.gateway, { context: 'rb-arc-aks', namespace: 'apim', deployment: 'rb-arc-aks-apimgw' });
      assert.equal(handle.context.arm?.gatewayName, 'rb-arc-gateway');
    } finally {
      handle?.dispose();
      scope.dispose();
    }
  });

  it('keeps the subscription key out of results, history, the view’s state, logs, settings and stored state', async () => {
    const s = sandboxAzure();
    const subscriptionId = `/subscriptions/${s.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim/subscriptions/master`;
    const secrets = await request(s.armEndpoint, s.armToken, s.ca, 'POST', `${subscriptionId}/listSecrets?api-version=2024-05-01`);
    assert.equal(secrets.status, 200, secrets.text);
    const { primaryKey } = JSON.parse(secrets.text) as { primaryKey: string };
    assert.ok(primaryKey.length >= 16);
    // The journeys above sent it (curl pod, service proxy); send once more, then look everywhere.
    const scope = api.azure.usePrompter(new ScriptedPrompter({}));
    let handle: TestRequestHandle | undefined;
    try {
      handle = await vscode.commands.executeCommand<TestRequestHandle>(Commands.sendTestRequest, GATEWAY_NODE);
      assert.ok(handle);
      assert.equal(await handle.send({ api: 'echo-api', operation: 'retrieve-resource', query: [['param1', 'sample']], port: 5000, transport: 'curl-pod', subscription: 'master' }), undefined);
      assert.equal(handle.result?.response.kind === 'http' ? handle.result.response.status : 0, 200);
      assert.equal(handle.result?.keySent, true);
      const shown = JSON.stringify({ result: handle.result, history: handle.history, form: handle.form, context: handle.context });
      assert.ok(!shown.includes(primaryKey), 'the key is not in anything the view is sent');
    } finally {
      handle?.dispose();
      scope.dispose();
    }
    const userData = path.resolve(api.azure.paths.globalStorage, '..', '..', '..');
    const files = walk(userData).filter((f) => !f.includes(`${path.sep}CachedData${path.sep}`));
    assert.ok(files.some((f) => f.endsWith(`${path.sep}Arc APIM Gateway.log`)), 'the output channel’s log file is among the files searched');
    for (const [where, text] of [['globalState/workspaceState', api.azure.stateSnapshot()] as const, ...files.map((f) => [f, readFileSync(f, 'latin1')] as const)]) {
      assert.ok(!text.includes(primaryKey), `the subscription key found in ${where}`);
    }
  });
});
