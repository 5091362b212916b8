// `npm run sandbox -- --headless`: one ready line with the sandbox's coordinates, a working VS Code and cluster
// behind it, and nothing of ours left running after SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { launchChromium } from '../../scripts/lib/browser.ts';
import { repoRoot } from '../../scripts/lib/code-server.ts';

interface Ready {
  url: string;
  workspace: string;
  kubeconfig: string;
  kubeApi: string;
  caFile: string;
  token: string;
}

describe('npm run sandbox -- --headless', () => {
  const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'sandbox.ts'), '--headless', '--no-build'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  const ready = new Promise<Ready>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('sandbox ready '));
      if (line) resolve(JSON.parse(line.slice('sandbox ready '.length)) as Ready);
    });
    void exited.then((code) => reject(new Error(`sandbox exited (${code}) before it was ready:\n${stderr}`)));
  });

  it('prints one ready line with the workbench URL and the cluster coordinates', async () => {
    const info = await ready;
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(info.kubeApi, /^https:\/\/127\.0\.0\.1:\d+$/);
    for (const file of [info.kubeconfig, info.caFile]) assert.ok(path.isAbsolute(file) && readFileSync(file, 'utf8').length > 0);
    const health = await fetch(new URL('healthz', info.url));
    assert.equal(health.status, 200);
  });

  it('serves the blog world: kubectl sees the gateway pod Running and the Service on port 5000', { skip: !hasKubectl() && 'kubectl is not on PATH' }, async () => {
    const info = await ready;
    const pods = run(['get', 'pods', '-n', 'apim', '-o', 'json'], info.kubeconfig);
    const items = (JSON.parse(pods) as { items: { status: { phase: string } }[] }).items;
    assert.ok(items.some((p) => p.status.phase === 'Running'), pods);
    const svc = run(['get', 'svc', '-n', 'apim'], info.kubeconfig);
    assert.match(svc, /rb-arc-aks-apimgw-azure-api-management-gateway\s+ClusterIP\s+\S+\s+<none>\s+5000\/TCP/);
  });

  it('opens at 1280 px on the Gateways view with its descriptions whole and no empty secondary side bar', { timeout: 120_000 }, async () => {
    const info = await ready;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${info.url}?folder=${encodeURIComponent(info.workspace)}`);
      const sidebar = page.locator('.part.sidebar');
      // The sandbox's layout helper widens the side bar by the workbench's own resize steps once it has started.
      const deadline = Date.now() + 90_000;
      let width = 0;
      while ((width = (await sidebar.boundingBox().catch(() => null))?.width ?? 0) < 520 && Date.now() < deadline) await page.waitForTimeout(250);
      assert.ok(width >= 520, `the primary side bar is ${width} px wide`);
      const rows = page.locator('.part.sidebar .monaco-list-row').filter({ hasText: /^(Azure|Kubernetes)/ });
      await rows.first().waitFor({ timeout: 30_000 });
      // Down to the gateway Deployment, whose description is the longest (ready, image, token expiry).
      const row = (text: RegExp) => page.locator('.part.sidebar .monaco-list-row').filter({ hasText: text }).first();
      for (const [parent, childRow] of [[/^rb-arc-akscurrent/, /^apim/], [/^apim/, /^rb-arc-aks-apimgw/]] as const) {
        await row(parent).waitFor({ timeout: 30_000 });
        if ((await row(parent).getAttribute('aria-expanded')) !== 'true') await row(parent).click();
        await row(childRow).waitFor({ timeout: 30_000 });
      }
      await row(/^rb-arc-aks-apimgw.*ready/).waitFor({ timeout: 30_000 });
      mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
      await page.screenshot({ path: path.join(repoRoot, 'test-results', 'sandbox-default-layout-1280x800.png') });
      const cut = await page.locator('.part.sidebar .monaco-list-row .monaco-icon-label-container').evaluateAll((nodes) =>
        nodes.filter((n) => n.scrollWidth > n.clientWidth + 1).map((n) => n.textContent ?? ''));
      assert.deepEqual(cut, [], 'no tree label or description is cut off');
      assert.equal(await page.locator('.part.auxiliarybar').isVisible(), false, 'no secondary side bar');
    } finally {
      await browser.close();
    }
  });

  it('leaves no process of ours behind after SIGTERM', async () => {
    const info = await ready;
    const profileRoot = path.dirname(info.workspace);
    assert.ok(processesMentioning(profileRoot).length > 0, 'code-server should be running before SIGTERM');
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    const deadline = Date.now() + 5000;
    while (processesMentioning(profileRoot).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(processesMentioning(profileRoot), []);
  });
});

function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}

function run(args: string[], kubeconfig: string): string {
  const result = spawnSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** Every live process whose command line names the given path (code-server, its extension hosts, watchers). */
function processesMentioning(fragment: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(fragment)) found.push(`${pid} ${cmdline.slice(0, 120)}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}
