// Check Gateway Health in the real workbench, clicked through like a user on the sandbox's world `blog-deployed`
// whose gateway token has expired (the sandbox's break mode `expired-token`: an expired token in the Secret and the
// pod restarted since): the palette command, its QuickPicks, the view naming the expired token first with its fix;
// the fix's token wizard clicked through; the new token put where the chart keeps it with a rollout restart — the
// user's step until Rotate Gateway Token exists — and the view checked again: the token and the configuration pass.
// Screenshots of both states go to test-results/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { answer, openGatewaysView, openWorkbench, pick, quickInput, startSandbox, type RunningSandbox, type Workbench } from './workbench.ts';

const NS = 'apim';
const DEPLOYMENT = 'rb-arc-aks-apimgw';
const SECRET = 'rb-arc-aks-apimgw-azure-api-management-gateway';

interface KubeAccess {
  readonly info: { readonly kubeApi: string; readonly token: string; readonly caFile: string };
}

function kube(sandbox: RunningSandbox, method: string, path: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const { info } = sandbox as unknown as KubeAccess;
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, info.kubeApi), { method, ca: readFileSync(info.caFile), headers: { Authorization: `Bearer ${info.token}`, 'Content-Type': contentType } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('e2e: Check Gateway Health in the real workbench — expired token → renew → healthy token', () => {
  let sandbox: RunningSandbox;
  let workbench: Workbench;

  before(async () => {
    sandbox = await startSandbox('blog-deployed');
    const broke = await kube(sandbox, 'POST', '/sandbox/v1/faults/breakGateway', { mode: 'expired-token', namespace: NS, deployment: DEPLOYMENT });
    assert.equal(broke.status, 200, broke.text);
    workbench = await openWorkbench({ env: sandbox.env, settings: sandbox.settings });
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('shows the expired token with its fix, and the token check passes once it is renewed', { timeout: 300_000 }, async () => {
    try {
      await journey();
    } catch (error) {
      await workbench.screenshot('gateway-health-failure').catch(() => undefined);
      throw error;
    }
  });

  async function journey(): Promise<void> {
    const { page } = workbench;
    await openGatewaysView(page);
    await page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /^Kubernetes/ }).first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('F1');
    const palette = quickInput(page).locator('.quick-input-box input');
    await palette.waitFor({ timeout: 30_000 });
    await palette.fill('>Arc APIM Gateway: Check Gateway Health');
    await quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Check Gateway Health' }).first().waitFor({ timeout: 30_000 });
    await palette.press('Enter');
    await pick(page, 'The kubeconfig context', 'rb-arc-aks');
    await pick(page, 'Gateway Deployments in rb-arc-aks', DEPLOYMENT);

    const view: FrameLocator = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    const recheck = view.locator('button', { hasText: 'Check Again' });
    const first = view.locator('.finding').first();
    // The restarted pod's 401 may take a moment to be written: check again until the finding rests on it.
    const deadline = Date.now() + 60_000;
    for (;;) {
      await view.locator('li.check').first().waitFor({ timeout: 60_000 });
      const text = (await first.textContent({ timeout: 1000 }).catch(() => '')) ?? '';
      if ((await first.getAttribute('data-code').catch(() => null)) === 'token-expired' && /401 \(Unauthorized\)/.test(text)) break;
      if (Date.now() > deadline) assert.fail(`the first finding never became the expired token: ${text}`);
      await recheck.click();
      await view.locator('.busy').filter({ hasText: /^$/ }).waitFor({ timeout: 30_000 });
    }
    assert.equal(await view.locator('h2.overall').textContent(), 'Failing');
    assert.equal(await view.locator('li.check[data-check="token"]').getAttribute('data-status'), 'failed');
    assert.equal(await view.locator('li.check').count(), 11);
    await workbench.screenshot('gateway-health-expired-token');

    // The fix: the token wizard (which gateway: not linked yet, so it asks), the token to the clipboard.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await first.locator('button[data-fix="open-token-wizard"]').click();
    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'rb-arc-gateway');
    await pick(page, 'Key that signs the token', 'primary');
    await answer(page, 'Token lifetime in days');
    await page.locator('.notifications-toasts').filter({ hasText: /Token for gateway rb-arc-gateway \(primary key\) copied to the clipboard/ }).waitFor({ timeout: 60_000 });
    const token = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(token, /^GatewayKey rb-arc-gateway&\d{12}&/);

    // The user's step: the new token where the chart keeps it, and a rollout restart.
    const patched = await kube(sandbox, 'PATCH', `/api/v1/namespaces/${NS}/secrets/${SECRET}`, { data: { 'gateway-key': Buffer.from(token).toString('base64') } }, 'application/merge-patch+json');
    assert.equal(patched.status, 200, patched.text);
    const restarted = await kube(sandbox, 'PATCH', `/apis/apps/v1/namespaces/${NS}/deployments/${DEPLOYMENT}`, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } }, 'application/strategic-merge-patch+json');
    assert.equal(restarted.status, 200, restarted.text);

    const healed = Date.now() + 90_000;
    for (;;) {
      await recheck.click();
      await view.locator('.busy').filter({ hasText: /^$/ }).waitFor({ timeout: 30_000 });
      const token = await view.locator('li.check[data-check="token"]').getAttribute('data-status');
      const configuration = await view.locator('li.check[data-check="configuration"]').getAttribute('data-status');
      if (token === 'passed' && configuration === 'passed') break;
      if (Date.now() > healed) assert.fail(`still token ${token}, configuration ${configuration}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // What remains is a notice: one replica. (Not linked to its APIM gateway in this fresh workbench, the view says
    // so, and the Service-vs-APIs check stays "not known" rather than failed.)
    assert.deepEqual(await view.locator('.finding').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-code'))), ['single-replica']);
    assert.equal(await view.locator('li.check[data-check="service-ports"]').getAttribute('data-status'), 'unknown');
    assert.equal(await view.locator('h2.overall').textContent(), 'Healthy');
    await workbench.screenshot('gateway-health-renewed');
  }
});
