// Send Test Request in the real workbench, clicked through like a user on the sandbox's world `blog-deployed` (the
// seed blog right after its deployment): the palette command and its QuickPicks, the form in the webview, the
// blog's HTTP call to the HTTPS-only Echo API answered 404 with the reason, "Allow HTTP" confirmed in VS Code's
// modal, the retry answered 401, a subscription's key picked, and 200 — each with the gateway's record and in the
// history. Screenshots of the 404 and the 200 go to test-results/.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { echo404To200, palette, testRequestView } from './journeySteps.ts';
import { openGatewaysView, quickInput, withFailureScreenshot, worldWorkbench } from './workbench.ts';

describe('e2e: Send Test Request in the real workbench — 404 → Allow HTTP → 401 → key → 200', () => {
  const world = worldWorkbench('blog-deployed');

  it('is clicked through from the palette to a 200, each answer explained and recorded', { timeout: 300_000 }, async () => {
    await withFailureScreenshot(world.workbench, 'test-request', journey);
  });

  async function journey(): Promise<void> {
    const { workbench, sandbox } = world;
    const { page } = workbench;
    // The palette: the command, and nothing asked (see below).
    // Our view first: the extension's contributions are registered by then.
    await openGatewaysView(page);
    await page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /^Kubernetes/ }).first().waitFor({ timeout: 60_000 });
    await palette(page, 'Send Test Request');
    // The only context, its only gateway Deployment, and its APIM gateway read from the Arc extension's settings
    // (installed elsewhere, the 2021 gateway.endpoint): nothing is asked.
    const binding = quickInput(page).locator('input[placeholder^="Which API Management gateway does rb-arc-aks-apimgw"]');
    const preview = testRequestView(page).locator('[data-role="preview"]');
    await Promise.race([preview.waitFor({ timeout: 60_000 }), binding.waitFor({ timeout: 60_000 })]);
    assert.equal(await binding.isVisible(), false, 'the join read from the extension settings is not asked again');

    const [shot404, , shot200] = await echo404To200(page, { base: 'http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000', port: 5000, deployment: 'rb-arc-aks-apimgw' }, (name) => workbench.screenshot(name));

    assert.equal(await page.locator('.notifications-toasts .codicon-error').count(), 0, 'no error notification');
    assert.ok(!workbench.console.some((l) => l.includes(sandbox.info.armToken)), 'the ARM token never reached the browser console');
    assert.deepEqual(workbench.console.filter((l) => /Content Security Policy/i.test(l)), [], 'no CSP violation');
    console.log(`screenshots: ${shot404} ${shot200}`);
  }
});
