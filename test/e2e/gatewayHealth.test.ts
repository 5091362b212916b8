// Check Gateway Health in the real workbench, clicked through like a user on the sandbox's world `blog-deployed`
// whose gateway token has expired (the sandbox's break mode `expired-token`: an expired token in the Secret and the
// pod restarted since): the palette command, its QuickPicks, the view naming the expired token first with its fix;
// the fix runs Rotate Gateway Token for the view's Deployment, its QuickPicks clicked through (the new token written
// where the gateway reads it, the pods rolled), and the view checked again: the token and the configuration pass.
// Screenshots of each state go to test-results/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { palette } from './journeySteps.ts';
import { answer, openGatewaysView, pick, withFailureScreenshot, worldWorkbench, type RunningSandbox } from './workbench.ts';

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
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function secretToken(sandbox: RunningSandbox): Promise<string> {
  const read = await kube(sandbox, 'GET', `/api/v1/namespaces/${NS}/secrets/${SECRET}`, undefined);
  assert.equal(read.status, 200, read.text);
  const secret = JSON.parse(read.text) as { data: Record<string, string> };
  return Buffer.from(secret.data['gateway-key'] ?? '', 'base64').toString('utf8');
}

describe('e2e: Check Gateway Health in the real workbench — expired token → Rotate Gateway Token → healthy token', () => {
  const world = worldWorkbench('blog-deployed', {
    prepare: async (sandbox) => {
      const broke = await kube(sandbox, 'POST', '/sandbox/v1/faults/breakGateway', { mode: 'expired-token', namespace: NS, deployment: DEPLOYMENT });
      assert.equal(broke.status, 200, broke.text);
    },
  });

  it('shows the expired token with its fix, and the token check passes once it is rotated', { timeout: 300_000 }, async () => {
    await withFailureScreenshot(world.workbench, 'gateway-health', journey);
  });

  async function journey(): Promise<void> {
    const { workbench, sandbox } = world;
    const { page } = workbench;
    await openGatewaysView(page);
    await page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /^Kubernetes/ }).first().waitFor({ timeout: 60_000 });
    // The only kubeconfig context and its only gateway Deployment: nothing to ask.
    await palette(page, 'Check Gateway Health');

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

    // The fix: Rotate Gateway Token for the view's Deployment — it knows where the token lives (the Arc extension that
    // owns the release) and which gateway, so it asks only for the key and the lifetime; then the token is written,
    // the pods roll and the result is read back from the cluster.
    const oldToken = await secretToken(sandbox);
    await first.locator('button[data-fix="open-token-wizard"]').click();
    await pick(page, 'Key that signs the token', 'primary');
    await answer(page, 'Token lifetime in days');
    await page.locator('.notifications-toasts').filter({ hasText: new RegExp(`${DEPLOYMENT} now runs a primary-key token that expires`) }).waitFor({ timeout: 120_000 });
    const newToken = await secretToken(sandbox);
    assert.notEqual(newToken, oldToken, 'the rotation replaced the running token');
    assert.match(newToken, /^GatewayKey rb-arc-gateway&\d{12}&/);
    await workbench.screenshot('gateway-health-rotated');

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
    // What remains: the blog's own 404 cause and a notice. The APIM gateway is known from the Arc extension's
    // settings (no question asked), so the Service-vs-APIs check runs: Echo API accepts only https while the
    // Service exposes only http. And one replica.
    assert.deepEqual(await view.locator('.finding').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-code'))), ['service-ports-mismatch', 'single-replica']);
    assert.match((await view.locator('.finding[data-code="service-ports-mismatch"]').textContent()) ?? '', /Echo API/);
    assert.equal(await view.locator('li.check[data-check="service-ports"]').getAttribute('data-status'), 'failed');
    // Degraded, not Failing: the gateway runs and syncs; requests over http to an https-only API get 404.
    assert.equal(await view.locator('h2.overall').textContent(), 'Degraded');
    await workbench.screenshot('gateway-health-renewed');
  }
});
