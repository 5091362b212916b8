// The journey the product exists for, in one piece, in the real workbench (Chromium) from the world `blog-start`
// (signed in, an APIM service with the auto-created Echo API, an Arc cluster, no gateway yet): Create Self-Hosted
// Gateway → Deploy to the Arc cluster → pods Running → assign the Echo API → Send Test Request over http → 404
// explained as HTTPS-only → Allow HTTP → 401 → a subscription's key → 200 → Tail Gateway Logs shows the three request
// records → Rotate Gateway Token → still 200 → Uninstall the extension → Delete the gateway. A screenshot per step
// goes to test-results/journey-*.png.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { echo404To200, palette, testRequestView, toast } from './journeySteps.ts';
import { answer, confirm, expand, openGatewaysView, pick, quickInput, row, until, withFailureScreenshot, worldWorkbench } from './workbench.ts';

const SERVICE = 'rb-arc-aks-apimgw-azure-api-management-gateway';

describe('e2e: the whole journey — empty world → 200 → logs → rotate → 200 → uninstall → delete', () => {
  const world = worldWorkbench('blog-start');

  it('goes from a signed-in tree to a 200 and back to an empty world', { timeout: 600_000 }, async () => {
    await withFailureScreenshot(world.workbench, 'journey', journey);
  });

  async function journey(): Promise<void> {
    const { workbench, sandbox } = world;
    const { page } = workbench;
    const shots: string[] = [];
    const shot = async (name: string) => {
      const file = await workbench.screenshot(`journey-${name}`);
      shots.push(file);
      return file;
    };
    const sidebarRow = (text: string | RegExp) => row(page, text);

    // 1. Signed in: the tree shows the subscription.
    await openGatewaysView(page);
    await sidebarRow(/^Azure/).waitFor({ timeout: 60_000 });
    await sidebarRow('Visual Studio Enterprise').waitFor({ timeout: 60_000 });
    await shot('01-signed-in');

    // 2. Create Self-Hosted Gateway.
    await palette(page, 'Create Self-Hosted Gateway');
    await pick(page, 'API Management service', 'rb-azure-apim');
    await answer(page, 'Gateway name in rb-azure-apim', 'rb-arc-gateway');
    await answer(page, 'Location name', 'rb-arc');
    await answer(page, 'City (optional)');
    await answer(page, 'Country or region (optional)');
    await answer(page, 'Description (optional)');
    await toast(page, 'Created self-hosted gateway rb-arc-gateway in rb-azure-apim').waitFor({ timeout: 60_000 });
    await shot('02-gateway-created');

    // 3. Deploy to the Arc cluster; the pods come up.
    await palette(page, 'Deploy APIM Gateway to Arc Cluster');
    await pick(page, 'Azure Arc-enabled Kubernetes cluster', 'rb-arc-aks');
    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'rb-arc-gateway');
    await answer(page, 'Extension name');
    await answer(page, 'Kubernetes namespace for the gateway');
    // The summary (what will be created, the equivalent az command) before any ARM call; its defaults are the blog's.
    await pick(page, 'Deploy rb-arc-gateway to rb-arc-aks', 'Deploy');
    await toast(page, 'deployed to rb-arc-aks as rb-arc-aks-apimgw').waitFor({ timeout: 180_000 });
    // The Azure side: the deployed extension is revealed under its cluster, with its pod Running and its Service.
    const pod = sidebarRow(/^rb-arc-aks-apimgw-[a-z0-9]+-[a-z0-9]+/);
    const extension = sidebarRow(/^rb-arc-aks-apimgw(Succeeded|Creating|Failed)/);
    await expand(page, 'Visual Studio Enterprise');
    await expand(page, 'Arc-enabled Kubernetes');
    await expand(page, /^rb-arc-aksConnected/);
    await extension.waitFor({ timeout: 120_000 });
    assert.match((await sidebarRow(/^rb-arc-aksConnected/).textContent()) ?? '', /Connected · v1\.19\.11 · aks/);
    assert.match((await extension.textContent()) ?? '', /Succeeded · chart v[\d.]+ · ClusterIP · current settings/);
    await expand(page, /^rb-arc-aks-apimgwSucceeded/);
    await pod.filter({ hasText: 'Running · 1/1 ready' }).waitFor({ timeout: 60_000 });
    await sidebarRow(SERVICE).waitFor({ timeout: 30_000 });
    await shot('03-extension-deployed');
    // Collapsed again, so that the pod found next is the Kubernetes side's.
    await extension.click();
    await pod.waitFor({ state: 'detached', timeout: 30_000 });
    // The Kubernetes side of the tree: context → namespace apim → the Deployment → its pod Running.
    await expand(page, /^rb-arc-akscurrent/, 60_000);
    await expand(page, /^rb-arc-aks-apimgw\d+\/\d+ ready/, 60_000);
    await pod.filter({ hasText: 'Running · 1/1 ready' }).waitFor({ timeout: 90_000 });
    await shot('03-pods-running');

    // 4. Assign the Echo API.
    await palette(page, 'Assign APIs to Gateway');
    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'rb-arc-gateway');
    const apis = quickInput(page).locator('input[placeholder^="APIs to serve on rb-arc-gateway"]');
    await apis.waitFor({ timeout: 30_000 });
    await apis.fill('Echo API');
    const echoRow = quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Echo API' }).first();
    await echoRow.waitFor({ timeout: 30_000 });
    await echoRow.locator('.quick-input-list-checkbox, input[type="checkbox"], .monaco-custom-toggle').first().click();
    await apis.press('Enter');
    await toast(page, /Echo API|echo-api/).waitFor({ timeout: 60_000 });
    await shot('04-echo-assigned');

    // 5–8. Send Test Request over http: 404 explained → Allow HTTP → 401 → key → 200.
    // The only kubeconfig context and its only gateway Deployment: not asked.
    await palette(page, 'Send Test Request');
    const preview = testRequestView(page).locator('[data-role="preview"]');
    const binding = quickInput(page).locator('input[placeholder^="Which API Management gateway does rb-arc-aks-apimgw"]');
    await Promise.race([preview.waitFor({ timeout: 60_000 }), binding.waitFor({ timeout: 60_000 })]);
    assert.equal(await binding.isVisible(), false, 'a gateway deployed from here is not asked for its APIM gateway');
    shots.push(...await echo404To200(page, { base: `http://${SERVICE}.apim:8080`, port: 8080, deployment: 'rb-arc-aks-apimgw' }, (name) => workbench.screenshot(`journey-05-${name}`)));

    // 9. Tail Gateway Logs: the three request records.
    await palette(page, 'Tail Gateway Logs');
    const logs = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await logs.locator('input.filter').waitFor({ timeout: 60_000 });
    await logs.locator('input.filter').fill('/echo/resource');
    const rows = logs.locator('.layer .row:not([hidden])');
    const deadline = Date.now() + 60_000;
    let texts: string[] = [];
    for (;;) {
      texts = await rows.allTextContents();
      if (['404', '401', '200'].every((s) => texts.some((t) => t.includes(s)))) break;
      assert.ok(Date.now() < deadline, `the three records never showed: ${texts.join(' | ')}`);
      await page.waitForTimeout(500);
    }
    // Three, or more when the gateway needed a Retry to pick Allow HTTP up (each attempt is a record of its own).
    // The count is rendered after the rows: wait for it to show the filter's matches.
    let countText = '';
    const matching = async (): Promise<number> => {
      countText = (await logs.locator('.count').textContent()) ?? '';
      return Number(/^([\d,]+) of /.exec(countText)?.[1]?.replace(/,/g, '') ?? '0');
    };
    await until('at least three matching records in the count', async () => (await matching()) >= 3, 30_000).catch((error: unknown) => {
      throw new Error(`${String(error)}; the count says "${countText}"`);
    });
    await shot('09-logs');

    // 10. Rotate Gateway Token from the palette: the gateway, its deployment (the Arc extension, with its running
    // token's expiry), the key and the lifetime; the token is written, the pods roll, the sync is verified. The same
    // request is still 200.
    await palette(page, 'Rotate Gateway Token');
    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'rb-arc-gateway');
    await pick(page, 'The deployment whose token to replace', 'rb-arc-aks-apimgw');
    await pick(page, 'Key that signs the token', 'secondary');
    await answer(page, 'Token lifetime in days');
    await toast(page, /rb-arc-aks-apimgw now runs a secondary-key token that expires/).waitFor({ timeout: 180_000 });
    assert.equal(await toast(page, /was replaced, but:/).count(), 0, 'the rotation reported no problem');
    await shot('10-token-rotated');
    await palette(page, 'Send Test Request');
    const request = testRequestView(page);
    const history = request.locator('.history-item');
    const sent = await history.count();
    await request.locator('button.send').click();
    await until('the request sent after the rotation to come back', async () => (await history.count()) > sent, 90_000);
    assert.equal(await request.locator('h2.status').textContent(), '200', 'still 200 with the rotated token, first time');
    await shot('10-still-200');

    // 11. Uninstall the extension, then delete the gateway.
    await palette(page, 'Uninstall Gateway Extension');
    await pick(page, 'Azure Arc-enabled Kubernetes cluster', 'rb-arc-aks');
    await pick(page, 'Gateway extension to uninstall', 'rb-arc-aks-apimgw');
    await confirm(page, /Uninstall rb-arc-aks-apimgw from rb-arc-aks\?/, 'Uninstall');
    await toast(page, 'Uninstalled rb-arc-aks-apimgw from rb-arc-aks').waitFor({ timeout: 180_000 });
    await shot('11-uninstalled');
    await palette(page, 'Delete Gateway');
    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'rb-arc-gateway');
    await confirm(page, /Delete self-hosted gateway rb-arc-gateway/, 'Delete');
    await toast(page, 'Deleted self-hosted gateway rb-arc-gateway').waitFor({ timeout: 60_000 });
    await shot('12-gateway-deleted');

    assert.equal(await page.locator('.notifications-toasts .codicon-error').count(), 0, 'no error notification');
    assert.ok(!workbench.console.some((l) => l.includes(sandbox.info.armToken)), 'the ARM token never reached the browser console');
    assert.ok(!workbench.console.some((l) => /GatewayKey (?!<token>)\S+&\d{12}&/.test(l)), 'no gateway token in the browser console');
    console.log(`screenshots: ${shots.join(' ')}`);
  }
});
