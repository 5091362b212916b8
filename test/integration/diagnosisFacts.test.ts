// @world blog-deployed
// One source of diagnosis facts (src/requests/diagnosisFacts.ts), inside real VS Code against the sandbox: with the
// blog gateway's running token about to expire (its Secret rewritten to a token that expires in two days — ARM cannot
// tell this, only the cluster can), the same request gets the same findings from Send Test Request, from "Why did this
// fail?" in the Gateway Logs view and from the editor's hover of its record, the token's expiry among them.
// (Runs after diagnoseRecords.test.ts and before testRequests.test.ts, which allows HTTP on the Echo API.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { TestRequestForm } from '../../src/contract/testRequest.ts';
import type { LiveLogDocument } from '../../src/editor/liveDocument.ts';
import type { ExtensionApi } from '../../src/extension.ts';
import { tokenGatewayId } from '../../src/gatewayToken/parse.ts';
import type { KubeDeployment } from '../../src/kubernetes/types.ts';
import type { GatewayLogsPanelHandle } from '../../src/panels/gatewayLogsPanel.ts';
import type { TestRequestHandle } from '../../src/panels/testRequestPanel.ts';
import { kubeGet, request, sandboxAzure, ScriptedPrompter, waitFor } from './azureHelpers.ts';
import { activatedExtension, BLOG_GATEWAY } from './sandboxEnv.ts';

const TARGET = BLOG_GATEWAY;

function stamp(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}`;
}

async function hoverAt(document: vscode.TextDocument, line: number, needle: string): Promise<string> {
  const column = document.lineAt(line).text.indexOf(needle) + needle.length + 1;
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('one source of diagnosis facts', function () {
  this.timeout(240_000);
  let api: ExtensionApi;

  before(async () => {
    api = await activatedExtension();
  });

  it('Send Test Request, “Why did this fail?” and the hover see the running token’s expiry, and agree on the findings', async () => {
    const s = sandboxAzure();
    // The token the blog's pods run with: the Secret their Deployment's env names.
    const deployment = await kubeGet<KubeDeployment>(s, `/apis/apps/v1/namespaces/${TARGET.namespace}/deployments/${TARGET.deployment}`);
    const ref = deployment.spec?.template?.spec?.containers?.flatMap((c) => c.env ?? []).find((e) => e.name === 'config.service.auth')?.valueFrom?.secretKeyRef;
    assert.ok(ref, 'the gateway reads its token from a Secret');
    const secretPath = `/api/v1/namespaces/${TARGET.namespace}/secrets/${ref.name}`;
    const original = (await kubeGet<{ data: Record<string, string> }>(s, secretPath)).data[ref.key];
    assert.ok(original, 'the token is in the Secret');
    const gatewayId = tokenGatewayId(Buffer.from(original, 'base64').toString('utf8'));
    assert.ok(gatewayId);
    const expiring = `GatewayKey ${gatewayId}&${stamp(new Date(Date.now() + 2 * 24 * 3_600_000))}&c2lnbmF0dXJlLW5vdC1yZWFs==`;
    const patch = (value: string): Promise<{ status: number; text: string }> =>
      request(s.kubeApi, s.kubeToken, s.ca, 'PATCH', secretPath, { data: { [ref.key]: Buffer.from(value).toString('base64') } }, { 'Content-Type': 'application/merge-patch+json' });
    const patched = await patch(expiring);
    assert.equal(patched.status, 200, patched.text);

    const prompter = new ScriptedPrompter({ armGatewayBinding: 'Pick its API Management service and gateway', apimService: 'rb-azure-apim', gateway: 'rb-arc-gateway' });
    const scope = api.azure.usePrompter(prompter);
    let view: TestRequestHandle | undefined;
    let logs: GatewayLogsPanelHandle | undefined;
    try {
      // 1. Send Test Request: the blog's HTTP call, as a typed path with a tag to find its record by.
      const tag = `facts${Date.now()}`;
      view = await vscode.commands.executeCommand<TestRequestHandle>(Commands.sendTestRequest, TARGET);
      assert.ok(view, 'the Test Request view');
      assert.equal(await view.send({ api: undefined, operation: undefined, method: 'GET', path: `/echo/resource?param1=${tag}`, query: [], port: 5000, transport: 'service-proxy', subscription: '' } as Partial<TestRequestForm>), undefined);
      const sent = view.result;
      assert.ok(sent?.record, 'the test request has its record');
      const sentCodes = sent.findings.map((f) => f.code).sort();
      assert.ok(sentCodes.includes('token-expiring'), `Send Test Request sees the running token's expiry: ${sentCodes.join(', ')}`);
      assert.match(sent.findings.find((f) => f.code === 'token-expiring')?.title ?? '', /expires in/);

      // 2. "Why did this fail?" on that request's record in the Gateway Logs view.
      logs = await vscode.commands.executeCommand<GatewayLogsPanelHandle | undefined>(Commands.tailGatewayLogs, TARGET);
      assert.ok(logs, 'the Gateway Logs view');
      const handle = logs;
      const record = await waitFor('the record in the Gateway Logs view', () => handle.entries().find((e) => e.kind === 'request' && e.request?.url?.includes(`param1=${tag}`)), 60_000);
      const answer = await handle.explain(record.seq);
      assert.ok(answer?.state === 'done', `answer: ${JSON.stringify(answer)}`);
      assert.equal(answer.note, undefined, 'diagnosed with the gateway’s facts');
      const explainedCodes = answer.findings.map((f) => f.code).sort();
      assert.deepEqual(explainedCodes, sentCodes, '“Why did this fail?” finds what Send Test Request found');

      // 3. The editor's hover of the same record.
      const live = (await vscode.commands.executeCommand<LiveLogDocument | undefined>(Commands.openLogsInEditor, TARGET)) ?? assert.fail('no document');
      const document = await waitFor('the document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === live.uri.toString()));
      const line = await waitFor('the record in the document', () => {
        if (!live.settled) return undefined;
        for (let i = 0; i < document.lineCount; i++) if (document.lineAt(i).text.includes(`param1=${tag}`)) return i;
        return undefined;
      }, 60_000);
      // The hover answers from the record alone when Azure is slow (1.5 s): ask until it answers with the facts.
      const hover = await waitFor('the hover with the gateway’s facts', async () => {
        const text = await hoverAt(document, line, 'responseCode: ');
        return /without the gateway’s configuration/.test(text) ? undefined : text;
      }, 30_000, 500);
      for (const code of sentCodes) assert.ok(hover.includes(`\`${code}\``), `the hover names ${code}: ${hover}`);
      assert.deepEqual(prompter.asked.filter((id) => id !== 'armGatewayBinding' && id !== 'apimService' && id !== 'gateway'), []);
    } finally {
      view?.dispose();
      logs?.close();
      scope.dispose();
      const restored = await patch(Buffer.from(original, 'base64').toString('utf8'));
      assert.equal(restored.status, 200, restored.text);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
