// The same integration tests through @vscode/test-electron, for machines that can download VS Code desktop.
// (Offline, runTests fails at the download: use `npm run test:integration`, which runs them in code-server.)
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../../scripts/lib/code-server.ts';

try {
  const exitCode = await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  });
  process.exit(exitCode);
} catch (error) {
  console.error(`electron integration run failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
