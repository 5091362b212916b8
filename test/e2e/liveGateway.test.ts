// Living with a running gateway, in the real workbench (Chromium) against the sandbox's blog-start world: a new gateway
// is deployed from the Arc cluster with 2 replicas behind a LoadBalancer (set on the deploy summary), a client in this
// process streams requests at the Service's external address while Rotate Gateway Token… (tree context menu →
// QuickPicks) replaces the token and rolls the pods — 0 failed requests, every pod replaced, the tree showing the new
// expiry —, Update raises the replicas 2 → 3, and Uninstall updates both halves of the tree without Refresh.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from '../../scripts/lib/browser.ts';
import { contextMenu, toast } from './journeySteps.ts';
import { answer, confirm, expand, openGatewaysView, pick, quickInput, row, until, withFailureScreenshot, worldWorkbench } from './workbench.ts';

const EXTENSION = 'rb-arc-aks-apimgw';
const GATEWAY = 'rb-arc-gateway';
const NAMESPACE = 'apim';
const SERVICE = 'rb-arc-aks-apimgw-azure-api-management-gateway';

/** The part of the in-process sandbox this test reads (objects of the Kubernetes emulator, the APIM world). */
interface SandboxInside {
  readonly kube: {
    get(resource: string, namespace: string, name: string): unknown;
    list(resource: string, namespace: string, options?: { labelSelector?: string }): unknown[];
  };
  readonly world: {
    api(service: string, api: string): { operations: Map<string, unknown> } & Record<string, unknown>;
    putApi(service: string, input: Record<string, unknown>): unknown;
    assignApi(service: string, gateway: string, api: string): void;
  };
}

/** A multi-select QuickPick: check each item (a click on a row toggles it) and accept. */
async function pickMany(page: Page, placeholder: string, items: string[]): Promise<void> {
  const widget = quickInput(page);
  const input = widget.locator(`input[placeholder^="${placeholder}"]`);
  await input.waitFor({ timeout: 30_000 });
  for (const item of items) {
    const r = widget.locator('.monaco-list-row').filter({ hasText: new RegExp(`^${item}`) }).first();
    await r.waitFor({ timeout: 30_000 });
    await r.click();
    await until(`${item} checked`, async () => (await r.getAttribute('aria-checked')) === 'true', 10_000);
  }
  await input.press('Enter');
}

