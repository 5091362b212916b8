// @world blog-deployed
// "Why did this fail?" on request records the user is looking at, inside real VS Code against the sandbox: the blog's
// HTTP call to the HTTPS-only Echo API (a 404 record) is diagnosed in the Gateway Logs view through the same path as
// its button (the APIM gateway chosen once in a scripted pick), and in the editor's hover of the record's status —
// with the gateway's configuration from ARM for a followed Deployment, from the record alone for a saved file.
// (Runs before testRequests.test.ts, which allows HTTP on the Echo API in the same sandbox.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/constants.ts';
import type { LiveLogDocument } from '../../src/editor/liveDocument.ts';
import type { ExtensionApi } from '../../src/extension.ts';
import type { GatewayLogsPanelHandle } from '../../src/panels/gatewayLogsPanel.ts';
import { ScriptedPrompter, waitFor } from './azureHelpers.ts';
import { activatedExtension, BLOG_GATEWAY, gatewayRequest, sandboxEnv, type SandboxEnv } from './sandboxEnv.ts';

const TARGET = BLOG_GATEWAY;

async function hoverAt(document: vscode.TextDocument, line: number, needle: string): Promise<string> {
  const column = document.lineAt(line).text.indexOf(needle) + needle.length + 1;
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

function lineWith(document: vscode.TextDocument, needle: string): number | undefined {
  for (let i = 0; i < document.lineCount; i++) if (document.lineAt(i).text.includes(needle)) return i;
  return undefined;
}

describe('why did this fail? on request records', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let env: SandboxEnv;

  before(async () => {
    api = await activatedExtension();
    env = sandboxEnv();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Gateway Logs view: the 404 record of the blog’s HTTP call is scheme-not-allowed, with the gateway from ARM', async () => {
    const handle = await vscode.commands.executeCommand<GatewayLogsPanelHandle | undefined>(Commands.tailGatewayLogs, TARGET);
    assert.ok(handle, 'the command returned no panel');
    const prompter = new ScriptedPrompter({ armGatewayBinding: 'Pick its API Management service and gateway', apimService: 'rb-azure-apim', gateway: 'rb-arc-gateway' });
    const scope = api.azure.usePrompter(prompter);
    try {
      await waitFor('start-up entries', () => handle.delivery().acknowledgedRows > 10);
      const tag = `why${Date.now()}`;
      assert.equal(await gatewayRequest(env, tag), 404);
      const record = await waitFor('the 404 record', () => handle.entries().find((e) => e.kind === 'request' && e.request?.url?.includes(`param1=${tag}`)));
      assert.equal(record.request?.responseCode, 404);

      const answer = await handle.explain(record.seq);
      assert.ok(answer?.state === 'done', `answer: ${JSON.stringify(answer)}`);
      const codes = answer.findings.map((f) => f.code);
      assert.ok(codes.includes('scheme-not-allowed'), `findings: ${codes.join(', ')} (${answer.note ?? 'with ARM'})`);
      assert.equal(answer.note, undefined, 'diagnosed with the gateway’s configuration from Azure');
      const scheme = answer.findings.find((f) => f.code === 'scheme-not-allowed');
      assert.ok(scheme?.fixes.includes('Allow HTTP on Echo API'), `fixes: ${scheme?.fixes.join(', ')}`);
      // "Send again in Send Test Request…" opens the request there, as a typed path, where the fixes act.
      assert.equal(answer.canResend, true);
      handle.resend(record.seq);
      const view = await waitFor('the Test Request view with the record’s request', () => {
        const panel = api.testRequests.get(`${TARGET.context}/${TARGET.namespace}/${TARGET.deployment}`);
        return panel?.form.path === `/echo/resource?param1=${tag}` ? panel : undefined;
      });
      assert.equal(view.form.api, undefined);
      assert.equal(view.form.method, 'GET');
      view.dispose();
      // The Deployment is bound now: asked at most once (not at all when it was already known).
      assert.ok(prompter.asked.length <= 3, `asked ${prompter.asked.join(', ')}`);
      assert.ok(api.azure.records.gatewayFor(TARGET), 'the binding is remembered for the Deployment');

      // A record that did not fail is not diagnosed.
      const other = handle.entries().find((e) => e.kind !== 'request');
      if (other) assert.equal((await handle.explain(other.seq))?.state, 'error');
    } finally {
      scope.dispose();
      handle.close();
    }
  });

  it('editor hover: the followed Deployment’s 404 record explains itself with the gateway’s configuration', async () => {
    // Nothing may be asked from a hover: a prompter without answers fails any question.
    const prompter = new ScriptedPrompter({});
    const scope = api.azure.usePrompter(prompter);
    try {
      const live = (await vscode.commands.executeCommand<LiveLogDocument | undefined>(Commands.openLogsInEditor, TARGET)) ?? assert.fail('no document');
      assert.deepEqual(live.source, TARGET);
      const document = await waitFor('the document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === live.uri.toString()));
      const tag = `hover${Date.now()}`;
      assert.equal(await gatewayRequest(env, tag), 404);
      const line = await waitFor('the record in the document', () => (live.settled ? lineWith(document, `param1=${tag}`) : undefined));
      const text = await hoverAt(document, line, 'responseCode: ');
      assert.match(text, /404 Not Found/);
      assert.match(text, /\*\*Why did this fail\?\*\*\n/, 'the diagnosis section, with the gateway’s configuration');
      assert.match(text, /`scheme-not-allowed`/);
      assert.doesNotMatch(text, /without the gateway’s configuration from Azure/);
      assert.deepEqual(prompter.asked, [], 'the hover asked nothing');
    } finally {
      scope.dispose();
    }
  });

  it('editor hover: a saved log is diagnosed from the record alone, and says so', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID) ?? assert.fail();
    const file = vscode.Uri.joinPath(extension.extensionUri, 'test', 'fixtures', 'gateway-logs', 'seed-blog-v1.log');
    const live = (await vscode.commands.executeCommand<LiveLogDocument | undefined>(Commands.openLogsInEditor, file)) ?? assert.fail('no document');
    assert.equal(live.source, undefined);
    const document = await waitFor('the document', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === live.uri.toString()));
    const line = await waitFor('the seed 404', () => lineWith(document, 'correlationId: 752afbf2-7a10-4655-b1b0-6b8221ea612d'));
    const text = await hoverAt(document, line, 'responseCode: ');
    assert.match(text, /\*\*Why did this fail\?\*\* \(without the gateway’s configuration from Azure\)/);
    assert.match(text, /this log is not from a gateway Deployment/);
  });
});
