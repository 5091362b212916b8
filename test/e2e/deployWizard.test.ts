// The deploy wizard in the real workbench, driven like a user: right-click the Arc cluster in the Gateways tree,
// answer every QuickPick / InputBox, watch ARM install the extension, and end with the gateway's pod Running in the
// tree. Against the sandbox (world blog-start), signed in through the real Azure CLI credential and the sandbox's az.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import type { Page } from '../../scripts/lib/browser.ts';
import { answer, openGatewaysView, openWorkbench, pick, quickInput, startSandbox, type RunningSandbox, type Workbench } from './workbench.ts';

function row(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
}

/** Expands a collapsed tree row (a click on a collapsed row toggles it). */
async function expand(page: Page, text: string | RegExp): Promise<void> {
  const r = row(page, text);
  await r.waitFor({ timeout: 30_000 });
  if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
}

describe('e2e: Deploy APIM Gateway to Arc Cluster through the real QuickPicks', () => {
  let sandbox: RunningSandbox;
  let workbench: Workbench;

  before(async () => {
    sandbox = await startSandbox('blog-start');
    workbench = await openWorkbench({ env: sandbox.env, settings: sandbox.settings });
  });

  after(async () => {
    await workbench?.close();
    await sandbox?.close();
  });

  it('creates a gateway and deploys it to rb-arc-aks; the tree ends with the pod Running', { timeout: 240_000 }, async () => {
    try {
      await journey();
    } catch (error) {
      // What the workbench showed when it went wrong is the fastest way to see why.
      await workbench.screenshot('deploy-wizard-failure').catch(() => undefined);
      throw error;
    }
  });

  async function journey(): Promise<void> {
    const { page } = workbench;
    await openGatewaysView(page);
    await row(page, /^Azure/).waitFor({ timeout: 60_000 });
    await expand(page, 'Visual Studio Enterprise');
    await expand(page, 'Arc-enabled Kubernetes');
    // The Arc cluster (Azure side), not the kubeconfig context of the same name further down.
    const cluster = row(page, /^rb-arc-aksConnected/);
    await cluster.waitFor({ timeout: 30_000 });
    assert.match((await cluster.textContent()) ?? '', /Connected · v1\.19\.11 · aks/);

    // Right-click → "Deploy APIM Gateway to Arc Cluster…" (the cluster comes from the item, so no cluster step).
    await cluster.click({ button: 'right' });
    // VS Code's menus ignore a click that arrives right after they open; the keyboard is what works every time.
    const menuItem = page.getByRole('menuitem', { name: /Deploy APIM Gateway to Arc Cluster/ });
    await menuItem.waitFor({ timeout: 10_000 });
    // The menu opens focused as a whole; ArrowDown focuses its first item (ours: group 1_provision).
    await page.keyboard.press('ArrowDown');
    assert.match((await page.evaluate(() => document.activeElement?.textContent)) ?? '', /Deploy APIM Gateway to Arc Cluster/);
    await page.keyboard.press('Enter');

    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'Create a new self-hosted gateway…');
    await answer(page, 'Name of the new gateway', 'rb-arc-gateway');
    await answer(page, 'Extension name');
    await answer(page, 'Kubernetes namespace for the gateway');
    // The summary, the 6th and last step from the cluster (even with a new gateway): what will be created and the
    // equivalent command, before any ARM call; its settings keep their defaults here (Enter deploys).
    const summary = quickInput(page);
    await summary.locator('input[placeholder^="Deploy rb-arc-gateway to rb-arc-aks"]').waitFor({ timeout: 30_000 });
    const text = (await summary.textContent()) ?? '';
    assert.match(text, /6\s*\/\s*6/, `the summary is step 6 of 6: ${text}`);
    assert.match(text, /self-hosted gateway rb-arc-gateway in rb-azure-apim \(location rb-arc-aks\)/);
    assert.match(text, /Copy equivalent command/);
    assert.match(text, /az k8s-extension create --cluster-type connectedClusters --cluster-name rb-arc-aks .*--config-protected-settings 'gateway\.auth\.token=<token>'/);
    await workbench.screenshot('deploy-wizard-summary');
    await pick(page, 'Deploy rb-arc-gateway to rb-arc-aks', 'Deploy');

    // ARM installs the chart; when it is done the extension is revealed with its pod and Service.
    const extension = row(page, /^rb-arc-aks-apimgw(Succeeded|Creating|Failed)/);
    await extension.waitFor({ timeout: 120_000 });
    await page.locator('.notifications-toasts').filter({ hasText: 'deployed to rb-arc-aks as rb-arc-aks-apimgw' }).waitFor({ timeout: 120_000 });
    assert.match((await extension.textContent()) ?? '', /Succeeded · chart v[\d.]+ · ClusterIP · current settings/);
    await expand(page, /^rb-arc-aks-apimgwSucceeded/);
    const pod = row(page, /^rb-arc-aks-apimgw-[a-z0-9]+-[a-z0-9]+/);
    await pod.filter({ hasText: 'Running · 1/1 ready' }).waitFor({ timeout: 60_000 });
    await row(page, 'rb-arc-aks-apimgw-azure-api-management-gateway').waitFor({ timeout: 30_000 });
    const file = await workbench.screenshot('deploy-wizard-pods-running');

    const errors = await page.locator('.notifications-toasts .codicon-error').count();
    assert.equal(errors, 0, 'no error notification');
    assert.ok(!workbench.console.some((l) => l.includes(sandbox.info.armToken)), 'the ARM token never reached the browser console');
    console.log(`screenshot: ${file}`);
  }
});
