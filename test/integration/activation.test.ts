// Proves the tests run in the real extension host, and that the extension's surface is what package.json promises.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension.ts';
import { EXTENSION_ID } from '../../src/constants.ts';

describe('activation in the real extension host', () => {
  let api: ExtensionApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    assert.ok(api, 'activate() returned nothing: activation failed (see the Arc APIM Gateway log)');
  });

  it('runs inside the VS Code that the pinned code-server embeds', () => {
    const expected = process.env.ARC_APIM_EXPECTED_VSCODE_VERSION;
    if (expected) assert.equal(vscode.version, expected);
    // A web UI with a remote (Node) extension host is how code-server, Codespaces and Remote-SSH run us.
    if (process.env.ARC_APIM_EXPECTED_VSCODE_VERSION) {
      assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
      assert.ok(vscode.env.remoteName, 'expected a remote extension host');
    }
  });

  it('registers every command that package.json contributes', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { commands: { command: string }[] };
    };
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0);
    for (const id of contributed) assert.ok(registered.has(id), `${id} is contributed but not registered`);
  });

  it('shows the Kubernetes root in the Gateways tree when a kubeconfig exists', async () => {
    const roots = await api.tree.getChildren();
    const root = roots.find((node) => node.id === 'kubernetes');
    assert.ok(root, `roots were ${roots.map((r) => r.id).join(', ') || 'empty'}`);
    const item = api.tree.getTreeItem(root);
    assert.equal(item.label, 'Kubernetes');
    const children = await api.tree.getChildren(root);
    assert.ok(children.length > 0);
  });

  it('reveals its log through the Show Log command', async () => {
    await vscode.commands.executeCommand('arcApimGateway.showLog');
  });
});
