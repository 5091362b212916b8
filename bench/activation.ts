// Activation time of the extension, measured in the real extension host (code-server), in one run:
// the extension's own measurement (bundle load → end of activate) and the share it takes of the time from opening
// the Gateways view to its content appearing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { openGatewaysView, openWorkbench } from '../test/e2e/workbench.ts';

const runs = Number(process.argv[2] ?? 3);
const results: { activation: number; load: number; viewReady: number }[] = [];
for (let i = 0; i < runs; i++) {
  const workbench = await openWorkbench({ env: { KUBECONFIG: path.join(process.cwd(), 'no-kubeconfig-for-bench') } });
  try {
    const t0 = performance.now();
    await openGatewaysView(workbench.page);
    await workbench.page.locator('.welcome-view-content').first().waitFor({ timeout: 30_000 });
    const viewReady = performance.now() - t0;
    const line = await waitForLogLine(workbench.server.logsDir, /activated in ([\d.]+) ms \(bundle load ([\d.]+) ms/);
    results.push({ activation: Number(line[1]) + Number(line[2]), load: Number(line[2]), viewReady });
  } finally {
    await workbench.close();
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const activation = median(results.map((r) => r.activation));
const load = median(results.map((r) => r.load));
const viewReady = median(results.map((r) => r.viewReady));
console.log(`runs: ${runs}`);
console.log(`activation (bundle evaluation + activate()): ${activation.toFixed(1)} ms (of which bundle load ${load.toFixed(1)} ms)`);
console.log(`click on the activity-bar entry → view content shown: ${viewReady.toFixed(0)} ms`);
console.log(`ratio activation / view-open: ${(activation / viewReady).toFixed(3)}`);

async function waitForLogLine(logsDir: string, pattern: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const file of walk(logsDir)) {
      if (!file.endsWith('.log')) continue;
      const match = pattern.exec(readFileSync(file, 'utf8'));
      if (match) return match;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no activation line in ${logsDir}`);
}

function walk(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  } catch {
    return [];
  }
}
