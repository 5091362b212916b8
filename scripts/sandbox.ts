// `npm run sandbox`: real VS Code (code-server) with the packaged extension installed in a throwaway profile,
// pointed at the emulated cluster and Azure of test/sandbox. Stays up until Ctrl+C / SIGTERM, then stops everything
// it started. `--headless` prints one machine-readable line, `sandbox ready {json}`, for scripts and tests.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { installCodeServer } from './install-code-server.ts';
import { repoRoot } from './lib/code-server.ts';
import { extensionManifest, startCodeServer, type RunningCodeServer } from './lib/launch.ts';
import { packageExtension } from './package.ts';
import { azureResourcesEnv, azureResourcesSettings, azureResourcesVsix, sandboxAuthExtension } from '../test/extensions/azureResources.ts';
import { startSandbox, type RunningSandbox, type WorldName } from '../test/sandbox/index.ts';

const { values } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    world: { type: 'string', default: 'blog-deployed' },
    'no-build': { type: 'boolean', default: false },
    port: { type: 'string' },
  },
});
const headless = values.headless === true;
const say = (line: string): void => {
  if (!headless) console.log(line);
  else console.error(line);
};

/**
 * The sandbox's default layout, for trying the extension (tests keep VS Code's own): no empty secondary side bar
 * (Chat, with AI features off) taking a quarter of the window from the editor. The primary side bar's width is layout
 * state the workbench keeps in the browser's storage (300 px on a first visit), out of reach of a setting: the
 * sandbox-only `test/extensions/sandbox-layout` widens it once per sandbox profile, as a user would.
 */
const sandboxLayoutExtension = path.join(repoRoot, 'test', 'extensions', 'sandbox-layout');
const SANDBOX_LAYOUT: Record<string, unknown> = {
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

let sandbox: RunningSandbox | undefined;
let server: RunningCodeServer | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    await server?.close().catch(() => undefined);
    await sandbox?.close().catch(() => undefined);
  }
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));

try {
  const { name, version } = extensionManifest();
  let vsix = path.join(repoRoot, `${name}-${version}.vsix`);
  if (!values['no-build'] || !existsSync(vsix)) {
    // Packaging runs the production build (vscode:prepublish), so the sandbox runs what users would install.
    say('building and packaging the extension…');
    vsix = packageExtension(headless ? 'ignore' : 'inherit');
  }
  await installCodeServer(say);
  sandbox = await startSandbox({ world: values.world as WorldName });
  // Microsoft's Azure Resources explorer too, when its .vsix is there, signed in to the sandbox as a custom cloud
  // through the test-only sign-in extension, so our right-click actions can be tried in the real explorer.
  const explorer = azureResourcesVsix();
  say(explorer.available ? `installing the ${explorer.why}` : `not installing the explorer: ${explorer.why}`);
  server = await startCodeServer({
    vsix,
    ...(explorer.available ? { extraVsix: [explorer.path] } : {}),
    // The sandbox's layout helper always; the sign-in for the explorer when it is installed.
    extraExtensionFolders: [sandboxLayoutExtension, ...(explorer.available ? [sandboxAuthExtension] : [])],
    env: { ...sandbox.env, ...(explorer.available ? azureResourcesEnv(sandbox.info) : {}) },
    // The sandbox is a custom cloud reached through the Azure CLI credential, whose `az` is the sandbox's stand-in.
    settings: { ...SANDBOX_LAYOUT, ...sandbox.settings, ...(explorer.available ? azureResourcesSettings(sandbox.info) : {}) },
    ...(values.port ? { port: Number(values.port) } : {}),
  });
  const ready = { url: server.url, workspace: server.folder, pid: process.pid, ...sandbox.info };
  if (headless) {
    console.log(`sandbox ready ${JSON.stringify(ready)}`);
  } else {
    console.log('');
    console.log(`  Arc APIM Gateway sandbox (world: ${values.world})`);
    console.log(`  VS Code:     ${server.url}`);
    for (const [key, value] of Object.entries(sandbox.describe())) console.log(`  ${key.padEnd(12)} ${value}`);
    console.log('');
    console.log('  Open the VS Code URL in a browser. Ctrl+C stops everything.');
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
