// Send Test Request in the real workbench, clicked through like a user on the sandbox's world `blog-deployed` (the
// seed blog right after its deployment): the palette command and its QuickPicks, the form in the webview, the
// blog's HTTP call to the HTTPS-only Echo API answered 404 with the reason, "Allow HTTP" confirmed in VS Code's
// modal, the retry answered 401, a subscription's key picked, and 200 — each with the gateway's record and in the
// history. Screenshots of the 404 and the 200 go to test-results/.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { confirm, openGatewaysView, openWorkbench, pick, quickInput, startSandbox, type RunningSandbox, type Workbench } from './workbench.ts';

describe('e2e: Send Test Request in the real workbench — 404 → Allow HTTP → 401 → key → 200', () => {
  let sandbox: RunningSandbox;
  let workbench: Workbench;

  before(async () => {
    sandbox = await startSandbox('blog-deployed');
    workbench = await openWorkbench({ env: sandbox.env, settings: sandbox.settings });
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('is clicked through from the palette to a 200, each answer explained and recorded', { timeout: 300_000 }, async () => {
    try {
      await journey();
    } catch (error) {
      await workbench.screenshot('test-request-failure').catch(() => undefined);
      throw error;
    }
  });

  async function journey(): Promise<void> {
    const { page } = workbench;
    // The palette: the command, then which gateway (context → Deployment), then — asked once — its APIM gateway.
    // Our view first: the extension's contributions are registered by then.
    await openGatewaysView(page);
    await page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /^Kubernetes/ }).first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('F1');
    const palette = quickInput(page).locator('.quick-input-box input');
    await palette.waitFor({ timeout: 30_000 });
    await palette.fill('>Arc APIM Gateway: Send Test Request');
    await quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Send Test Request' }).first().waitFor({ timeout: 30_000 });
    await palette.press('Enter');
    await pick(page, 'The kubeconfig context', 'rb-arc-aks');
    await pick(page, 'Gateway Deployments in rb-arc-aks', 'rb-arc-aks-apimgw');
    await pick(page, 'Which API Management gateway does rb-arc-aks-apimgw', 'Pick its API Management service and gateway');
    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'rb-arc-gateway');

    // The form, in the webview's inner frame.
    const view: FrameLocator = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    const preview = view.locator('[data-role="preview"]');
    await preview.waitFor({ timeout: 60_000 });
    const apiOptions = await view.locator('select[data-field="api"] option').allTextContents();
    assert.ok(apiOptions.some((o) => /^Echo API \(\/echo · https · key required\)$/.test(o)), apiOptions.join(' | '));
    await view.locator('select[data-field="api"]').selectOption('echo-api');
    assert.equal(await view.locator('select[data-field="operation"]').inputValue(), 'create-resource', 'the first operation');
    await view.locator('select[data-field="operation"]').selectOption('retrieve-resource');
    assert.match((await view.locator('select[data-field="port"]').textContent()) ?? '', /5000 http/);
    await view.locator('button.add', { hasText: 'Add query parameter' }).click();
    await view.locator('input[data-field="query:0"]').fill('param1');
    await view.locator('input[data-field="query-value:0"]').fill('sample');
    assert.equal(await preview.textContent(), 'GET http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000/echo/resource?param1=sample');
    assert.match((await view.locator('.hints').textContent()) ?? '', /Echo API accepts https only/);
    await view.locator('input[data-transport="curl-pod"]').check();
    await view.locator('button.send').click();
    // The curl pod is shown coming up while it runs.
    await view.locator('.busy', { hasText: /^Pod arc-apim-test-[a-z0-9-]+/ }).waitFor({ timeout: 30_000 });

    // 404, with the gateway's record and the reason: the Echo API is HTTPS-only.
    const status = view.locator('h2.status');
    await status.filter({ hasText: '404' }).waitFor({ timeout: 90_000 });
    assert.match((await view.locator('section.record h3').first().textContent()) ?? '', /Gateway request record \(pod rb-arc-aks-apimgw-/);
    const finding = view.locator('.finding').first();
    assert.match((await finding.textContent()) ?? '', /scheme-not-allowed/);
    const shot404 = await workbench.screenshot('test-request-404');

    // Allow HTTP, confirmed in VS Code's modal; the view resends.
    await view.locator('button.fix', { hasText: 'Allow HTTP on' }).click();
    await confirm(page, /Allow HTTP on API echo-api\?/, 'Allow HTTP');
    // The gateway picks the change up at its next configuration poll: Retry until it has.
    const deadline = Date.now() + 90_000;
    for (;;) {
      await view.locator('button', { hasText: 'Retry' }).and(view.locator(':enabled')).waitFor({ timeout: 90_000 });
      const text = (await status.textContent()) ?? '';
      if (text === '401') break;
      assert.ok(Date.now() < deadline, `still ${text} after allowing HTTP`);
      await page.waitForTimeout(1000);
      await view.locator('button', { hasText: 'Retry' }).click();
    }
    assert.match((await view.locator('.finding').first().textContent()) ?? '', /subscription-key-missing/);

    // Pick a subscription's key (QuickPick + confirmation): 200.
    await view.locator('button.fix', { hasText: 'Pick a subscription key' }).click();
    await pick(page, 'A subscription whose key opens', 'Built-in all-access subscription');
    await confirm(page, /Send with the key of subscription/, 'Use Key');
    await status.filter({ hasText: '200' }).waitFor({ timeout: 90_000 });
    assert.match((await view.locator('section.summary').textContent()) ?? '', /sent \(hidden\)/);
    assert.match((await view.locator('section.record h3').first().textContent()) ?? '', /Gateway request record/);
    assert.equal(await view.locator('select[data-field="subscription"]').inputValue() !== '', true, 'the form now names the subscription');
    // The session's history lists every answer, newest first.
    const outcomes = await view.locator('.history-item .outcome').allTextContents();
    assert.equal(outcomes[0], '200');
    assert.ok(outcomes.includes('401') && outcomes.includes('404'), outcomes.join(','));
    const shot200 = await workbench.screenshot('test-request-200');

    assert.equal(await page.locator('.notifications-toasts .codicon-error').count(), 0, 'no error notification');
    assert.ok(!workbench.console.some((l) => l.includes(sandbox.info.armToken)), 'the ARM token never reached the browser console');
    assert.deepEqual(workbench.console.filter((l) => /Content Security Policy/i.test(l)), [], 'no CSP violation');
    console.log(`screenshots: ${shot404} ${shot200}`);
  }
});
