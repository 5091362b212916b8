// Runs test/integration (bundled to out/test/integration) INSIDE the real extension host of code-server: the
// workbench, opened in Chromium, is asked for an extension test run through its URL payload, and reports the
// result through the automation hooks @vscode/test-web relies on.
import path from 'node:path';
import { format } from 'node:util';
import { enableSmokeTestDriver, launchChromium } from '../../scripts/lib/browser.ts';
import { VSCODE_VERSION, repoRoot } from '../../scripts/lib/code-server.ts';
import { startCodeServer } from '../../scripts/lib/launch.ts';
import { installCodeServer } from '../../scripts/install-code-server.ts';
import { startSandbox } from '../sandbox/index.ts';

export interface IntegrationRunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** mocha --grep */
  grep?: string;
}

export async function runIntegrationTests(options: IntegrationRunOptions = {}): Promise<{ passed: number; failed: number; exitCode: number }> {
  await installCodeServer();
  const testsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
  // The tests run against the sandbox's cluster (the blog's end state); its coordinates reach the extension host
  // through code-server's environment, and its fault knobs over HTTPS.
  const sandbox = await startSandbox({ world: 'blog-deployed' });
  const server = await startCodeServer({
    env: {
      ...sandbox.env,
      ARC_APIM_EXPECTED_VSCODE_VERSION: VSCODE_VERSION,
      ...options.env,
      ...(options.grep ? { ARC_APIM_TEST_GREP: options.grep } : {}),
    },
  }).catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  const browser = await launchChromium();
  let result: { passed: number; failed: number } | undefined;
  try {
    const page = await browser.newPage();
    await enableSmokeTestDriver(page);
    const exit = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...args);
      if (process.env.ARC_APIM_DEBUG_RUNNER) process.stdout.write(`[${type}] ${JSON.stringify(args).slice(0, 300)}\n`);
      const marker = /__ARC_APIM_RESULT__ (\{.*\})/.exec(text);
      if (marker?.[1]) {
        result = JSON.parse(marker[1]) as { passed: number; failed: number };
        return;
      }
      // The extension host's console (mocha's report) is what we show; the workbench's own chatter is not.
      if (!isWorkbenchNoise(type, text)) process.stdout.write(`${stripExtensionHostDecoration(text)}\n`);
    });
    const authority = `127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${repoRoot}`],
      ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
    ];
    const url = `${server.url}?folder=${encodeURIComponent(server.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeoutMs = options.timeoutMs ?? 300_000;
    const code = await Promise.race([
      exit,
      new Promise<number>((resolve) => setTimeout(() => resolve(-1), timeoutMs).unref()),
    ]);
    if (code === -1) {
      process.stdout.write(`integration tests did not finish within ${timeoutMs} ms\ncode-server output:\n${server.output()}\n`);
    }
    const counts = result ?? { passed: 0, failed: 1 };
    return { ...counts, exitCode: code === 0 && counts.failed === 0 && counts.passed > 0 ? 0 : 1 };
  } finally {
    await browser.close();
    await server.close();
    await sandbox.close();
  }
}

/** Offline, the workbench logs failed marketplace lookups and missing optional assets; none of that is ours. */
function isWorkbenchNoise(type: string, text: string): boolean {
  if (/^(Resolved connection token|Creating a socket)/.test(text)) return true;
  return (type === 'error' || type === 'warn') && /ENOTFOUND|open-vsx|vsda|Failed to load resource|getaddrinfo|GitHub/i.test(text);
}

function stripExtensionHostDecoration(text: string): string {
  return text.replace(/^\s*\[Extension Host\]\s?/, '').replace(/\s+\(at console\.<anonymous> .*\)\s*$/s, '');
}

if (import.meta.main) {
  const grepIndex = process.argv.indexOf('--grep');
  const grep = grepIndex > 0 ? process.argv[grepIndex + 1] : undefined;
  const outcome = await runIntegrationTests(grep ? { grep } : {});
  console.log(`integration: ${outcome.passed} passed, ${outcome.failed} failed`);
  process.exit(outcome.exitCode);
}
