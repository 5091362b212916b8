// @world blog-deployed
// Rotate Gateway Token inside real VS Code against the sandbox's blog-deployed world: the blog's Arc extension was
// installed elsewhere (2021 settings, nothing recorded by this VS Code), so starting from the APIM gateway proves the
// join read from the extension's settings; the token goes through an ARM PATCH of the write-only protected setting,
// the pods roll, and the result is read back from the cluster. The log carries the equivalent commands, never a token.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { ExtensionApi } from '../../src/extension.ts';
import type { RotationOutcome } from '../../src/rotation/rotate.ts';
import type { TreeNode } from '../../src/tree/items.ts';
import { armRequests, DEFAULT, extensionOnSandbox, inOrder, kubeGet, lastArmSeq, treeReader, waitFor, walk, type SandboxAzure } from './azureHelpers.ts';

const SUBSCRIPTION = 'Visual Studio Enterprise';
const SERVICE = 'rb-azure-apim';
const GATEWAY = 'rb-arc-gateway';
const EXTENSION = 'rb-arc-aks-apimgw';
const NAMESPACE = 'apim';
const SECRET = 'rb-arc-aks-apimgw-azure-api-management-gateway';
const DAY = 86_400_000;

interface PodList {
  items: Array<{ metadata: { name: string; deletionTimestamp?: string } }>;
}

