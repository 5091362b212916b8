// Steps the whole-journey e2e tests share with the single-feature ones: the palette, notifications, a tree item's context
// menu, and the Test Request view's walk from the blog's 404 to a 200 (Allow HTTP, then a subscription's key).
import assert from 'node:assert/strict';
import type { FrameLocator, Locator } from 'playwright-core';
import type { Page } from '../../scripts/lib/browser.ts';
import { confirm, pick, quickInput } from './workbench.ts';

/** Runs `Arc APIM Gateway: <command>` from the palette. */
export async function palette(page: Page, command: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('.quick-input-box input');
  await input.waitFor({ timeout: 30_000 });
  await input.fill(`>Arc APIM Gateway: ${command}`);
  await quickInput(page).locator('.monaco-list-row').filter({ hasText: command }).first().waitFor({ timeout: 30_000 });
  await input.press('Enter');
}

export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
}

/** The Test Request view's inner frame. */
export function testRequestView(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/**
 * From the open Test Request form: the Echo API's GET /resource?param1=sample over http on the Service's http port
 * through a curl pod → 404 explained as HTTPS-only → Allow HTTP (confirmed) → 401 → a subscription's key → 200.
 * `base` is the URL the preview shows for the Service (`http://<svc>.<ns>:<port>`). Returns the screenshots.
 */
export async function echo404To200(page: Page, target: { base: string; port: number; deployment: string }, shot: (name: string) => Promise<string>): Promise<string[]> {
  const { base, port, deployment } = target;
  const view = testRequestView(page);
  const shots: string[] = [];
  const preview = view.locator('[data-role="preview"]');
  await preview.waitFor({ timeout: 60_000 });
  const apiOptions = await view.locator('select[data-field="api"] option').allTextContents();
  assert.ok(apiOptions.some((o) => /^Echo API \(\/echo · https · key required\)$/.test(o)), apiOptions.join(' | '));
  await view.locator('select[data-field="api"]').selectOption('echo-api');
  assert.equal(await view.locator('select[data-field="operation"]').inputValue(), 'create-resource', 'the first operation');
  await view.locator('select[data-field="operation"]').selectOption('retrieve-resource');
  // Over http on the Service's http port, as the blog did (a Service with an https port offers that first here).
  const ports = await view.locator('select[data-field="port"] option').allTextContents();
  const httpPort = ports.find((o) => new RegExp(`\\b${port} http\\b(?!s)`).test(o));
  assert.ok(httpPort, ports.join(' | '));
  await view.locator('select[data-field="port"]').selectOption({ label: httpPort });
  await view.locator('button.add', { hasText: 'Add query parameter' }).click();
  await view.locator('input[data-field="query:0"]').fill('param1');
  await view.locator('input[data-field="query-value:0"]').fill('sample');
  assert.equal(await preview.textContent(), `GET ${base}/echo/resource?param1=sample`);
  assert.match((await view.locator('.hints').textContent()) ?? '', /Echo API accepts https only/);
  await view.locator('input[data-transport="curl-pod"]').check();
  await view.locator('button.send').click();
  // The curl pod is shown coming up while it runs.
  await view.locator('.busy', { hasText: /^Pod arc-apim-test-[a-z0-9-]+/ }).waitFor({ timeout: 30_000 });

  // 404, with the gateway's record and the reason: the Echo API is HTTPS-only.
  const status = view.locator('h2.status');
  await status.filter({ hasText: '404' }).waitFor({ timeout: 90_000 });
  assert.match((await view.locator('section.record h3').first().textContent()) ?? '', new RegExp(`Gateway request record \\(pod ${deployment}-`));
  assert.match((await view.locator('.finding').first().textContent()) ?? '', /scheme-not-allowed/);
  shots.push(await shot('test-request-404'));

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
  shots.push(await shot('test-request-401'));

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
  shots.push(await shot('test-request-200'));
  return shots;
}

/**
 * Right-click → the menu item named `command`, reached with the keyboard (VS Code's menus ignore a click that
 * arrives right after they open; the menu opens focused as a whole and ArrowDown walks its items). Returns how many
 * ArrowDowns it took (1: the menu's first item).
 */
export async function contextMenu(page: Page, target: Locator, command: RegExp): Promise<number> {
  await target.click({ button: 'right' });
  await page.getByRole('menuitem', { name: command }).first().waitFor({ timeout: 10_000 });
  for (let i = 1; i <= 30; i++) {
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => {
      const active = document.activeElement;
      return (active?.shadowRoot?.activeElement ?? active)?.textContent ?? '';
    });
    if (command.test(focused)) {
      await page.keyboard.press('Enter');
      return i;
    }
  }
  throw new Error(`no menu item ${String(command)}`);
}
