// Deploy APIM Gateway to Kubernetes in the real workbench, on a cluster reached through the kubeconfig alone (no
// Arc): the palette command and its prompts, the manifests reviewed in an untitled YAML editor with the token as a
// placeholder, Apply (server-side apply) with the pods coming up, a test request through the new Service answered
// 200 with the gateway's record, then Uninstall with its confirmation. World blog-deployed: the gateway resource
// exists with the Echo and Dummy APIs; the sandbox's kubeconfig context rb-arc-aks plays any cluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { palette, testRequestView, toast } from './journeySteps.ts';
import { answer, confirm, openGatewaysView, pick, withFailureScreenshot, worldWorkbench } from './workbench.ts';

describe('e2e: Deploy APIM Gateway to Kubernetes — reviewed YAML → Apply → 200 → Uninstall', () => {
  const world = worldWorkbench('blog-deployed');

  it('deploys from the palette, serves a 200 through the new Service, and uninstalls', { timeout: 420_000 }, async () => {
    await withFailureScreenshot(world.workbench, 'deploy-kubernetes', journey);
  });

  async function journey(): Promise<void> {
    const { workbench, sandbox } = world;
    const { page } = workbench;
    const shots: string[] = [];
    await openGatewaysView(page);
    await page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /^Kubernetes/ }).first().waitFor({ timeout: 60_000 });

    await palette(page, 'Deploy APIM Gateway to Kubernetes…');
    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'rb-arc-gateway');
    await pick(page, 'kubeconfig context of the cluster', 'rb-arc-aks');
    await answer(page, 'Namespace (created if missing', 'edge');
    await answer(page, 'Name of the Deployment and Service');
    await answer(page, 'Gateway image tag');
    await answer(page, 'Replicas (at least 1)');
    await pick(page, 'Kubernetes Service type in front of the gateway', 'ClusterIP');
    await answer(page, 'Service port for http');
    await answer(page, 'Service port for https');
    await pick(page, 'Gateway log format (telemetry.logs.std)', 'text');

    // The review editor: the four objects, the token a placeholder.
    const review = toast(page, 'Review the manifests of gateway rb-arc-gateway for rb-arc-aks/edge');
    await review.waitFor({ timeout: 60_000 });
    const editor = page.locator('.editor-instance .view-lines').first();
    await editor.filter({ hasText: /kind:.Secret/ }).waitFor({ timeout: 30_000 });
    const text = (await editor.textContent()) ?? '';
    assert.match(text, /GatewayKey.<token>/);
    assert.match(text, /name:.rb-arc-gateway-token/);
    shots.push(await workbench.screenshot('deploy-kubernetes-review'));

    await review.getByRole('button', { name: 'Apply' }).click();
    await toast(page, /deployed to rb-arc-aks as rb-arc-gateway in namespace edge: 1 pod: 1 Running \(1\/1 ready\)/).waitFor({ timeout: 180_000 });
    const afterApply = (await page.locator('.editor-instance .view-lines').first().textContent()) ?? '';
    assert.doesNotMatch(afterApply, /GatewayKey.(?!<token>)\S+&/, 'the review editor never receives the token');
    shots.push(await workbench.screenshot('deploy-kubernetes-applied'));

    // A test request to the new Service, over http to the Dummy API (http and https, no key): 200.
    await palette(page, 'Send Test Request');
    // The only kubeconfig context is not asked; which of its two gateway Deployments is.
    await pick(page, 'Gateway Deployments in rb-arc-aks', 'rb-arc-gateway');
    const view = testRequestView(page);
    const preview = view.locator('[data-role="preview"]');
    // The deployment recorded its APIM gateway: no question which one it runs.
    await preview.waitFor({ timeout: 60_000 });
    await view.locator('select[data-field="api"]').selectOption('dummy');
    await view.locator('select[data-field="operation"]').selectOption('list-items');
    assert.match((await view.locator('select[data-field="port"]').textContent()) ?? '', /8080 http/);
    assert.equal(await preview.textContent(), 'GET http://rb-arc-gateway.edge:8080/dummy/items');
    await view.locator('input[data-transport="curl-pod"]').check();
    await view.locator('button.send').click();
    const status = view.locator('h2.status');
    await status.filter({ hasText: '200' }).waitFor({ timeout: 120_000 });
    assert.match((await view.locator('section.record h3').first().textContent()) ?? '', /Gateway request record \(pod rb-arc-gateway-/);
    shots.push(await workbench.screenshot('deploy-kubernetes-200'));

    // Uninstall: the confirmation lists what is deleted and what is kept.
    await palette(page, 'Uninstall Gateway from Kubernetes…');
    await pick(page, 'kubeconfig context', 'rb-arc-aks');
    await pick(page, 'Gateway Deployments in rb-arc-aks', 'rb-arc-gateway');
    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: /Uninstall gateway rb-arc-gateway from rb-arc-aks\?/ });
    await dialog.waitFor({ timeout: 30_000 });
    const detail = (await dialog.textContent()) ?? '';
    assert.match(detail, /Deleted: Deployment edge\/rb-arc-gateway, Service edge\/rb-arc-gateway, ConfigMap edge\/rb-arc-gateway-env, Secret edge\/rb-arc-gateway-token/);
    assert.match(detail, /Kept: namespace edge/);
    shots.push(await workbench.screenshot('deploy-kubernetes-uninstall-confirm'));
    await confirm(page, /Uninstall gateway rb-arc-gateway/, 'Uninstall');
    await toast(page, 'Uninstalled rb-arc-gateway from rb-arc-aks').waitFor({ timeout: 60_000 });
    shots.push(await workbench.screenshot('deploy-kubernetes-uninstalled'));

    assert.equal(await page.locator('.notifications-toasts .codicon-error').count(), 0, 'no error notification');
    assert.ok(!workbench.console.some((l) => l.includes(sandbox.info.armToken)), 'the ARM token never reached the browser console');
    assert.ok(!workbench.console.some((l) => /GatewayKey (?!<token>)\S+&\d{12}&/.test(l)), 'no gateway token in the browser console');
    console.log(`screenshots: ${shots.join(' ')}`);
  }
});
