// Our right-click actions in Microsoft's own Azure Resources explorer (ms-azuretools.vscode-azureresourcegroups),
// the real extension from its .vsix, in the real workbench, against the sandbox (world blog-deployed): signed in
// through the test-only `microsoft-sovereign-cloud` provider (VS Code's "wants to sign in" prompt clicked Allow),
// hidden types shown through our own prompt, then every command we contribute to the explorer run on the explorer's
// items, and none offered on its group headers. Skipped, saying why, when the .vsix is not available.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import type { Page } from '../../scripts/lib/browser.ts';
import { repoRoot } from '../../scripts/lib/code-server.ts';
import { azureResourcesEnv, azureResourcesSettings, azureResourcesVsix, sandboxAuthExtension } from '../extensions/azureResources.ts';
import { answer, confirm, expand, pick, quickInput, row, until, withFailureScreenshot, worldWorkbench } from './workbench.ts';

const explorer = azureResourcesVsix();
/** What this test runs from the explorer; package.json must contribute exactly these to it (checked below). */
const EXERCISED = ['arcApimGateway.deployGatewayToArc', 'arcApimGateway.azure.tailArcGatewayLogs', 'arcApimGateway.createGateway', 'arcApimGateway.copyConfigurationEndpoint', 'arcApimGateway.sendTestRequest'];
const OUR_EXPLORER_COMMANDS = /Deploy APIM Gateway to Arc Cluster|Tail Gateway Logs|Create Self-Hosted Gateway|Copy Configuration Endpoint|Send Test Request/;

const expand60 = (page: Page, text: string | RegExp): Promise<void> => expand(page, text, 60_000);

/** Right-clicks `item`; returns the labels of the context menu that opened (the menu stays open). */
async function contextMenu(page: Page, item: Locator): Promise<string[]> {
  await item.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ timeout: 10_000 });
  await menu.getByRole('menuitem').first().waitFor({ timeout: 10_000 });
  return (await menu.getByRole('menuitem').allTextContents()).map((t) => t.trim()).filter((t) => t !== '');
}

/** Runs the menu entry named `name` with the keyboard (VS Code's menus ignore a click right after they open). */
async function runMenuItem(page: Page, name: RegExp): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  const labels = (await menu.getByRole('menuitem').allTextContents()).map((t) => t.trim());
  const index = labels.findIndex((l) => name.test(l));
  assert.ok(index >= 0, `${name} in the menu: ${labels.join(' | ')}`);
  for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
  await until(`${name} focused`, async () => name.test((await page.evaluate(() => document.activeElement?.textContent)) ?? ''), 5_000);
  await page.keyboard.press('Enter');
}

async function toast(page: Page, text: string): Promise<void> {
  await page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first().waitFor({ timeout: 60_000 });
}

it('every command contributed to the Azure Resources explorer is exercised below', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, Array<{ command: string; when?: string }>> } };
  const contributed = new Set((manifest.contributes.menus['view/item/context'] ?? []).filter((m) => /azureResourceGroups|azureFocusView/.test(m.when ?? '')).map((m) => m.command));
  assert.deepEqual([...contributed].sort(), [...EXERCISED].sort());
});

