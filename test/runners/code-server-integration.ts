// Runs test/integration (bundled to out/test/integration) INSIDE the real extension host of code-server: the
// workbench, opened in Chromium, is asked for an extension test run through its URL payload, and reports the
// result through the automation hooks @vscode/test-web relies on.
//
// Each test file runs against the sandbox world it declares in a line comment `// @world <name>` (default
// blog-deployed, the blog's end state; the provisioning journey starts from blog-start). Files are grouped by world
// and each group gets a fresh sandbox and a fresh code-server, so no test sees another world's leftovers. Groups run
// two at a time (ARC_APIM_INTEGRATION_PARALLEL, default 2; 1 runs them in turn): most of a group's time is spent
// waiting on its sandbox (rollouts, the gateway's configuration polls), so a second group's start-up and tests fill
// that time. Each group's report is printed whole when it ends.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { enableSmokeTestDriver, launchChromium } from '../../scripts/lib/browser.ts';
import { VSCODE_VERSION, repoRoot } from '../../scripts/lib/code-server.ts';
import { startCodeServer } from '../../scripts/lib/launch.ts';
import { installCodeServer } from '../../scripts/install-code-server.ts';
import { azureResourcesEnv, azureResourcesSettings, azureResourcesVsix, sandboxAuthExtension } from '../extensions/azureResources.ts';
import { startSandbox, type RunningSandbox } from '../sandbox/index.ts';
import { WORLD_NAMES, type WorldName } from '../sandbox/worlds/index.ts';

export interface IntegrationRunOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** mocha --grep */
  grep?: string;
  /**
   * Run one group only, against this already started sandbox (closed by the caller), with these bundled test files
   * (`x.test.js`, all of out/test/integration when absent). Benchmarks use it with their own `testsPath`.
   */
  sandbox?: RunningSandbox;
  files?: string[];
  /** The module the extension host runs (default out/test/integration/index.js). */
  testsPath?: string;
  /** How many groups run at the same time (default ARC_APIM_INTEGRATION_PARALLEL, else 2). */
  parallel?: number;
}

export interface IntegrationOutcome {
  passed: number;
  failed: number;
  exitCode: number;
}

const integrationSources = path.join(repoRoot, 'test', 'integration');

/** `// @world blog-start` in a test file; blog-deployed when absent. */
export function declaredWorld(source: string, file = 'test file'): WorldName {
  const m = /^\s*\/\/\s*@world\s+(\S+)/m.exec(source);
  if (!m?.[1]) return 'blog-deployed';
  if (!(WORLD_NAMES as readonly string[]).includes(m[1])) throw new Error(`${file} declares @world ${m[1]}; known worlds: ${WORLD_NAMES.join(', ')}`);
  return m[1] as WorldName;
}

/**
 * `// @with azure-resources` in a test file: its group's profile also gets Microsoft's Azure Resources explorer (when
 * its .vsix is available; otherwise ARC_APIM_AZURE_RESOURCES_MISSING tells the tests why it is not there).
 */
export function wantsAzureResources(source: string): boolean {
  return /^\s*\/\/\s*@with\s+azure-resources\b/m.test(source);
}

/**
 * `// @fresh` in a test file: it gets a sandbox of its own rather than the one its world's other files share (for a
 * file that judges the world as it starts, which the other files' provisioning would change).
 */
export function wantsFreshWorld(source: string): boolean {
  return /^\s*\/\/\s*@fresh\b/m.test(source);
}

