// @world blog-deployed
// #16's two ways to take the gateway elsewhere without a token, inside real VS Code against the sandbox: Save YAML…
// from the Deploy APIM Gateway to Kubernetes review (the file on disk has the placeholder in the Secret, no token),
// and Copy docker run Command (the clipboard gets a command naming an --env-file, the env file's contents are offered
// separately, with the placeholder). No token is minted for either (the ARM request log shows no generateToken).
// The user's clicks on the two notifications and the save dialog are played by the test (they are VS Code's own
// notifications, not the prompter's); everything else is the extension as shipped.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants.ts';
import type { ExtensionApi } from '../../src/extension.ts';
import { armRequests, DEFAULT, lastArmSeq, sandboxAzure, ScriptedPrompter, waitFor, type Answer } from './azureHelpers.ts';
import { activatedExtension } from './sandboxEnv.ts';

const SERVICE = 'rb-azure-apim';
const GATEWAY = 'rb-arc-gateway';
/** A gateway token in any form ARM or the container uses: `[GatewayKey ]<gateway>&<yyyyMMddHHmm>&<signature>`. */
const TOKEN = /&\d{12}&[A-Za-z0-9+/=]{10,}/;

type InfoAnswer = (message: string, items: readonly string[]) => string | undefined;

/** Plays the user on VS Code's notifications and save dialog for `run`, then puts the real ones back. */
async function asUser<T>(answers: { info: InfoAnswer; saveTo?: vscode.Uri }, run: () => Thenable<T>): Promise<{ result: T; messages: string[] }> {
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = { info: window.showInformationMessage, save: window.showSaveDialog };
  const messages: string[] = [];
  window.showInformationMessage = (message: string, ...items: unknown[]) => {
    messages.push(message);
    return Promise.resolve(answers.info(message, items.filter((i): i is string => typeof i === 'string')));
  };
  window.showSaveDialog = () => Promise.resolve(answers.saveTo);
  assert.equal(vscode.window.showSaveDialog, window.showSaveDialog, 'the test can play the save dialog');
  try {
    return { result: await run(), messages };
  } finally {
    window.showInformationMessage = original.info;
    window.showSaveDialog = original.save;
  }
}

describe('manifests without a token: Save YAML and Copy docker run Command', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let dir: string;

  before(async () => {
    api = await activatedExtension();
    dir = mkdtempSync(path.join(os.tmpdir(), 'arc-apim-save-'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  async function withAnswers<T>(answers: Record<string, Answer>, run: () => Thenable<T>): Promise<T> {
    const scope = api.azure.usePrompter(new ScriptedPrompter(answers));
    try {
      return await run();
    } finally {
      scope.dispose();
    }
  }

  it('Save YAML… from the Kubernetes deploy review writes the manifests with the placeholder, never a token', async () => {
    const sandbox = sandboxAzure();
    const mark = await lastArmSeq(sandbox);
    const file = vscode.Uri.file(path.join(dir, 'rb-arc-gateway.yaml'));
    const reviews: string[] = [];
    const { result, messages } = await asUser({
      // Save first, then walk away from the review (nothing applied).
      info: (message, items) => {
        if (!message.startsWith('Review the manifests')) return undefined;
        reviews.push(message);
        assert.deepEqual(items, ['Apply', 'Save YAML…']);
        return reviews.length === 1 ? 'Save YAML…' : undefined;
      },
      saveTo: file,
    }, () => withAnswers({
      apimService: SERVICE, gateway: GATEWAY, kubeContext: (item) => item.label === 'rb-arc-aks', namespace: 'gw-save', name: DEFAULT, imageTag: DEFAULT,
      replicas: '2', serviceType: 'LoadBalancer', httpPort: DEFAULT, httpsPort: DEFAULT, logFormat: 'json',
    }, () => vscode.commands.executeCommand(Commands.deployGatewayToKubernetes)));
    assert.equal(result, undefined, 'walked away from the review: nothing applied');
    assert.equal(reviews.length, 2, 'the review is offered again after saving');

    const saved = readFileSync(file.fsPath, 'utf8');
    // The review editor's text, as it stood: the gateway's objects in apply order.
    assert.deepEqual([...saved.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]), ['Secret', 'ConfigMap', 'Deployment', 'Service']);
    assert.match(saved, /^\s+config\.service\.auth: GatewayKey <token>$/m, 'the Secret holds the placeholder');
    assert.match(saved, /^\s+replicas: 2$/m);
    assert.match(saved, /^\s+type: LoadBalancer$/m);
    assert.match(saved, /gateway\.name: rb-arc-gateway/);
    assert.doesNotMatch(saved, TOKEN, 'no token in the saved YAML');
    assert.match(messages.find((m) => m.startsWith('Saved to')) ?? '', new RegExp(`^Saved to ${file.fsPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\. The Secret holds the placeholder`));
    // No token was minted to write this file.
    const calls = (await armRequests(sandbox, mark)).requests;
    assert.ok(!calls.some((r) => /generateToken/i.test(r.path)), calls.map((r) => `${r.method} ${r.path}`).join('\n'));
  });

  it('Copy docker run Command copies a command that names --env-file and no token, and offers the env file separately', async () => {
    const sandbox = sandboxAzure();
    const mark = await lastArmSeq(sandbox);
    await vscode.env.clipboard.writeText('');
    const { result, messages } = await asUser({
      info: (message, items) => (message.startsWith('Copied: ') ? items.find((i) => i === 'Open env.conf') : undefined),
    }, () => withAnswers({ apimService: SERVICE, gateway: GATEWAY, imageTag: '2.11.0' }, () => vscode.commands.executeCommand<string | undefined>(Commands.copyDockerRunCommand)));

    const copied = await vscode.env.clipboard.readText();
    assert.equal(copied, 'docker run -d -p 80:8080 -p 443:8081 --name rb-arc-gateway --env-file env.conf mcr.microsoft.com/azure-api-management/gateway:2.11.0');
    assert.equal(result, copied);
    assert.doesNotMatch(copied, /GatewayKey|config\.service\.auth|-e /, 'no token and no setting on the command line');
    assert.match(messages[0] ?? '', /never from the command line/);

    // The env file's contents, offered separately in an editor of their own (untitled: never written to disk by us).
    const editor = await waitFor('the env file in an editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && /config\.service\.auth=/.test(e.document.getText()) ? e : undefined;
    });
    assert.equal(editor.document.isUntitled, true);
    const env = editor.document.getText();
    assert.match(env, /^config\.service\.auth=GatewayKey <token>$/m);
    assert.match(env, /^config\.service\.endpoint=https:\/\/rb-azure-apim\.configuration\.azure-api\.net$/m);
    assert.match(env, /^gateway\.name=rb-arc-gateway$/m);
    assert.match(env, /^runtime\.deployment\.orchestrator\.type=Docker$/m);
    for (const text of [env, copied, ...messages]) assert.doesNotMatch(text, TOKEN, 'no token in the command, the env file or a message');
    const calls = (await armRequests(sandbox, mark)).requests;
    assert.ok(!calls.some((r) => /generateToken/i.test(r.path)), 'no token was minted');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