describe('e2e: our actions in the real Azure Resources explorer', { skip: explorer.available ? false : explorer.why }, () => {
  const world = worldWorkbench('blog-deployed', {
    workbench: (sandbox) => {
      const info = sandbox.info as { armEndpoint: string; caFile: string; armToken: string };
      return {
        extraVsix: [explorer.path],
        extraExtensionFolders: [sandboxAuthExtension],
        env: { ...sandbox.env, ...azureResourcesEnv(info) },
        settings: { ...sandbox.settings, ...azureResourcesSettings(info) },
      };
    },
  });

  it('signs in, shows hidden types, and runs each contributed action on the explorer items', { timeout: 300_000 }, async () => {
    await withFailureScreenshot(world.workbench, 'azure-resources', journey);
  });

  async function journey(): Promise<void> {
    const { workbench, sandbox } = world;
    const { page } = workbench;
    const azure = page.locator('.activitybar [role="tab"][aria-label^="Azure"], .activitybar a[aria-label^="Azure"]').first();
    await azure.waitFor({ timeout: 60_000 });
    await azure.click();
    await row(page, /Sign in to Azure/).click();
    await confirm(page, /The extension 'Azure Resources' wants to sign in using Sandbox cloud/, 'Allow');
    await expand60(page, 'Visual Studio Enterprise');
    // Opening the explorer activates us (onView:azureResourceGroups): our one-time hint, with its button.
    const hint = page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Arc-enabled clusters and API Management services are hidden in Azure Resources' });
    await hint.waitFor({ timeout: 60_000 });
    console.log(`screenshot: ${await workbench.screenshot('azure-resources-hidden-types-hint')}`);
    await hint.getByRole('button', { name: 'Show Them' }).click();

    // The group headers: none of our actions (their contextValue names the type too, but has no hasPortalUrl).
    for (const header of ['KubernetesConnectedClusters', 'ApiManagementService']) {
      const labels = await contextMenu(page, row(page, new RegExp(`^${header}$`)));
      assert.ok(!labels.some((l) => OUR_EXPLORER_COMMANDS.test(l)), `${header} header offers ${labels.join(' | ')}`);
      await page.keyboard.press('Escape');
    }

    // The Arc cluster: Deploy… starts with this cluster chosen (no cluster step; names default to it).
    await expand60(page, /^KubernetesConnectedClusters$/);
    const cluster = row(page, /^rb-arc-aks$/);
    const clusterMenu = await contextMenu(page, cluster);
    assert.ok(clusterMenu.some((l) => /^Deploy APIM Gateway to Arc Cluster…/.test(l)), clusterMenu.join(' | '));
    assert.ok(clusterMenu.some((l) => /^Tail Gateway Logs/.test(l)), clusterMenu.join(' | '));
    console.log(`screenshot: ${await workbench.screenshot('azure-resources-cluster-menu')}`);
    await runMenuItem(page, /^Deploy APIM Gateway to Arc Cluster…/);
    const firstStep = quickInput(page).locator('.quick-input-box input');
    await firstStep.waitFor({ timeout: 30_000 });
    assert.match((await firstStep.getAttribute('placeholder')) ?? '', /^API Management service/, 'the first question is the service: the cluster came from the item');
    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'Create a new self-hosted gateway…');
    await quickInput(page).filter({ hasText: 'Name of the new gateway' }).waitFor({ timeout: 30_000 });
    assert.equal(await quickInput(page).locator('.quick-input-box input').inputValue(), 'rb-arc-aks-gateway', 'named after the cluster it was started on');
    await page.keyboard.press('Escape');
    await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });

    // Tail Gateway Logs on the cluster: its gateway extension's logs open.
    await contextMenu(page, cluster);
    await runMenuItem(page, /^Tail Gateway Logs/);
    await page.locator('.tabs-container .tab').filter({ hasText: /^Logs: .*rb-arc-aks-apimgw/ }).waitFor({ timeout: 60_000 });
    const logs = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await logs.locator('.table').waitFor({ timeout: 60_000 });

    // The APIM service: Create Self-Hosted Gateway… in this service (no service step).
    await expand60(page, /^ApiManagementService$/);
    const service = row(page, /^rb-azure-apim$/);
    const serviceMenu = await contextMenu(page, service);
    for (const name of [/^Create Self-Hosted Gateway…/, /^Copy Configuration Endpoint/, /^Send Test Request/]) {
      assert.ok(serviceMenu.some((l) => name.test(l)), `${name} in ${serviceMenu.join(' | ')}`);
    }
    assert.ok(!serviceMenu.some((l) => /Deploy APIM Gateway|Tail Gateway Logs/.test(l)), `cluster actions on a service: ${serviceMenu.join(' | ')}`);
    console.log(`screenshot: ${await workbench.screenshot('azure-resources-apim-menu')}`);
    await runMenuItem(page, /^Create Self-Hosted Gateway…/);
    // The first question already names the service (no service step: 1 of 5).
    await quickInput(page).filter({ hasText: 'Gateway name in rb-azure-apim' }).filter({ hasText: '(1/5)' }).waitFor({ timeout: 30_000 });
    await answer(page, 'Gateway name in rb-azure-apim', 'explorer-gw');
    await answer(page, 'Location name', 'explorer');
    await answer(page, 'City (optional)');
    await answer(page, 'Country or region (optional)');
    await answer(page, 'Description (optional)');
    await toast(page, 'Created self-hosted gateway explorer-gw in rb-azure-apim.');

    // Copy Configuration Endpoint of this service.
    await contextMenu(page, service);
    await runMenuItem(page, /^Copy Configuration Endpoint/);
    await toast(page, 'Copied the configuration endpoint of rb-azure-apim: https://rb-azure-apim.configuration.azure-api.net');

    // Send Test Request: which of this service's gateways, then the form for its Deployment.
    await contextMenu(page, service);
    await runMenuItem(page, /^Send Test Request/);
    await pick(page, 'Self-hosted gateway', 'rb-arc-gateway');
    // Where that gateway runs: the only kubeconfig context, not asked.
    const testTab = page.locator('.tabs-container .tab').filter({ hasText: 'Test: rb-arc-aks-apimgw' });
    const deploymentStep = quickInput(page).locator('input[placeholder^="Gateway Deployments in rb-arc-aks"]');
    await testTab.or(deploymentStep).first().waitFor({ timeout: 60_000 });
    if (await deploymentStep.isVisible()) await pick(page, 'Gateway Deployments in rb-arc-aks', 'rb-arc-aks-apimgw');
    await page.locator('.tabs-container .tab').filter({ hasText: 'Test: rb-arc-aks-apimgw' }).waitFor({ timeout: 60_000 });
    const form = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
    await form.locator('[data-role="preview"]').waitFor({ timeout: 60_000 });

    const errors = await page.locator('.notifications-toasts .codicon-error').count();
    assert.equal(errors, 0, 'no error notification');
    assert.ok(!workbench.console.some((l) => l.includes(sandbox.info.armToken)), 'the ARM token never reached the browser console');
  }
});