/** Test files by world (and `+azure-resources` when they ask for the explorer, `+fresh:<file>` for a sandbox of their own), limited to files with a describe/it title the grep matches (when one is given). */
export function groupTestFiles(grep: string | undefined): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const pattern = grep ? new RegExp(grep) : undefined;
  for (const file of readdirSync(integrationSources).filter((f) => f.endsWith('.test.ts')).sort()) {
    const source = readFileSync(path.join(integrationSources, file), 'utf8');
    if (pattern) {
      const titles = [...source.matchAll(/\b(?:describe|it)\(\s*(['"`])((?:(?!\1).)*)\1/g)].map((m) => m[2] ?? '');
      if (!titles.some((t) => pattern.test(t))) continue;
    }
    const key = `${declaredWorld(source, file)}${wantsAzureResources(source) ? '+azure-resources' : ''}${wantsFreshWorld(source) ? `+fresh:${file}` : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), file.replace(/\.ts$/, '.js')]);
  }
  return groups;
}

export async function runIntegrationTests(options: IntegrationRunOptions = {}): Promise<IntegrationOutcome> {
  await installCodeServer();
  if (options.sandbox) {
    const outcome = await runGroup(options.sandbox, options.files, options);
    return outcome.passed > 0 ? outcome : { ...outcome, exitCode: 1 };
  }
  let groups = groupTestFiles(options.grep);
  // A grep no title matches still runs everything once, so mocha reports "0 passing" instead of silence.
  if (groups.size === 0) groups = groupTestFiles(undefined);
  const total = { passed: 0, failed: 0, exitCode: 0 };
  const parallel = Math.max(1, options.parallel ?? (Number(process.env.ARC_APIM_INTEGRATION_PARALLEL) || 2));
  // The group with the most files first, so the long one starts at once and the short ones share the other slot.
  const queue = [...groups].sort(([, a], [, b]) => b.length - a.length);
  const runNext = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [key, files] = next;
      const [world, ...extras] = key.split('+') as [WorldName, ...string[]];
      const started = performance.now();
      const report: string[] = [`\n== sandbox world ${key}: ${files.join(', ')}\n`];
      const write = parallel === 1 ? (text: string) => process.stdout.write(text) : (text: string) => void report.push(text);
      if (parallel === 1) process.stdout.write(report.join(''));
      try {
        const sandbox = await startSandbox({ world });
        try {
          const outcome = await runGroup(sandbox, files, { ...options, azureResources: extras.includes('azure-resources') }, write);
          total.passed += outcome.passed;
          total.failed += outcome.failed;
          if (outcome.exitCode !== 0) total.exitCode = 1;
        } finally {
          await sandbox.close();
        }
      } catch (error) {
        write(`group ${key} did not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        total.failed += 1;
        total.exitCode = 1;
      }
      write(`== ${key}: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
      if (parallel > 1) process.stdout.write(report.join(''));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, runNext));
  if (total.passed === 0) total.exitCode = 1;
  return total;
}

async function runGroup(sandbox: RunningSandbox, files: string[] | undefined, options: IntegrationRunOptions & { azureResources?: boolean }, write: (text: string) => void = (text) => process.stdout.write(text)): Promise<IntegrationOutcome> {
  const testsPath = options.testsPath ?? path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
  // The tests run against the sandbox (cluster and ARM); its coordinates reach the extension host through
  // code-server's environment (with the `az` stand-in first on PATH), its settings (a custom cloud signed in through
  // the Azure CLI credential) through the profile, and its fault knobs over HTTPS.
  const explorer = options.azureResources ? azureResourcesVsix() : undefined;
  const withExplorer = explorer?.available === true;
  const server = await startCodeServer({
    ...(withExplorer ? { extraVsix: [explorer.path], extraExtensionFolders: [sandboxAuthExtension] } : {}),
    env: {
      ...sandbox.env,
      ...(withExplorer ? azureResourcesEnv(sandbox.info) : {}),
      ...(explorer && !explorer.available ? { ARC_APIM_AZURE_RESOURCES_MISSING: explorer.why } : {}),
      ARC_APIM_EXPECTED_VSCODE_VERSION: VSCODE_VERSION,
      ...options.env,
      ...(options.grep ? { ARC_APIM_TEST_GREP: options.grep } : {}),
      ...(files ? { ARC_APIM_TEST_FILES: files.join(',') } : {}),
    },
    settings: { ...sandbox.settings, ...(withExplorer ? azureResourcesSettings(sandbox.info) : {}) },
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
      if (process.env.ARC_APIM_DEBUG_RUNNER) write(`[${type}] ${JSON.stringify(args).slice(0, 300)}\n`);
      const marker = /__ARC_APIM_RESULT__ (\{.*\})/.exec(text);
      if (marker?.[1]) {
        result = JSON.parse(marker[1]) as { passed: number; failed: number };
        return;
      }
      // The extension host's console (mocha's report) is what we show; the workbench's own chatter is not.
      if (!isWorkbenchNoise(type, text)) write(`${stripExtensionHostDecoration(text)}\n`);
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
      write(`integration tests did not finish within ${timeoutMs} ms\ncode-server output:\n${server.output()}\n`);
    }
    const counts = result ?? { passed: 0, failed: 1 };
    // "Nothing ran" is judged over all groups (a grep may leave one group empty), not here.
    return { ...counts, exitCode: code === 0 && counts.failed === 0 ? 0 : 1 };
  } finally {
    await browser.close();
    await server.close();
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
