// The Test Request view's bundle in a real browser (bench/webviewHarness.ts: the panel's CSP, a stand-in
// acquireVsCodeApi), the test playing the host: a response whose body, headers and record carry markup and script
// render as text, nothing from them becomes an element or runs, and the fix and retry buttons post their messages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openWebviewPage, type WebviewPage } from '../../bench/webviewHarness.ts';
import type { TestRequestResult } from '../../src/contract/testRequest.ts';
import type { WebviewToHost } from '../../src/contract/webviewMessages.ts';

const HOSTILE = '<html><body><h1 id="pwned">x</h1><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"></body></html>';

const result: TestRequestResult = {
  method: 'GET',
  url: 'http://rb-arc-aks-apimgw-azure-api-management-gateway.apim:5000/echo/resource?param1=sample',
  transport: 'curl pod (curlimages/curl)',
  description: "curl -sS -i -m 30 -X GET -H 'Ocp-Apim-Subscription-Key: ***' http://…",
  keySent: true,
  sentAt: '2026-11-27T18:00:00.000Z',
  durationMs: 14,
  response: { kind: 'http', status: 404, headers: [['content-type', 'text/html'], ['x-note', '<img src=y onerror="window.__pwned = 3">']], body: HOSTILE, bodySize: HOSTILE.length, contentType: 'text/html' },
  record: { pod: 'rb-arc-aks-apimgw-6cb68c4ccf-88bxg', line: 42, fields: [['url', '<svg onload="window.__pwned = 4">']], lastError: '{\n  "reason": "OperationNotFound"\n}' },
  recordSearch: { searchedMs: 900, seen: 1 },
  findings: [
    {
      code: 'scheme-not-allowed',
      severity: 'error',
      title: 'HTTP not allowed by Echo API',
      explanation: 'Echo API (echo-api) accepts only https.',
      evidence: [{ label: 'Echo API protocols', value: 'https' }],
      fixes: [{ id: 'retry-https', label: 'Resend over HTTPS (port 8081)', actionable: true }, { id: 'allow-http', label: 'Allow HTTP on Echo API', actionable: true }],
    },
  ],
};

describe('Test Request webview', () => {
  let harness: WebviewPage;
  const fromView: WebviewToHost[] = [];
  const until = async (what: string, check: () => Promise<boolean> | boolean): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  before(async () => {
    harness = await openWebviewPage({ view: 'testRequest', onMessage: (m) => fromView.push(m) });
    await until('ready', () => fromView.some((m) => m.type === 'ready'));
    harness.post({ type: 'testRequest/result', result, attempt: 1 });
    await harness.page.locator('h2.status').waitFor({ timeout: 10_000 });
  });
  after(async () => harness?.close());

  it('renders the body, headers and record as text: no element is made from them and nothing runs', async () => {
    const { page } = harness;
    assert.equal(await page.locator('h2.status').textContent(), '404');
    assert.equal(await page.locator('pre.body').first().textContent(), HOSTILE);
    assert.equal(await page.locator('#pwned').count(), 0);
    assert.equal(await page.locator('img, svg, iframe').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.ok(((await page.locator('section.response').textContent()) ?? '').includes('<img src=y'));
    assert.ok(((await page.locator('section.record').textContent()) ?? '').includes('<svg onload'));
    assert.ok(((await page.locator('section.summary').textContent()) ?? '').includes('sent (hidden)'));
  });

  it('posts the fix and retry clicks, and disables the buttons while the host works', async () => {
    const { page } = harness;
    await page.locator('button.fix', { hasText: 'Allow HTTP on Echo API' }).click();
    await until('fix message', () => fromView.some((m) => m.type === 'testRequest/fix'));
    assert.deepEqual(fromView.find((m) => m.type === 'testRequest/fix'), { type: 'testRequest/fix', finding: 0, fix: 1 });
    assert.equal(await page.locator('button.fix').first().isDisabled(), true);
    harness.post({ type: 'testRequest/error', text: 'declined' });
    await until('buttons enabled', async () => !(await page.locator('button.fix').first().isDisabled()));
    await page.locator('button', { hasText: 'Retry' }).click();
    await until('retry message', () => fromView.some((m) => m.type === 'testRequest/retry'));
    assert.deepEqual(harness.console.filter((l) => /error|refused/i.test(l)), []);
  });
});
