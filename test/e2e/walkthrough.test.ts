// The getting-started walkthrough in the real workbench, as a new user meets it: the packaged extension installed
// with "Extensions: Install from VSIX…" into a running VS Code (code-server: VS Code's own open-on-install does not
// fire for this remote install), then its view opened, and the walkthrough opening by itself that first time, with
// its six steps, the first step's button and its explanation. A screenshot goes to test-results/.
// Also: the package holds nothing from test/ (the test-only sign-in extension is never shipped).
// `npm run test:e2e` runs this file alone, after the others (which run two at a time): packing rebuilds dist/ for
// production, and another file's workbench copying dist/ meanwhile would get half a build.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../../scripts/lib/code-server.ts';
import { packageExtension } from '../../scripts/package.ts';
import { openGatewaysView, openWorkbench, quickInput, until, type Workbench } from './workbench.ts';

const STEPS = ['Sign in to Azure', 'Pick or create a self-hosted gateway', 'Deploy it to a cluster', 'Send a test request', 'Read the logs', 'Rotate the token'];

describe('e2e: the getting-started walkthrough on first run', () => {
  let workbench: Workbench;
  let vsix: string;

  before(async () => {
    // What users install: the production build, packed by vsce.
    vsix = packageExtension('ignore');
    workbench = await openWorkbench({ installExtension: false, settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true } });
  });

  after(async () => {
    await workbench?.close();
  });

  it('packs no test-only file (test/extensions/sandbox-auth stays out of the .vsix)', () => {
    const listed = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(listed.status, 0, listed.stderr);
    const files = listed.stdout.split('\n').filter((f) => f.trim() !== '');
    assert.ok(files.includes('package.json') && files.some((f) => f.startsWith('media/walkthrough/')), files.join(', '));
    assert.deepEqual(files.filter((f) => f.startsWith('test/') || f.includes('sandbox-auth')), []);
  });

  it('opens by itself the first time the installed extension starts, with its six steps', { timeout: 180_000 }, async () => {
    const { page } = workbench;
    try {
      await page.keyboard.press('F1');
      const input = quickInput(page).locator('.quick-input-box input');
      await input.waitFor({ timeout: 30_000 });
      await input.fill('>Extensions: Install from VSIX');
      await quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Install from VSIX' }).first().waitFor({ timeout: 30_000 });
      await input.press('Enter');
      // VS Code's own file dialog (the simple one in the browser): the path typed, then its Install button.
      await quickInput(page).filter({ hasText: 'Install' }).waitFor({ timeout: 30_000 });
      // The simple dialog may still be filling in its own folder when the path is typed, and then prefixes it
      // ("/root//work/…"): type again until the box holds exactly the path.
      await until('the .vsix path in the file dialog', async () => {
        if ((await input.inputValue()) !== vsix) await input.fill(vsix);
        await page.waitForTimeout(300);
        return (await input.inputValue()) === vsix;
      }, 15_000);
      await input.press('Enter');
      // Installed: our activity-bar entry appears; opening it starts the extension for the first time.
      await openGatewaysView(page);
      const editor = page.locator('.gettingStartedContainer');
      await editor.getByText('Get started with Arc APIM Gateway').first().waitFor({ timeout: 90_000 });
      for (const step of STEPS) await editor.getByText(step, { exact: true }).first().waitFor({ timeout: 10_000 });
      await editor.getByRole('button', { name: 'Sign in to Azure' }).first().waitFor({ timeout: 10_000 });
      // The step's markdown explanation shows beside the steps when the editor is wide enough (side bar closed).
      await page.keyboard.press('Control+B');
      const explanation = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
      await explanation.getByText('reads your API Management services').waitFor({ timeout: 30_000 });
      console.log(`screenshot: ${await workbench.screenshot('walkthrough')}`);
      assert.equal(await page.locator('.notifications-toasts .codicon-error').count(), 0, 'no error notification');
    } catch (error) {
      await workbench.screenshot('walkthrough-failure').catch(() => undefined);
      throw error;
    }
  });
});
