// @with azure-resources
// Inside the real extension host, with Microsoft's real Azure Resources extension installed beside us (the runner
// adds it for files that ask with `@with azure-resources`): the one-time hint about types that explorer hides, and
// the getting-started walkthrough. The hint's wording and button are clicked for real in
// test/e2e/azureResourcesExplorer.test.ts; here its decisions and the user setting it writes are checked.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  ASKED_KEY,
  AZURE_RESOURCES_EXTENSION_ID,
  HIDDEN_TYPES_MESSAGE,
  NOT_NOW,
  SHOW_HIDDEN_TYPES,
  offerToShowHiddenTypes,
  type VisibilityDeps,
} from '../../src/azure/explorerVisibility.ts';
import { EXTENSION_ID } from '../../src/constants.ts';
import { WALKTHROUGH_OPENED_KEY, openWalkthroughOnFirstRun } from '../../src/walkthrough.ts';
import { activatedExtension } from './sandboxEnv.ts';

const missing = process.env.ARC_APIM_AZURE_RESOURCES_MISSING;

/** A fresh globalState stand-in (a Memento is a key-value store) and a user who answers `answer`. */
function deps(answer: string | undefined, asked: string[]): VisibilityDeps {
  const values = new Map<string, unknown>();
  return {
    state: { get: <T>(key: string) => values.get(key) as T, update: async (key: string, value: unknown) => void values.set(key, value) } as VisibilityDeps['state'],
    ask: async (message) => {
      asked.push(message);
      return answer;
    },
    explorerInstalled: () => vscode.extensions.getExtension(AZURE_RESOURCES_EXTENSION_ID) !== undefined,
  };
}

function activeTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.activeTabGroup.activeTab;
}

function showHiddenTypes(): { globalValue?: boolean; workspaceValue?: boolean; defaultValue?: boolean } | undefined {
  return vscode.workspace.getConfiguration('azureResourceGroups').inspect<boolean>('showHiddenTypes');
}

describe('Azure Resources hides our types: the one-time hint', function () {
  before(async function () {
    if (missing) {
      console.log(`skipped: ${missing}`);
      this.skip();
    }
    await activatedExtension();
  });

  after(async () => {
    if (!missing) await vscode.workspace.getConfiguration('azureResourceGroups').update('showHiddenTypes', undefined, vscode.ConfigurationTarget.Global);
  });

  it('sees the real explorer installed, hiding unsupported types by default', () => {
    assert.ok(vscode.extensions.getExtension(AZURE_RESOURCES_EXTENSION_ID), `${AZURE_RESOURCES_EXTENSION_ID} is installed in this profile`);
    const setting = showHiddenTypes();
    assert.equal(setting?.defaultValue, false, 'the explorer registers showHiddenTypes, off by default');
    assert.equal(setting?.globalValue, undefined);
  });

  it('asks once; "Not Now" changes no setting and is not asked again', async () => {
    const asked: string[] = [];
    const d = deps(NOT_NOW, asked);
    assert.equal(await offerToShowHiddenTypes(d), 'declined');
    assert.equal(asked.length, 1);
    assert.ok(asked[0]?.startsWith(HIDDEN_TYPES_MESSAGE), asked[0]);
    assert.equal(d.state.get(ASKED_KEY), true, 'remembered in globalState');
    assert.equal(showHiddenTypes()?.globalValue, undefined, 'nothing written without a yes');
    assert.equal(await offerToShowHiddenTypes(d), 'already-asked');
    assert.equal(asked.length, 1, 'not asked a second time');
  });

  it('a dismissed hint (no answer) counts as asked and changes nothing', async () => {
    const asked: string[] = [];
    const d = deps(undefined, asked);
    assert.equal(await offerToShowHiddenTypes(d), 'declined');
    assert.equal(showHiddenTypes()?.globalValue, undefined);
    assert.equal(await offerToShowHiddenTypes(d), 'already-asked');
  });

  it(`"${SHOW_HIDDEN_TYPES}" turns showHiddenTypes on in the user settings only, and then there is nothing to say`, async () => {
    const asked: string[] = [];
    assert.equal(await offerToShowHiddenTypes(deps(SHOW_HIDDEN_TYPES, asked)), 'turned-on');
    const setting = showHiddenTypes();
    assert.equal(setting?.globalValue, true);
    assert.equal(setting?.workspaceValue, undefined, 'never a workspace setting');
    // Even someone never asked is not asked once the types are visible.
    assert.equal(await offerToShowHiddenTypes(deps(SHOW_HIDDEN_TYPES, asked)), 'already-visible');
    assert.equal(asked.length, 1);
  });
});

