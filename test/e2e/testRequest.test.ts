// The Test Request view's bundle in a real browser (bench/webviewHarness.ts: the panel's CSP, a stand-in
// acquireVsCodeApi), the test playing the host: a response whose body, headers and record carry markup and script
// render as text, nothing from them becomes an element or runs, and the fix and retry buttons post their messages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openWebviewPage, type WebviewPage } from '../../bench/webviewHarness.ts';
import type { TestRequestForm, TestRequestFormContext, TestRequestResult } from '../../src/contract/testRequest.ts';
import type { WebviewToHost } from '../../src/contract/webviewMessages.ts';
import { until } from './workbench.ts';

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

  describe('the form', () => {
    const context: TestRequestFormContext = {
      gateway: { context: 'rb-arc-aks', namespace: 'apim', deployment: 'rb-arc-aks-apimgw' },
      services: [{ name: 'gw-svc', type: 'ClusterIP', external: [], ports: [{ port: 5000, scheme: 'http', label: '5000→8080/TCP' }, { port: 5001, scheme: 'https', label: '5001→8081/TCP' }] }],
      arm: {
        serviceName: 'rb-azure-apim',
        gatewayName: 'rb-arc-gateway',
        apis: [
          { name: 'echo-api', displayName: 'Echo API', path: 'echo', protocols: ['https'], subscriptionRequired: true, assigned: true, isCurrent: true, operations: [{ name: 'retrieve-resource', displayName: 'Retrieve resource', method: 'GET', urlTemplate: '/resource', parameters: [] }] },
          {
            name: 'evil-api',
            displayName: '<img src=x onerror="window.__pwned = 5">',
            path: 'evil',
            protocols: ['http'],
            subscriptionRequired: false,
            assigned: true,
            isCurrent: true,
            operations: [{ name: 'get-item', displayName: '<script>window.__pwned = 6</script>', method: 'GET', urlTemplate: '/items/{id}', parameters: [{ name: 'id', required: true }] }],
          },
        ],
        subscriptions: [{ name: 'master', displayName: 'Built-in all-access subscription', scope: '/apis' }],
      },
    };
    const form: TestRequestForm = { api: 'echo-api', operation: 'retrieve-resource', method: 'GET', path: '/', params: {}, query: [['param1', 'sample']], headers: [], body: '', service: 'gw-svc', port: 5000, transport: 'service-proxy', directUrl: '', insecure: false, subscription: '' };
    const sends = (): TestRequestForm[] => fromView.flatMap((m) => (m.type === 'testRequest/send' ? [m.form] : []));

    before(async () => {
      // The Retry click above left the view waiting for the host.
      harness.post({ type: 'testRequest/error', text: 'done' });
      harness.post({ type: 'testRequest/init', context, form });
      await harness.page.locator('[data-role="preview"]').waitFor({ timeout: 10_000 });
    });

    it('shows the request it will send, and warns that the HTTPS-only API will answer 404 over http', async () => {
      const { page } = harness;
      assert.equal(await page.locator('[data-role="preview"]').textContent(), 'GET http://gw-svc.apim:5000/echo/resource?param1=sample');
      const hints = (await page.locator('.hints').textContent()) ?? '';
      assert.match(hints, /Echo API accepts https only: over http the gateway will answer 404/);
      assert.match(hints, /requires a subscription key/);
    });

    it('sends the values on Send', async () => {
      const { page } = harness;
      await page.locator('button.send').click();
      await until('send message', () => sends().length === 1);
      assert.deepEqual(sends()[0], form);
      assert.equal(await page.locator('button.send').isDisabled(), true, 'Send waits while the host works');
      assert.equal(await page.locator('button.cancel').isHidden(), true);
      harness.post({ type: 'testRequest/busy', text: 'Sending…', cancellable: true });
      await page.locator('button.cancel').waitFor({ state: 'visible', timeout: 5000 });
      await page.locator('button.cancel').click();
      await until('cancel message', () => fromView.some((m) => m.type === 'testRequest/cancel'));
      harness.post({ type: 'testRequest/error', text: 'Cancelled.' });
      await until('send enabled', async () => !(await page.locator('button.send').isDisabled()));
    });

    it('builds the path from the operation’s template, and refuses to send until {id} has a value, naming the rule', async () => {
      const { page } = harness;
      await page.locator('select[data-field="api"]').selectOption('evil-api');
      await page.locator('input[data-field="param:id"]').waitFor({ timeout: 5000 });
      assert.equal(await page.locator('[data-role="preview"]').textContent(), 'GET http://gw-svc.apim:5000/evil/items/{id}?param1=sample');
      await page.locator('button.send').click();
      assert.match((await page.locator('.problem').textContent()) ?? '', /Enter a value for \{id\}/);
      assert.equal(await page.locator('input[data-field="param:id"]').getAttribute('aria-invalid'), 'true');
      assert.equal(sends().length, 1, 'nothing was sent');
      await page.locator('input[data-field="param:id"]').fill('a b');
      assert.equal(await page.locator('[data-role="preview"]').textContent(), 'GET http://gw-svc.apim:5000/evil/items/a%20b?param1=sample');
      await page.locator('input[data-field="param:id"]').press('Enter');
      await until('second send', () => sends().length === 2);
      assert.deepEqual(sends()[1]?.params, { id: 'a b' });
      assert.equal(sends()[1]?.api, 'evil-api');
      // Names from ARM are text: nothing became an element or ran.
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      harness.post({ type: 'testRequest/error', text: 'done' });
    });

    it('adds headers, names a bad header name, and sends a subscription by name only', async () => {
      const { page } = harness;
      await page.locator('button.add', { hasText: 'Add header' }).click();
      await page.locator('input[data-field="header:0"]').fill('Bad Name');
      await page.locator('button.send').click();
      assert.match((await page.locator('.problem').textContent()) ?? '', /"Bad Name" is not a valid header name/);
      await page.locator('input[data-field="header:0"]').fill('X-Test');
      await page.locator('input[data-field="header-value:0"]').fill('1');
      await page.locator('select[data-field="subscription"]').selectOption('master');
      assert.match((await page.locator('[data-role="preview"]').textContent()) ?? '', /Ocp-Apim-Subscription-Key \(hidden\)/);
      await page.locator('button.copy-key').click();
      await until('copy key message', () => fromView.some((m) => m.type === 'testRequest/copyKey'));
      await page.locator('button.send').click();
      await until('third send', () => sends().length === 3);
      assert.deepEqual(sends()[2]?.headers, [['X-Test', '1']]);
      assert.equal(sends()[2]?.subscription, 'master');
      harness.post({ type: 'testRequest/error', text: 'done' });
    });

    it('shows the host’s refusal at its field', async () => {
      const { page } = harness;
      await page.locator('input[data-transport="direct"]').check();
      await page.locator('input[data-field="directUrl"]').waitFor({ timeout: 5000 });
      await page.locator('input[data-field="directUrl"]').fill('http://10.9.9.9:5000');
      harness.post({ type: 'testRequest/error', text: 'The address is scheme, host and port only', field: 'directUrl' });
      await until('field marked', async () => (await page.locator('input[data-field="directUrl"]').getAttribute('aria-invalid')) === 'true');
    });

    it('lists the history and asks for an entry when clicked', async () => {
      const { page } = harness;
      harness.post({ type: 'testRequest/history', entries: [
        { id: 2, sentAt: '2026-11-27T18:00:05.000Z', gateway: 'rb-arc-aks-apimgw (apim, rb-arc-aks)', method: 'GET', path: '/echo/resource?param1=<b>x</b>', outcome: '200', ok: true, transport: 'service proxy' },
        { id: 1, sentAt: '2026-11-27T18:00:00.000Z', gateway: 'rb-arc-aks-apimgw (apim, rb-arc-aks)', method: 'GET', path: '/echo/resource', outcome: '404', ok: false, transport: 'curl pod' },
      ] });
      await page.locator('.history-item').nth(1).waitFor({ timeout: 5000 });
      assert.match((await page.locator('.history-item').first().textContent()) ?? '', /200GET \/echo\/resource\?param1=<b>x<\/b>/);
      await page.locator('.history-item').nth(1).click();
      await until('history message', () => fromView.some((m) => m.type === 'testRequest/showHistory'));
      assert.deepEqual(fromView.find((m) => m.type === 'testRequest/showHistory'), { type: 'testRequest/showHistory', id: 1 });
      harness.post({ type: 'testRequest/result', result, attempt: 0, historyId: 1, live: false });
      await until('read-only result', async () => (await page.locator('section.summary .note').count()) === 1);
      assert.equal(await page.locator('button.fix').count(), 0, 'an earlier result offers no fix buttons');
      assert.deepEqual(harness.console.filter((l) => /error|refused/i.test(l)), []);
    });
  });
});
