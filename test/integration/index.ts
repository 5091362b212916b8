// Entry point the extension host loads (extensionTestsPath): the same file serves code-server and
// @vscode/test-electron. Runs every bundled *.test.js beside it with mocha and reports counts on one marked line the
// code-server runner reads.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const grep = process.env.ARC_APIM_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  // The runner groups files by the sandbox world they declare (`// @world …`) and names this group's files.
  const only = process.env.ARC_APIM_TEST_FILES ? new Set(process.env.ARC_APIM_TEST_FILES.split(',')) : undefined;
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && (!only || only.has(f))).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const stats = await new Promise<{ passes: number; failures: number }>((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0 }));
  });
  console.log(`__ARC_APIM_RESULT__ ${JSON.stringify({ passed: stats.passes, failed: stats.failures })}`);
  if (stats.failures > 0) throw new Error(`${stats.failures} integration test(s) failed`);
}
