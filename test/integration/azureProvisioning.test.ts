// @world blog-start
// The seed blog's provisioning, end to end, inside real VS Code against the sandbox (blog-start: an Arc cluster and an
// APIM service, no gateway). Sign-in is the real AzureCliCredential running the sandbox's `az` stand-in; every ARM
// call goes through the real Azure SDK clients to the ARM emulator. Wizards get their answers from a script (the
// Prompter interface); everything else is the extension's own code path, started through its commands.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { ExtensionApi } from '../../src/extension.ts';
import type { AzureAccount } from '../../src/azure/account.ts';
import { ArmAzureData } from '../../src/azure/armService.ts';
import { azureCliCredential, createAzureClientFactory } from '../../src/azure/clientFactory.ts';
import { resolveCloud } from '../../src/azure/clouds.ts';
import { ApimServiceNode } from '../../src/tree/azureApimNodes.ts';
import type { AzureTreeContext } from '../../src/tree/azureBase.ts';
import type { TreeNode } from '../../src/tree/items.ts';
import { armFault, armRequests, DEFAULT, extensionOnSandbox, inOrder, kubeGet, lastArmSeq, request, treeReader, waitFor, walk, type SandboxAzure } from './azureHelpers.ts';

const SUBSCRIPTION = 'Visual Studio Enterprise';
const CLUSTER = 'rb-arc-aks';
const SERVICE = 'rb-azure-apim';
const GATEWAY = 'rb-arc-gateway';
const EXTENSION = 'rb-arc-aks-apimgw';
const NAMESPACE = 'apim';

