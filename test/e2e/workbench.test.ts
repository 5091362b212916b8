// The real workbench in Chromium: our activity-bar entry and the Gateways view, with and without a kubeconfig.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openGatewaysView, openWorkbench, type Workbench } from './workbench.ts';

describe('workbench: Arc APIM Gateway view', () => {
  describe('with no kubeconfig', () => {
    let workbench: Workbench;
    before(async () => {
      workbench = await openWorkbench({ env: { KUBECONFIG: path.join(os.tmpdir(), 'arc-apim-no-such-kubeconfig') } });
    });
    after(async () => workbench?.close());

    it('shows the activity-bar entry and the Gateways view with its welcome content', async () => {
      const { page } = workbench;
      await openGatewaysView(page);
      const welcome = page.locator('.welcome-view-content').filter({ hasText: 'No Kubernetes cluster or Azure account is connected yet' });
      await welcome.waitFor({ timeout: 30_000 });
      assert.ok(await welcome.getByRole('button', { name: 'Choose a kubeconfig' }).isVisible());
      await workbench.screenshot('workbench-welcome');
    });
  });

  describe('with a kubeconfig', () => {
    let workbench: Workbench;
    before(async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'arc-apim-e2e-'));
      const kubeconfig = path.join(dir, 'config');
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters: [{name: lab, cluster: {server: "https://127.0.0.1:1"}}]',
          'users: [{name: lab, user: {token: not-used}}]',
          'contexts: [{name: lab-context, context: {cluster: lab, user: lab, namespace: apim}}]',
          'current-context: lab-context',
          '',
        ].join('\n'),
      );
      workbench = await openWorkbench({ env: { KUBECONFIG: kubeconfig } });
    });
    after(async () => workbench?.close());

    it('lists the kubeconfig contexts under Kubernetes', async () => {
      const { page } = workbench;
      await openGatewaysView(page);
      const view = page.locator('.part.sidebar');
      await view.locator('.monaco-list-row').filter({ hasText: 'Kubernetes' }).first().waitFor({ timeout: 30_000 });
      const context = view.locator('.monaco-list-row').filter({ hasText: 'lab-context' }).first();
      await context.waitFor({ timeout: 30_000 });
      assert.match((await context.textContent()) ?? '', /current/);
      await workbench.screenshot('workbench-kubernetes');
    });
  });
});
