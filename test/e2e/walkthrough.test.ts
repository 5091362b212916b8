// The getting-started walkthrough in the real workbench: opened from the palette like a user would, with its six
// steps, and the first step's explanation and command button shown. A screenshot goes to test-results/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openWorkbench, quickInput, type Workbench } from './workbench.ts';

const STEPS = ['Sign in to Azure', 'Pick or create a self-hosted gateway', 'Deploy it to a cluster', 'Send a test request', 'Read the logs', 'Rotate the token'];

describe('e2e: the getting-started walkthrough', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it('opens from "Welcome: Open Walkthrough…" with its six steps', { timeout: 120_000 }, async () => {
    const { page } = workbench;
    try {
      await page.keyboard.press('F1');
      const input = quickInput(page).locator('.quick-input-box input');
      await input.waitFor({ timeout: 30_000 });
      await input.fill('>Welcome: Open Walkthrough');
      await quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Open Walkthrough' }).first().waitFor({ timeout: 30_000 });
      await input.press('Enter');
      await input.fill('Get started with Arc APIM Gateway');
      await quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Get started with Arc APIM Gateway' }).first().waitFor({ timeout: 30_000 });
      await input.press('Enter');
      const editor = page.locator('.gettingStartedContainer');
      await editor.getByText('Get started with Arc APIM Gateway').first().waitFor({ timeout: 30_000 });
      for (const step of STEPS) await editor.getByText(step, { exact: true }).first().waitFor({ timeout: 10_000 });
      // The first step is open with its command button; its markdown explanation shows beside the steps when the
      // editor is wide enough (the side bar closed).
      await editor.getByRole('button', { name: 'Sign in to Azure' }).first().waitFor({ timeout: 10_000 });
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