describe('azure provisioning journey (blog-start)', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let sandbox: SandboxAzure;
  const secrets = new Map<string, string>();

  before(async () => {
    ({ api, sandbox } = await extensionOnSandbox());
    secrets.set('ARM bearer token', sandbox.armToken);
  });
  const { label, child, withAnswers } = treeReader(() => api);

  const azureRoot = (): Promise<TreeNode> => child(undefined, 'Azure');
  const subscription = async (): Promise<TreeNode> => child(await azureRoot(), SUBSCRIPTION);
  const clusterNode = async (): Promise<TreeNode> => child(await child(await subscription(), 'Arc-enabled Kubernetes'), CLUSTER);
  const serviceNode = async (): Promise<TreeNode> => child(await child(await subscription(), 'API Management'), SERVICE);
  const gatewayNode = async (): Promise<TreeNode> => child(await serviceNode(), GATEWAY);

  it('signs in through the Azure CLI credential and shows the subscription, the Arc cluster and the APIM service', async () => {
    const root = await azureRoot();
    assert.match(String(api.tree.getTreeItem(root).description), /Custom cloud .* · Azure CLI/);
    const cluster = await clusterNode();
    assert.equal(api.tree.getTreeItem(cluster).description, 'Connected · v1.19.11 · aks');
    assert.equal(api.tree.getTreeItem(cluster).contextValue, 'azureArcCluster');
    const clusterChildren = (await api.tree.getChildren(cluster)).map(label);
    assert.deepEqual(clusterChildren, ['No API Management gateway extension', 'Deploy APIM Gateway…']);
    const service = await serviceNode();
    assert.equal(api.tree.getTreeItem(service).description, 'Developer · West Europe');
    assert.deepEqual((await api.tree.getChildren(service)).map(label), ['No self-hosted gateway', 'Create Self-Hosted Gateway…']);
  });

  it('refuses a gateway id over 80 characters before any ARM call', async () => {
    const service = await serviceNode();
    const mark = await lastArmSeq(sandbox);
    const { result, prompter } = await withAnswers({ gatewayName: 'g'.repeat(81) }, () => vscode.commands.executeCommand(Commands.createGateway, service));
    assert.equal(result, undefined);
    assert.deepEqual(prompter.asked, ['gatewayName']);
    assert.equal(prompter.refusals.length, 1);
    assert.match(prompter.refusals[0]?.message ?? '', /81 characters: API Management allows at most 80/);
    assert.deepEqual((await armRequests(sandbox, mark)).requests, [], 'no ARM call was made');
  });

  it('creates the self-hosted gateway from the APIM service item', async () => {
    const service = await serviceNode();
    const { result } = await withAnswers(
      { gatewayName: GATEWAY, locationName: 'rb-arc', city: 'London', countryOrRegion: '', description: 'The blog gateway' },
      () => vscode.commands.executeCommand<{ name: string; id: string } | undefined>(Commands.createGateway, service),
    );
    assert.equal(result?.name, GATEWAY);
    const gateway = await gatewayNode();
    assert.equal(api.tree.getTreeItem(gateway).description, 'rb-arc');
    assert.deepEqual((await api.tree.getChildren(gateway)).map(label), ['No API assigned', 'Assign APIs…']);
  });

  it('generates a token: copied to the clipboard as GatewayKey …, only its expiry shown', async () => {
    const gateway = await gatewayNode();
    const before = Date.now();
    const { result } = await withAnswers({ keyType: 'secondary', tokenDays: '7' }, () => vscode.commands.executeCommand<{ expiry: Date; keyType: string } | undefined>(Commands.generateGatewayToken, gateway));
    assert.ok(result, 'the command finished');
    assert.equal(result.keyType, 'secondary');
    const days = (result.expiry.getTime() - before) / 86_400_000;
    assert.ok(days > 6.99 && days <= 7.01, `expiry ${result.expiry.toISOString()}`);
    const copied = await vscode.env.clipboard.readText();
    assert.match(copied, new RegExp(`^GatewayKey ${GATEWAY}&\\d{12}&`));
    secrets.set('generated token', copied.replace(/^GatewayKey /, ''));
    await vscode.env.clipboard.writeText('');
  });

  it('copies the v2 configuration endpoint', async () => {
    const endpoint = await vscode.commands.executeCommand<string>(Commands.copyConfigurationEndpoint, await serviceNode());
    assert.equal(endpoint, `https://${SERVICE}.configuration.azure-api.net`);
  });

  it('refuses namespace APIM_1 before any ARM call that would use it', async () => {
    let mark = -1;
    const cluster = await clusterNode();
    const { result, prompter } = await withAnswers(
      { apimService: SERVICE, gateway: GATEWAY, extensionName: DEFAULT, namespace: 'APIM_1' },
      () => vscode.commands.executeCommand(Commands.deployGatewayToArc, cluster),
      async (id) => {
        if (id === 'namespace') mark = await lastArmSeq(sandbox);
      },
    );
    assert.equal(result, undefined);
    assert.equal(prompter.asked.at(-1), 'namespace');
    assert.match(prompter.refusals[0]?.message ?? '', /"APIM_1" is not a DNS-1123 label/);
    assert.ok(mark >= 0);
    assert.deepEqual((await armRequests(sandbox, mark)).requests, [], 'no ARM call after the namespace was refused');
  });

  it('deploys the gateway to rb-arc-aks in namespace apim: extension Succeeded, pods Running, Service with its real ports', async () => {
    // The summary comes before any ARM write: "Copy equivalent command" first (the summary comes back), then Deploy.
    const shown: string[] = [];
    const choose = inOrder('Copy equivalent command', 'Deploy');
    const mark = await lastArmSeq(sandbox);
    let writesBeforeSummary: string[] | undefined;
    const { result, prompter } = await withAnswers(
      {
        apimService: SERVICE,
        gateway: GATEWAY,
        extensionName: DEFAULT,
        namespace: NAMESPACE,
        deploySummary: (item) => {
          shown.push(`${item.label} | ${item.detail ?? ''}`);
          return choose(item);
        },
      },
      async () => vscode.commands.executeCommand<{ name: string; provisioningState: string } | undefined>(Commands.deployGatewayToArc, await clusterNode()),
      async (id) => {
        if (id === 'deploySummary' && writesBeforeSummary === undefined) {
          writesBeforeSummary = (await armRequests(sandbox, mark)).requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.path}`);
        }
      },
    );
    assert.equal(result?.name, EXTENSION);
    assert.equal(result.provisioningState, 'Succeeded');
    assert.deepEqual(prompter.asked, ['apimService', 'gateway', 'extensionName', 'namespace', 'deploySummary', 'deploySummary'], 'five steps from the cluster: the summary was asked again after Copy');
    assert.deepEqual(writesBeforeSummary, [], 'nothing was written before the summary');
    const command = `az k8s-extension create --cluster-type connectedClusters --cluster-name ${CLUSTER} --resource-group rb-arc-rg --name ${EXTENSION} --extension-type Microsoft.ApiManagement.Gateway --scope namespace --target-namespace ${NAMESPACE} --release-train stable --configuration-settings gateway.configuration.uri=https://${SERVICE}.configuration.azure-api.net --configuration-settings service.type=ClusterIP --configuration-settings telemetry.logs.std=text --config-protected-settings 'gateway.auth.token=<token>'`;
    assert.ok(shown.includes(`Copy equivalent command | ${command}`), shown.join('\n'));
    assert.match(shown.find((x) => x.startsWith('Deploy |')) ?? '', new RegExp(`a 30-day token of ${GATEWAY} .*extension ${EXTENSION} on ${CLUSTER}: Deployment, Service, ConfigMap and Secret in namespace ${NAMESPACE}`));
    assert.equal(await vscode.env.clipboard.readText(), command, 'Copy put the command (token as <token>) on the clipboard');

    const extension = await child(await clusterNode(), EXTENSION);
    const item = api.tree.getTreeItem(extension);
    assert.equal(item.contextValue, 'azureGatewayExtension');
    assert.match(String(item.description), /^Succeeded · chart v[\d.]+ · ClusterIP · current settings(?: · → \S+ \/ \S+)?$/);
    const children = await waitFor('a Running pod under the extension', async () => {
      const list = await api.tree.getChildren(extension);
      return list.some((c) => api.tree.getTreeItem(c).contextValue === 'gatewayPod' && /^Running · 1\/1 ready/.test(String(api.tree.getTreeItem(c).description))) ? list : undefined;
    });
    const service = children.find((c) => api.tree.getTreeItem(c).contextValue === 'gatewayService');
    assert.ok(service, children.map(label).join(', '));
    assert.equal(label(service), `${EXTENSION}-azure-api-management-gateway`);
    assert.match(String(api.tree.getTreeItem(service).description), /^ClusterIP · 8080→/);

    // The token went into the protected setting only: the cluster's Secret has it, ARM's GET does not.
    const secret = await kubeGet<{ data: Record<string, string> }>(sandbox, `/api/v1/namespaces/${NAMESPACE}/secrets/${EXTENSION}-azure-api-management-gateway`);
    const deployed = Buffer.from(Object.values(secret.data)[0] ?? '', 'base64').toString('utf8');
    assert.match(deployed, new RegExp(`^GatewayKey ${GATEWAY}&\\d{12}&`));
    secrets.set('deployed token', deployed.replace(/^GatewayKey /, ''));
    const clusterId = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rb-arc-rg/providers/Microsoft.Kubernetes/connectedClusters/${CLUSTER}`;
    const got = await request(sandbox.armEndpoint, sandbox.armToken, sandbox.ca, 'GET', `${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions/${EXTENSION}?api-version=2023-05-01`);
    assert.doesNotMatch(got.text, /GatewayKey/);
    assert.match(got.text, /"gateway\.configuration\.uri":"https:\/\/rb-azure-apim\.configuration\.azure-api\.net"/);

    // The gateway lists where it was deployed from here, with the token's expiry.
    const records = (await api.tree.getChildren(await gatewayNode())).map(label);
    assert.ok(records.includes(`Deployed to ${CLUSTER} · ${EXTENSION}`), records.join(', '));
  });

  it('assigns the Echo API: the gateway rebuilds its route table for echo-api', async () => {
    const pods = await kubeGet<{ items: Array<{ metadata: { name: string } }> }>(sandbox, `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=app.kubernetes.io%2Finstance%3D${EXTENSION}`);
    const pod = pods.items[0]?.metadata.name;
    assert.ok(pod);
    const { result } = await withAnswers({ apis: ['echo-api'] }, async () => vscode.commands.executeCommand<string[]>(Commands.assignApis, await gatewayNode()));
    assert.deepEqual(result, ['echo-api']);
    assert.deepEqual((await api.tree.getChildren(await gatewayNode())).map(label).filter((l) => !l.startsWith('Deployed')), ['Echo API']);
    await waitFor(
      'OperationRouteTableRebuildCompleted for echo-api in the gateway log',
      async () => (await kubeGet<string>(sandbox, `/api/v1/namespaces/${NAMESPACE}/pods/${pod}/log`)).split('\n').some((l) => l.includes('OperationRouteTableRebuildCompleted') && l.includes('echo-api')),
      30_000,
      500,
    );
  });

  it('accepts items of the Azure Resources explorer (plain, wrapped, with an account prefix)', async () => {
    const clusterId = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rb-arc-rg/providers/Microsoft.Kubernetes/connectedClusters/${CLUSTER}`;
    const serviceId = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/${SERVICE}`;
    // AzureResourceItem: the resource under `.resource`, the tree id carrying an account/tenant prefix.
    const explorerService = {
      id: `/accounts/a/tenants/t${serviceId}`,
      resource: { id: serviceId, name: SERVICE, subscription: { subscriptionId: sandbox.subscriptionId }, azureResourceType: { type: 'microsoft.apimanagement/service' } },
    };
    assert.equal(await vscode.commands.executeCommand<string>(Commands.copyConfigurationEndpoint, explorerService), `https://${SERVICE}.configuration.azure-api.net`);
    // A wrapper (items of extensions that claim the type): unwrap() gives the inner item.
    const wrapped = { unwrap: () => ({ resource: { id: clusterId, name: CLUSTER } }) };
    const { prompter } = await withAnswers({}, () => vscode.commands.executeCommand(Commands.deployGatewayToArc, wrapped));
    assert.deepEqual(prompter.asked, ['apimService'], 'the cluster came from the item, so the first question is the service');
    const { prompter: create } = await withAnswers({}, () => vscode.commands.executeCommand(Commands.createGateway, explorerService));
    assert.deepEqual(create.asked, ['gatewayName'], 'the service came from the item');
    // Tail Gateway Logs on the explorer's cluster item finds the extension and the kubeconfig context by name.
    const panel = await vscode.commands.executeCommand<unknown>(Commands.azureTailArcGatewayLogs, { resource: { id: clusterId } });
    assert.ok(panel, 'a Gateway Logs view was opened');
  });

  it('reports a failed install with the extension statuses and errorInfo, then uninstalls it after confirmation', async () => {
    await armFault(sandbox, 'failExtensionOperation', {
      operation: 'install',
      errorInfo: { code: 'ExtensionOperationFailed', message: 'Helm install failed: image pull back-off for the gateway container' },
      statuses: [{ code: 'InstallationFailed', level: 'Error', message: 'pod rb-bad-0 ImagePullBackOff' }],
    });
    const { result } = await withAnswers(
      { apimService: SERVICE, gateway: GATEWAY, extensionName: 'rb-bad', namespace: 'apim-bad', deploySummary: inOrder('Log format', 'Setting names', 'Token lifetime', 'Deploy'), logFormat: 'json', settingNames: '2021 setting names', tokenDays: '1' },
      async () => vscode.commands.executeCommand(Commands.deployGatewayToArc, await clusterNode()),
    );
    assert.equal(result, undefined, 'the command failed (its error was shown)');
    const failed = await child(await clusterNode(), 'rb-bad');
    assert.match(String(api.tree.getTreeItem(failed).description), /^Failed · .*2021 settings(?: · → \S+ \/ \S+)?$/);
    const messages = (await api.tree.getChildren(failed)).map(label);
    assert.ok(messages.some((m) => m.includes('image pull back-off')), messages.join(' | '));
    assert.ok(messages.some((m) => m.includes('InstallationFailed')), messages.join(' | '));
    // The error shown to the user is the one written to the extension's log (runCommand's one error path).
    const log = await waitFor('the failure in the output channel', () => {
      const text = readOutputLog();
      return /Installing rb-bad on rb-arc-aks failed: .*ExtensionOperationFailed/.test(text) ? text : undefined;
    });
    assert.match(log, /errorInfo ExtensionOperationFailed: Helm install failed/);
    assert.match(log, /Status InstallationFailed \(Error\): pod rb-bad-0 ImagePullBackOff/);

    const declined = await withAnswers({ confirmUninstall: false }, () => vscode.commands.executeCommand(Commands.uninstallGatewayExtension, failed));
    assert.equal(declined.result, undefined, 'declining is a cancellation');
    assert.ok((await api.tree.getChildren(await clusterNode())).map(label).includes('rb-bad'), 'nothing was uninstalled');
    const { result: removed } = await withAnswers({ confirmUninstall: true }, () => vscode.commands.executeCommand(Commands.uninstallGatewayExtension, failed));
    assert.equal(removed, true);
    const left = (await api.tree.getChildren(await clusterNode())).map(label);
    assert.deepEqual(left, [EXTENSION]);
  });

  it('deletes a gateway only after confirmation, with If-Match', async () => {
    await withAnswers({ gatewayName: 'scratch-gateway', locationName: 'nowhere', city: '', countryOrRegion: '', description: '' }, async () => vscode.commands.executeCommand(Commands.createGateway, await serviceNode()));
    const scratch = await child(await serviceNode(), 'scratch-gateway');
    let mark = await lastArmSeq(sandbox);
    const declined = await withAnswers({ confirmDelete: false }, () => vscode.commands.executeCommand(Commands.deleteGateway, scratch));
    assert.equal(declined.result, undefined, 'declining is a cancellation');
    assert.deepEqual((await armRequests(sandbox, mark)).requests.filter((r) => r.method === 'DELETE'), []);
    // Someone changes the gateway while the dialog is open: the delete (If-Match: the ETag the dialog was built
    // from) is refused by ARM and nothing is lost.
    const scratchId = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/${SERVICE}/gateways/scratch-gateway`;
    const raced = await withAnswers({ confirmDelete: true }, () => vscode.commands.executeCommand(Commands.deleteGateway, scratch), async (id) => {
      if (id !== 'confirmDelete') return;
      const patched = await request(sandbox.armEndpoint, sandbox.armToken, sandbox.ca, 'PATCH', `${scratchId}?api-version=2024-05-01`, { properties: { description: 'changed meanwhile' } }, { 'If-Match': '*' });
      assert.equal(patched.status, 200, patched.text);
    });
    assert.equal(raced.result, undefined, 'the delete failed');
    assert.ok((await api.tree.getChildren(await serviceNode())).map(label).includes('scratch-gateway'), 'the gateway is still there');
    assert.match(readOutputLog(), /changed after it was shown to you; nothing was deleted/);

    mark = await lastArmSeq(sandbox);
    const { result } = await withAnswers({ confirmDelete: true }, () => vscode.commands.executeCommand(Commands.deleteGateway, scratch));
    assert.equal(result, true);
    // The emulator, like APIM, refuses a DELETE without If-Match: a 200 means it was sent (and matched).
    const deletes = (await armRequests(sandbox, mark)).requests.filter((r) => r.method === 'DELETE');
    assert.equal(deletes.length, 1);
    assert.equal(deletes[0]?.status, 200);
    const names = (await api.tree.getChildren(await serviceNode())).map(label);
    assert.deepEqual(names, [GATEWAY]);
  });

  it('pages long lists: "Load more…" fetches the next page into the same list', async () => {
    // Two more gateways, and a service node whose ARM service loads one item per page (real calls to the sandbox).
    for (const name of ['page-gw-1', 'page-gw-2']) {
      await withAnswers({ gatewayName: name, locationName: 'paging', city: '', countryOrRegion: '', description: '' }, async () => vscode.commands.executeCommand(Commands.createGateway, await serviceNode()));
    }
    const cloud = resolveCloud('custom', vscode.workspace.getConfiguration('arcApimGateway').get('azure.customCloud'));
    assert.ok(cloud.ok);
    const data = new ArmAzureData(createAzureClientFactory({ cloud: cloud.value, credential: azureCliCredential() }), { pageSize: 1 });
    const redrawn: TreeNode[] = [];
    // Only `account.data()` is used by a service node; the rest of the context is the extension's own.
    const context: AzureTreeContext = {
      account: { data: () => ({ ok: true, value: data }) } as unknown as AzureAccount,
      records: api.azure.records,
      kube: api.kubernetes,
      kubeconfig: { paths: () => [], exists: () => false, describe: () => '', read: async () => ({ ok: false, error: 'unused' }) },
      redraw: (node) => redrawn.push(node),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child() { return this; } },
      now: () => new Date(),
    };
    const serviceId = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/${SERVICE}`;
    const node = new ApimServiceNode(context, undefined, { id: serviceId, subscriptionId: sandbox.subscriptionId, resourceGroup: 'rb-aks-rg', name: SERVICE, location: 'West Europe', sku: 'Developer', managementApiUrl: undefined, gatewayUrl: undefined });
    const labels = async (): Promise<string[]> => (await node.getChildren()).map((c) => String(c.getTreeItem().label));
    // ARM pages of one item (the emulator's default is 2), so each "Load more…" is one more ARM page.
    await armFault(sandbox, 'pageSize', { size: 1 });
    try {
      await pages();
    } finally {
      await armFault(sandbox, 'pageSize', { size: 2 });
    }

    async function pages(): Promise<void> {
      const first = await labels();
      assert.equal(first.length, 2, first.join(', '));
      assert.equal(first[1], 'Load more…');
      const more = (await node.getChildren())[1];
      await vscode.commands.executeCommand(Commands.azureLoadMore, more);
      assert.deepEqual(redrawn, [node], 'the list redraws itself');
      const second = await labels();
      assert.equal(second.length, 3, second.join(', '));
      assert.equal(second[0], first[0], 'the first page stays as it was');
      assert.notEqual(second[1], first[0]);
      assert.equal(second[2], 'Load more…');
      await vscode.commands.executeCommand(Commands.azureLoadMore, (await node.getChildren())[2]);
      const all = await labels();
      assert.deepEqual([...all].sort(), ['page-gw-1', 'page-gw-2', GATEWAY].sort(), 'every gateway once, no "Load more…" at the end');
    }
  });

  it('keeps tokens and keys out of the output channel, log files, settings, state and errors', async () => {
    const gatewayId = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/${SERVICE}/gateways/${GATEWAY}`;
    const keys = await request(sandbox.armEndpoint, sandbox.armToken, sandbox.ca, 'POST', `${gatewayId}/listKeys?api-version=2024-05-01`);
    assert.equal(keys.status, 200, keys.text);
    const { primary, secondary } = JSON.parse(keys.text) as { primary: string; secondary: string };
    secrets.set('primary key', primary);
    secrets.set('secondary key', secondary);
    assert.ok(secrets.has('generated token') && secrets.has('deployed token'));
    for (const [what, value] of secrets) assert.ok(value.length >= 16, `${what} looks like a secret`);

    const userData = path.resolve(api.azure.paths.globalStorage, '..', '..', '..');
    const files = walk(userData).filter((f) => !f.includes(`${path.sep}CachedData${path.sep}`));
    const settings = files.find((f) => f.endsWith(path.join('User', 'settings.json')));
    assert.ok(settings, 'settings.json found');
    assert.ok(files.some((f) => f.endsWith(`${path.sep}Arc APIM Gateway.log`)), 'the output channel\'s log file is among the files searched');
    // In code-server the state databases live in the browser (IndexedDB), so the extension's whole globalState and
    // workspaceState are read through VS Code; any state.vscdb on disk is searched with the other files.
    const state = api.azure.stateSnapshot();
    assert.match(state, /arcApimGateway\.azure\.deployments/, 'the state holds the deployment records (ids and expiry)');
    const haystacks: Array<[string, string]> = [['globalState/workspaceState', state], ...files.map((f): [string, string] => [f, readFileSync(f, 'latin1')])];
    for (const [where, text] of haystacks) {
      for (const [what, value] of secrets) assert.ok(!text.includes(value), `${what} found in ${where}`);
    }
  });

  function readOutputLog(): string {
    const logsRoot = findUp(api.azure.paths.logs, 'logs');
    return walk(logsRoot)
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
  }
});

function findUp(from: string, name: string): string {
  let dir = from;
  while (path.basename(dir) !== name && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.basename(dir) === name ? dir : from;
}