describe('live gateway: rotate and update (blog-deployed)', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let sandbox: SandboxAzure;

  before(async () => ({ api, sandbox } = await extensionOnSandbox()));
  const { label, child, withAnswers } = treeReader(() => api);

  const podNames = async (): Promise<string[]> =>
    (await kubeGet<PodList>(sandbox, `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=${encodeURIComponent(`app.kubernetes.io/instance=${EXTENSION}`)}`)).items
      .filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();

  const runningToken = async (): Promise<string> => {
    const secret = await kubeGet<{ data: Record<string, string> }>(sandbox, `/api/v1/namespaces/${NAMESPACE}/secrets/${SECRET}`);
    return Buffer.from(secret.data['gateway-key'] ?? '', 'base64').toString('utf8');
  };

  it('shows the running token\'s expiry on the Deployment, and warns in the status bar and once in a notification', async () => {
    const config = vscode.workspace.getConfiguration('arcApimGateway');
    // The blog's token was minted for 30 days: a 30-day window makes it due.
    await config.update('tokenExpiryWarningDays', 30, vscode.ConfigurationTarget.Global);
    try {
      const find = async (parent: TreeNode | undefined, name: string, contextValue?: string): Promise<TreeNode> => {
        const children = await api.tree.getChildren(parent);
        const found = children.find((c) => label(c) === name && (contextValue === undefined || api.tree.getTreeItem(c).contextValue === contextValue));
        assert.ok(found, `${name} not among: ${children.map(label).join(', ')}`);
        return found;
      };
      const deployment = await find(await find(await find(await find(undefined, 'Kubernetes'), 'rb-arc-aks'), NAMESPACE, 'gatewayNamespace'), EXTENSION);
      const description = await waitFor('the running token\'s expiry on the Deployment node', () => {
        const d = String(api.tree.getTreeItem(deployment).description);
        return /token expires in 30 days/.test(d) && d;
      });
      assert.match(description, /^1\/1 ready · gateway v2 · token expires in 30 days(?: · |$)/);
      assert.equal(await waitFor('the status-bar warning', () => api.expiry.statusText()), '$(warning) Gateway token expires in 30 days');
      assert.match(api.azure.stateSnapshot(), /arcApimGateway\.tokenExpiryNotified.*apim\/rb-arc-aks-apimgw/, 'the notification was shown once and remembered for a day');
    } finally {
      await config.update('tokenExpiryWarningDays', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(await waitFor('the warning to go with a 7-day window', () => api.expiry.statusText() === undefined), true);
  });

  it('from the APIM gateway, finds the blog\'s extension by its settings and rotates its token without asking where', async () => {
    const gateway = await child(await child(await child(await child(undefined, 'Azure'), SUBSCRIPTION), 'API Management'), SERVICE);
    const gatewayNode = await child(gateway, GATEWAY);
    const before = await podNames();
    const oldToken = await runningToken();
    const started = Date.now();
    const { result, prompter } = await withAnswers({ keyType: 'secondary', tokenDays: DEFAULT }, () => vscode.commands.executeCommand<RotationOutcome | undefined>(Commands.rotateGatewayToken, gatewayNode));
    assert.ok(result, `the rotation finished: ${readOutputLog().split('\n').filter((l) => /rotate|\[error\] \[core/i.test(l)).slice(-8).join('\n')}`);
    assert.deepEqual(prompter.asked, ['keyType', 'tokenDays'], 'the deployment was found from the extension\'s gateway.endpoint: no question about where');
    assert.deepEqual(result.problems, []);
    assert.equal(result.restarted, true);
    assert.equal(result.sync?.state, 'synced', result.sync?.detail);
    // 30 days, the longest allowed, to the minute.
    assert.ok(Math.abs(result.expiry.getTime() - (started + 30 * DAY)) < 2 * 60_000, result.expiry.toISOString());
    assert.equal(result.runningExpiry?.toISOString(), result.expiry.toISOString(), 'the pods run the new token (read back from the cluster)');

    const newToken = await runningToken();
    assert.notEqual(newToken, oldToken);
    assert.match(newToken, /^GatewayKey rb-arc-gateway&\d{12}&/, 'the chart got the token in the form the container expects');
    const after = await podNames();
    assert.ok(after.length === before.length && after.every((p) => !before.includes(p)), `every pod was replaced: ${before.join(',')} → ${after.join(',')}`);

    // The tree shows the new expiry (the deployment is now known to this VS Code).
    const refreshed = await child(gateway, GATEWAY);
    assert.match(String(api.tree.getTreeItem(refreshed).description), /token expires in 30 days/);

    // The log has the equivalent commands; no token (old or new, or its signature) anywhere in it.
    const log = readOutputLog();
    assert.match(log, /az k8s-extension update --cluster-type connectedClusters --cluster-name rb-arc-aks --resource-group rb-arc-rg --name rb-arc-aks-apimgw --config-protected-settings 'gateway\.authKey=<token>'/);
    assert.match(log, /kubectl rollout restart deployment\/rb-arc-aks-apimgw -n apim/);
    for (const token of [oldToken, newToken]) {
      const signature = token.split('&').pop() ?? '';
      assert.ok(signature.length > 10 && !log.includes(signature), 'no token signature in the log');
    }
  });

  it('Update Gateway Extension raises the replicas in place: the diff first, then the ARM PATCH, then the pods', async () => {
    const extensionNode = await child(await child(await child(await child(await child(undefined, 'Azure'), SUBSCRIPTION), 'Arc-enabled Kubernetes'), 'rb-arc-aks'), EXTENSION);
    const { result, prompter } = await withAnswers({ fields: ['Replicas'], replicas: '2', applyUpdate: true },
      () => vscode.commands.executeCommand<{ diff: string[]; provisioningState: string; rollout?: string } | undefined>(Commands.updateGatewayExtension, extensionNode));
    assert.deepEqual(prompter.asked, ['fields', 'replicas', 'applyUpdate']);
    assert.deepEqual(result?.diff, ['+ replicaCount: 2'], 'the 2021 install had no replicaCount (the chart\'s default)');
    assert.equal(result?.provisioningState, 'Succeeded');
    assert.equal(result?.rollout, '2 of 2 new pods ready');
    assert.equal((await podNames()).length, 2);
    const deployment = await kubeGet<{ status: { readyReplicas?: number } }>(sandbox, `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${EXTENSION}`);
    assert.equal(deployment.status.readyReplicas, 2);
    assert.match(readOutputLog(), /az k8s-extension update --cluster-type connectedClusters --cluster-name rb-arc-aks --resource-group rb-arc-rg --name rb-arc-aks-apimgw --configuration-settings replicaCount=2 {2}→ Succeeded/);
  });

  it('Update Gateway Extension refuses a value that breaks its rule before any call', async () => {
    const extensionNode = await child(await child(await child(await child(await child(undefined, 'Azure'), SUBSCRIPTION), 'Arc-enabled Kubernetes'), 'rb-arc-aks'), EXTENSION);
    const { prompter } = await withAnswers({ fields: ['Replicas'], replicas: '0', applyUpdate: true },
      () => vscode.commands.executeCommand(Commands.updateGatewayExtension, extensionNode));
    assert.match(prompter.refusals.map((r) => r.message).join('\n'), /Replicas must be a whole number from 1 to 100/);
  });

  it('Deploy from the cluster: never defaults to creating a gateway, and a clashing extension name is caught at its step with Update offered', async () => {
    const cluster = await child(await child(await child(await child(undefined, 'Azure'), SUBSCRIPTION), 'Arc-enabled Kubernetes'), 'rb-arc-aks');
    const firstOffered: string[] = [];
    const mark = await lastArmSeq(sandbox);
    const { prompter } = await withAnswers({
      apimService: SERVICE,
      // The picker tries items in order: the first one seen is the one Enter would take.
      gateway: (item) => {
        if (firstOffered.length === 0) firstOffered.push(item.label);
        return item.label === GATEWAY;
      },
      extensionName: EXTENSION,
      extensionClash: (item) => /^Update /.test(item.label),
    }, () => vscode.commands.executeCommand(Commands.deployGatewayToArc, cluster));
    assert.deepEqual(firstOffered, [GATEWAY], 'an existing gateway is first; "Create a new self-hosted gateway…" comes last');
    // The Update wizard took over (its first question unanswered here: cancelled) and nothing was written.
    assert.deepEqual(prompter.asked, ['apimService', 'gateway', 'extensionName', 'extensionClash', 'fields']);
    const writes = (await armRequests(sandbox, mark)).requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
    assert.deepEqual(writes, [], 'no ARM write');
  });

  it('Uninstall updates both halves without Refresh: the APIM gateway\'s deployment and the Kubernetes Deployment go', async () => {
    const subscription = await child(await child(undefined, 'Azure'), SUBSCRIPTION);
    const gateway = await child(await child(await child(subscription, 'API Management'), SERVICE), GATEWAY);
    // Both halves are on screen (loaded) before the change.
    assert.ok((await api.tree.getChildren(gateway)).some((c) => api.tree.getTreeItem(c).contextValue === 'azureGatewayDeployment'), 'the rotation recorded the deployment under the gateway');
    const kubeNamespace = async (): Promise<TreeNode[]> => api.tree.getChildren(await child(await child(undefined, 'Kubernetes'), 'rb-arc-aks'));
    assert.ok((await kubeNamespace()).some((c) => label(c) === NAMESPACE));
    const extensionNode = await child(await child(await child(subscription, 'Arc-enabled Kubernetes'), 'rb-arc-aks'), EXTENSION);
    let changed = 0;
    const listener = api.tree.onDidChangeTreeData(() => void changed++);
    try {
      const { result } = await withAnswers({ confirmUninstall: true }, () => vscode.commands.executeCommand<boolean>(Commands.uninstallGatewayExtension, extensionNode));
      assert.equal(result, true);
    } finally {
      listener.dispose();
    }
    assert.ok(changed > 0, 'the view was told to reload');
    // What the view asks for next (no Refresh pressed): the gateway without its deployment, no gateway namespace.
    const refreshedGateway = await child(await child(await child(subscription, 'API Management'), SERVICE), GATEWAY);
    assert.ok(!(await api.tree.getChildren(refreshedGateway)).some((c) => api.tree.getTreeItem(c).contextValue === 'azureGatewayDeployment'));
    assert.ok(!(await kubeNamespace()).some((c) => label(c) === NAMESPACE), 'the Kubernetes half no longer shows the gateway namespace');
    assert.match(readOutputLog(), /az k8s-extension delete --cluster-type connectedClusters --cluster-name rb-arc-aks --resource-group rb-arc-rg --name rb-arc-aks-apimgw --yes {2}→ uninstalled/);
  });

  it('Deploy started from the APIM gateway deploys that gateway: no service or gateway question, no gateway created, its token in the Secret', async () => {
    const gatewayNode = await child(await child(await child(await child(await child(undefined, 'Azure'), SUBSCRIPTION), 'API Management'), SERVICE), GATEWAY);
    const mark = await lastArmSeq(sandbox);
    const { result, prompter } = await withAnswers({
      cluster: 'rb-arc-aks',
      extensionName: DEFAULT,
      namespace: NAMESPACE,
      deploySummary: inOrder('Token lifetime', 'Deploy'),
      tokenDays: '5',
    }, () => vscode.commands.executeCommand<{ name: string; provisioningState?: string; configurationSettings: Record<string, string> } | undefined>(Commands.deployGatewayToArc, gatewayNode));
    assert.deepEqual(prompter.asked, ['cluster', 'extensionName', 'namespace', 'deploySummary', 'tokenDays', 'deploySummary'], 'the service and the gateway came from the item: four steps (the summary asked again after the lifetime changed)');
    assert.equal(result?.name, EXTENSION, 'the default name is free again after the uninstall');
    assert.equal(result.provisioningState, 'Succeeded');
    assert.equal(result.configurationSettings['gateway.configuration.uri'], `https://${SERVICE}.configuration.azure-api.net`);
    const writes = (await armRequests(sandbox, mark)).requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.path.split('?')[0] ?? ''}`);
    assert.ok(writes.some((w) => w.startsWith(`POST `) && w.endsWith(`/gateways/${GATEWAY}/generateToken`)), `a token of ${GATEWAY} was minted: ${writes.join(', ')}`);
    assert.ok(!writes.some((w) => /^PUT .*\/gateways\/[^/]+$/.test(w)), `no gateway was created: ${writes.join(', ')}`);
    // The pods run a token of that gateway (the chart's Secret), and the gateway lists the new deployment.
    const token = await waitFor('the chart\'s Secret', async () => {
      try {
        const secret = await kubeGet<{ data: Record<string, string> }>(sandbox, `/api/v1/namespaces/${NAMESPACE}/secrets/${SECRET}`);
        return Buffer.from(Object.values(secret.data)[0] ?? '', 'base64').toString('utf8') || undefined;
      } catch {
        return undefined;
      }
    });
    assert.match(token, new RegExp(`^GatewayKey ${GATEWAY}&\\d{12}&`));
    const records = (await api.tree.getChildren(await child(await child(await child(await child(undefined, 'Azure'), SUBSCRIPTION), 'API Management'), SERVICE).then((s) => child(s, GATEWAY)))).map(label);
    assert.ok(records.includes(`Deployed to rb-arc-aks · ${EXTENSION}`), records.join(', '));
  });

  function readOutputLog(): string {
    let dir = api.azure.paths.logs;
    while (path.basename(dir) !== 'logs' && path.dirname(dir) !== dir) dir = path.dirname(dir);
    return walk(dir).filter((f) => f.endsWith('.log')).map((f) => readFileSync(f, 'utf8')).join('\n');
  }
});