describe('e2e: rotate without an outage, update in place, uninstall — through the real tree and QuickPicks', () => {
  const world = worldWorkbench('blog-start', {
    // The client calls the Echo API over http without a key, as the blog's curl did once HTTP was allowed.
    prepare: (sandbox) => {
      const { world: apim } = sandbox as unknown as SandboxInside;
      const echo = apim.api('rb-azure-apim', 'echo-api');
      apim.putApi('rb-azure-apim', { ...echo, operations: [...echo.operations.values()], protocols: ['http', 'https'], subscriptionRequired: false });
    },
  });
  const inside = (): SandboxInside => world.sandbox as unknown as SandboxInside;

  it('deploy with 2 replicas → a request stream → Rotate (0 failed, pods replaced, new expiry) → 3 replicas → Uninstall', { timeout: 420_000 }, async () => {
    await withFailureScreenshot(world.workbench, 'live-gateway', journey);
  });

  const deployment = (): { spec?: { replicas?: number }; status?: { readyReplicas?: number; updatedReplicas?: number; replicas?: number } } | undefined =>
    inside().kube.get('deployments', NAMESPACE, EXTENSION) as never;
  const pods = (): string[] =>
    (inside().kube.list('pods', NAMESPACE, { labelSelector: `app.kubernetes.io/instance=${EXTENSION}` }) as { metadata: { name?: string; deletionTimestamp?: string } }[])
      .filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name ?? '').sort();
  const settled = (n: number) => (): boolean => {
    const d = deployment();
    return d?.spec?.replicas === n && d.status?.readyReplicas === n && d.status.updatedReplicas === n && d.status.replicas === n && pods().length === n;
  };

  async function journey(): Promise<void> {
    const { workbench, sandbox } = world;
    const { page } = workbench;
    const shots: string[] = [];
    await openGatewaysView(page);
    await row(page, /^Azure/).waitFor({ timeout: 60_000 });
    await expand(page, 'Visual Studio Enterprise');
    await expand(page, 'Arc-enabled Kubernetes');
    // 1. Deploy from the Arc cluster's context menu, with 2 replicas behind a LoadBalancer (changed on the summary).
    // The Arc cluster (Azure side), not the kubeconfig context of the same name further down.
    const cluster = row(page, /^rb-arc-aksConnected/);
    await cluster.waitFor({ timeout: 30_000 });
    assert.match((await cluster.textContent()) ?? '', /Connected · v1\.19\.11 · aks/);
    // Ours is the menu's first item (group 1_provision): one ArrowDown reaches it.
    assert.equal(await contextMenu(page, cluster, /Deploy APIM Gateway to Arc Cluster/), 1, 'Deploy is the first item of the cluster\'s menu');
    await pick(page, 'API Management service', 'rb-azure-apim');
    await pick(page, 'Self-hosted gateway', 'Create a new self-hosted gateway…');
    await answer(page, 'Name of the new gateway', GATEWAY);
    await answer(page, 'Extension name');
    await answer(page, 'Kubernetes namespace for the gateway');
    const summary = `Deploy ${GATEWAY} to rb-arc-aks`;
    // The summary, the 6th and last step from the cluster (even with a new gateway): what will be created and the
    // equivalent command, before any ARM call, with the defaults until they are changed below.
    await quickInput(page).locator(`input[placeholder^="${summary}"]`).waitFor({ timeout: 30_000 });
    const first = (await quickInput(page).textContent()) ?? '';
    assert.match(first, /6\s*\/\s*6/, `the summary is step 6 of 6: ${first}`);
    assert.match(first, new RegExp(`self-hosted gateway ${GATEWAY} in rb-azure-apim \\(location rb-arc-aks\\)`));
    assert.match(first, /Copy equivalent command/);
    assert.match(first, /az k8s-extension create --cluster-type connectedClusters --cluster-name rb-arc-aks .*--config-protected-settings 'gateway\.auth\.token=<token>'/);
    await workbench.screenshot('live-gateway-summary');
    await pick(page, summary, 'Service type: ClusterIP');
    await pick(page, 'Kubernetes Service type in front of the gateway', 'LoadBalancer');
    await pick(page, summary, 'Replicas: 1');
    await answer(page, 'Replicas: how many gateway pods run', '2');
    await quickInput(page).locator(`input[placeholder^="${summary}"]`).waitFor({ timeout: 30_000 });
    const command = (await quickInput(page).textContent()) ?? '';
    assert.match(command, /--configuration-settings service\.type=LoadBalancer .*--configuration-settings replicaCount=2 --config-protected-settings 'gateway\.auth\.token=<token>'/);
    await pick(page, summary, 'Deploy');
    await toast(page, `deployed to rb-arc-aks as ${EXTENSION}`).waitFor({ timeout: 180_000 });
    await until('2 ready replicas', settled(2), 120_000);
    const extension = row(page, new RegExp(`^${EXTENSION}Succeeded`));
    await extension.waitFor({ timeout: 60_000 });
    // The Kubernetes half: the gateway's Deployment with its running token's expiry (the default: 30 days).
    await expand(page, /^Kubernetes/);
    await expand(page, /^rb-arc-aks(?![-C])/);
    await expand(page, new RegExp(`^${NAMESPACE}namespace`));
    const kubeDeployment = row(page, new RegExp(`^${EXTENSION}\\d+/\\d+ ready`));
    await kubeDeployment.filter({ hasText: '2/2 ready' }).filter({ hasText: 'token expires in 30 days' }).waitFor({ timeout: 60_000 });
    // What the client calls: the Echo API on the new gateway (assigned in the world; Assign APIs is tested elsewhere).
    inside().world.assignApi('rb-azure-apim', GATEWAY, 'echo-api');
    const ip = await (async () => {
      let found: string | undefined;
      await until('the LoadBalancer address', () => {
        const svc = inside().kube.get('services', NAMESPACE, SERVICE) as { status?: { loadBalancer?: { ingress?: { ip?: string }[] } } } | undefined;
        found = svc?.status?.loadBalancer?.ingress?.[0]?.ip;
        return found !== undefined;
      }, 60_000);
      return found!;
    })();
    shots.push(await workbench.screenshot('live-gateway-2-replicas'));

    // 2. A steady stream of client requests through the Service's external address.
    const ports = (inside().kube.get('services', NAMESPACE, SERVICE) as { spec?: { ports?: { name?: string; port?: number }[] } }).spec?.ports ?? [];
    const httpPort = ports.find((p) => p.name === 'http')?.port;
    assert.ok(httpPort, `the Service has an http port: ${JSON.stringify(ports)}`);
    const url = `http://${ip}:${httpPort}/echo/resource?param1=sample`;
    const failures: string[] = [];
    let answered = 0;
    let stop = false;
    // The gateway picks the assignment up at its next configuration poll.
    await until('the gateway answers 200 before the rotation', async () => (await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined))?.status === 200, 90_000);
    const stream = (async () => {
      const inFlight: Promise<void>[] = [];
      while (!stop) {
        inFlight.push(fetch(url, { signal: AbortSignal.timeout(15_000) }).then(async (r) => {
          const body = await r.text();
          if (r.status !== 200 || body.length === 0) failures.push(`${r.status} (${body.length} bytes)`);
          else answered++;
        }, (e: unknown) => void failures.push(String(e))));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await Promise.all(inFlight);
    })();

    // 3. Rotate Gateway Token… from the extension's context menu: the secondary key, 10 days.
    const before = pods();
    assert.equal(before.length, 2);
    try {
      await contextMenu(page, extension, /Rotate Gateway Token/);
      await pick(page, 'Key that signs the token', 'secondary');
      await answer(page, 'Token lifetime in days', '10');
      await toast(page, /now runs a secondary-key token that expires in 10 days/).waitFor({ timeout: 240_000 });
    } finally {
      stop = true;
      await stream;
    }
    assert.deepEqual(failures, [], `${failures.length} of ${failures.length + answered} requests failed during the rotation`);
    assert.ok(answered >= 10, `the stream kept running through the rotation (${answered} answered)`);
    const after = pods();
    assert.ok(after.length === 2 && after.every((p) => !before.includes(p)), `every pod was replaced: ${before.join(',')} → ${after.join(',')}`);
    // The tree shows the new expiry without Refresh.
    await kubeDeployment.filter({ hasText: 'token expires in 10 days' }).waitFor({ timeout: 30_000 });
    shots.push(await workbench.screenshot('live-gateway-rotated'));
    console.log(`rotation: ${answered} requests answered, ${failures.length} failed; pods ${before.join(',')} → ${after.join(',')}`);

    // 4. Update Gateway Extension…: replicas 2 → 3.
    await contextMenu(page, extension, /Update Gateway Extension/);
    await pickMany(page, `What to change on ${EXTENSION}`, ['Replicas']);
    await answer(page, 'Replicas: replicaCount', '3');
    await confirm(page, new RegExp(`Update ${EXTENSION} on its cluster\\?`), 'Update');
    await toast(page, new RegExp(`${EXTENSION} updated \\(Succeeded\\):[^;]*replicaCount[^;]*\\b3\\b`)).waitFor({ timeout: 120_000 });
    await until('3 ready replicas', settled(3), 120_000);
    await kubeDeployment.filter({ hasText: '3/3 ready' }).waitFor({ timeout: 30_000 });
    shots.push(await workbench.screenshot('live-gateway-3-replicas'));

    // 5. Uninstall: both halves follow without Refresh (the Arc extension row and the Kubernetes namespace go).
    await contextMenu(page, extension, /Uninstall Gateway Extension/);
    await confirm(page, new RegExp(`Uninstall ${EXTENSION} from rb-arc-aks\\?`), 'Uninstall');
    await toast(page, `Uninstalled ${EXTENSION} from rb-arc-aks.`).waitFor({ timeout: 120_000 });
    await extension.waitFor({ state: 'detached', timeout: 30_000 });
    await row(page, new RegExp(`^${EXTENSION}\\d+/\\d+ ready`)).waitFor({ state: 'detached', timeout: 30_000 });
    await row(page, new RegExp(`^${NAMESPACE}namespace`)).waitFor({ state: 'detached', timeout: 30_000 });
    shots.push(await workbench.screenshot('live-gateway-uninstalled'));

    assert.equal(await page.locator('.notifications-toasts .codicon-error').count(), 0, 'no error notification');
    assert.ok(!workbench.console.some((l) => l.includes(sandbox.info.armToken)), 'the ARM token never reached the browser console');
    console.log(`screenshots: ${shots.join(', ')}`);
  }
});
