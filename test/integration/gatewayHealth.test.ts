// @world blog-deployed
// "Check Gateway Health" inside real VS Code against the sandbox: the seed blog's gateway checked from its node (the
// blog's HTTP-only Service in front of the HTTPS-only Echo API), then its token expired with the sandbox's break
// mode: the view names it first with the renew-token fix; the fix runs Rotate Gateway Token for the view's Deployment
// (key and lifetime scripted): the new token goes where the gateway reads it, the pods roll, and the check comes back
// without the finding.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { ExtensionApi } from '../../src/extension.ts';
import type { HealthHandle } from '../../src/panels/healthPanel.ts';
import { kubeGet, request, sandboxAzure, ScriptedPrompter, waitFor } from './azureHelpers.ts';
import { activatedExtension } from './sandboxEnv.ts';

const NODE = { context: 'rb-arc-aks', namespace: 'apim', name: 'rb-arc-aks-apimgw' };
const SECRET = 'rb-arc-aks-apimgw-azure-api-management-gateway';

describe('gateway health', function () {
  this.timeout(240_000);
  let api: ExtensionApi;

  before(async () => {
    api = await activatedExtension();
    const s = sandboxAzure();
    const serviceId = `/subscriptions/${s.subscriptionId}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim`;
    // The Deployment runs the blog's APIM gateway (what Send Test Request asks once and remembers).
    await api.azure.records.setGatewayFor({ context: NODE.context, namespace: NODE.namespace, deployment: NODE.name }, { serviceId, gatewayId: `${serviceId}/gateways/rb-arc-gateway`, gatewayName: 'rb-arc-gateway' });
  });

  const runningToken = async (): Promise<string> => {
    const secret = await kubeGet<{ data: Record<string, string> }>(sandboxAzure(), `/api/v1/namespaces/${NODE.namespace}/secrets/${SECRET}`);
    return Buffer.from(secret.data['gateway-key'] ?? '', 'base64').toString('utf8');
  };

  it('checks the blog\'s gateway, then an expired token, then the renewed one', async () => {
    const handle = await vscode.commands.executeCommand<HealthHandle>(Commands.checkGatewayHealth, NODE);
    assert.ok(handle, 'the command returns the view');
    assert.equal(await handle.idle(), undefined);
    const first = handle.report;
    assert.ok(first, 'a report');
    assert.equal(first.checks.length, 11);
    assert.deepEqual(first.findings.map((f) => f.code), ['service-ports-mismatch', 'single-replica']);
    assert.equal(first.checks.find((c) => c.id === 'configuration')?.status, 'passed');

    // Break it the way tokens break: expired, and the pod restarted since.
    const s = sandboxAzure();
    const broke = await request(s.kubeApi, s.kubeToken, s.ca, 'POST', '/sandbox/v1/faults/breakGateway', { mode: 'expired-token', namespace: NODE.namespace, deployment: NODE.name });
    assert.equal(broke.status, 200, broke.text);
    const expired = await waitFor('token-expired with the restarted pod\'s 401', async () => {
      await handle.recheck();
      const f = handle.report?.findings[0];
      return f?.code === 'token-expired' && /401/.test(JSON.stringify(f.evidence)) ? f : undefined;
    }, 60_000, 500);
    const fix = expired.fixes.findIndex((f) => f.id === 'open-token-wizard');
    assert.ok(fix >= 0, 'the renew-token fix is offered');

    // The fix is Rotate Gateway Token for this Deployment: only the key and the lifetime are asked (the Deployment and
    // its gateway are known), then the new token is written where the gateway reads it and the pods roll.
    const oldToken = await runningToken();
    const prompter = new ScriptedPrompter({ keyType: 'primary', tokenDays: '30' });
    const scope = api.azure.usePrompter(prompter);
    try {
      assert.equal(await handle.fix(0, fix), undefined);
    } finally {
      scope.dispose();
    }
    assert.deepEqual(prompter.asked, ['keyType', 'tokenDays'], 'no question about where: the view\'s Deployment');
    const newToken = await runningToken();
    assert.notEqual(newToken, oldToken, 'the rotation replaced the running token');
    assert.match(newToken, /^GatewayKey rb-arc-gateway&\d{12}&/);

    await waitFor('the check without token or configuration findings', async () => {
      await handle.recheck();
      const r = handle.report;
      return r && r.checks.find((c) => c.id === 'configuration')?.status === 'passed' && r.checks.find((c) => c.id === 'token')?.status === 'passed' ? r : undefined;
    }, 90_000, 1000);
    assert.deepEqual(handle.report?.findings.map((f) => f.code), ['service-ports-mismatch', 'single-replica']);
    handle.dispose();
  });
});