describe('the getting-started walkthrough', () => {
  interface Step { id: string; title: string; description: string; media: { markdown?: string }; completionEvents?: string[] }

  it('links a registered command in each step, completes on that command, and has its explanation', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await activatedExtension();
    const manifest = extension.packageJSON as { contributes: { walkthroughs: Array<{ id: string; steps: Step[] }> } };
    const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === 'gettingStarted');
    assert.ok(walkthrough, 'contributes.walkthroughs has gettingStarted');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['signIn', 'gateway', 'deploy', 'testRequest', 'logs', 'rotateToken']);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of walkthrough.steps) {
      const linked = /\(command:([\w.]+)\)/.exec(step.description)?.[1];
      assert.ok(linked && registered.has(linked), `${step.id}: links a registered command (${linked})`);
      assert.deepEqual(step.completionEvents, [`onCommand:${linked}`], `${step.id}: done when its command runs`);
      assert.ok(step.media.markdown, `${step.id}: has a markdown explanation`);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, step.media.markdown)));
      assert.match(text, /^# /, `${step.id}: ${step.media.markdown} starts with its heading`);
    }
  });

  it('opens by itself once per user, and not at all when the user turned walkthroughs off', async () => {
    const values = new Map<string, unknown>();
    const state = { get: <T>(key: string) => values.get(key) as T, update: async (key: string, value: unknown) => void values.set(key, value) } as Parameters<typeof openWalkthroughOnFirstRun>[0];
    const config = vscode.workspace.getConfiguration('workbench.welcomePage');
    const errors: unknown[] = [];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The test profile turns VS Code's openOnInstall off: honoured, and nothing is remembered.
    assert.equal(config.get('walkthroughs.openOnInstall'), false);
    openWalkthroughOnFirstRun(state, (e) => errors.push(e));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(values.get(WALKTHROUGH_OPENED_KEY), undefined);
    assert.equal(activeTab(), undefined, 'nothing opened');
    await config.update('walkthroughs.openOnInstall', true, vscode.ConfigurationTarget.Global);
    try {
      openWalkthroughOnFirstRun(state, (e) => errors.push(e));
      const deadline = Date.now() + 10_000;
      while (!activeTab() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(activeTab()?.label ?? '(none)', /Welcome|Walkthrough|Arc APIM/i);
      assert.equal(values.get(WALKTHROUGH_OPENED_KEY), true, 'remembered');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      openWalkthroughOnFirstRun(state, (e) => errors.push(e));
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(activeTab(), undefined, 'not opened a second time');
      assert.deepEqual(errors, []);
    } finally {
      await config.update('walkthroughs.openOnInstall', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('opens in the workbench', async () => {
    const before = vscode.window.tabGroups.all.flatMap((g) => g.tabs).length;
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#gettingStarted`, false);
    const deadline = Date.now() + 10_000;
    let tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    while (tabs.length === before && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    }
    const active = activeTab();
    assert.ok(active, `a tab opened (tabs: ${tabs.map((t) => t.label).join(', ')})`);
    assert.match(active.label, /Welcome|Walkthrough|Arc APIM/i);
  });
});
