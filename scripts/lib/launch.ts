// Starting real VS Code (code-server) with a throwaway profile, and stopping it with its whole process group.
// Used by the sandbox command, the integration runner, the e2e tests and the activation benchmark.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { codeServerEntry, isCodeServerInstalled, node24, repoRoot } from './code-server.ts';

export interface CodeServerOptions {
  /** Folder the workbench opens. A temporary empty one when absent. */
  folder?: string;
  /** Install the built extension (dist/, media/, package.json) into the profile, as a user would have it. */
  installExtension?: boolean;
  /** Install this .vsix with code-server's own --install-extension before starting (what a user does). */
  vsix?: string;
  /** More .vsix files to install the same way (e.g. Microsoft's Azure Resources extension for the explorer tests). */
  extraVsix?: string[];
  /** Unpacked extension folders copied into the profile (test-only helpers such as test/extensions/sandbox-auth). */
  extraExtensionFolders?: string[];
  /** Extra environment for code-server and so for the extension host (e.g. KUBECONFIG of the sandbox). */
  env?: Record<string, string>;
  /** User settings merged over the quiet defaults. */
  settings?: Record<string, unknown>;
  /** Where code-server's own output goes (default: dropped, kept for error reports). */
  onOutput?: (text: string) => void;
  port?: number;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly folder: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logsDir: string;
  readonly pid: number;
  /** The last output of code-server, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function extensionManifest(): { publisher: string; name: string; version: string } {
  return JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<RunningCodeServer> {
  if (!isCodeServerInstalled()) {
    throw new Error('code-server is not installed: run `npm run code-server:install` (npm test does it for you)');
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'arc-apim-vscode-'));
  const userDataDir = path.join(root, 'data');
  const extensionsDir = path.join(root, 'extensions');
  const folder = options.folder ?? path.join(root, 'workspace');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(folder, { recursive: true });
  const settings: Record<string, unknown> = {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true,
    // No walkthrough opening by itself in a test's editor area (test/e2e/walkthrough.test.ts turns it back on).
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.colorTheme': 'Default Dark Modern',
    ...options.settings,
  };
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // Machine-scoped settings reach a remote extension host (code-server's) from the machine's settings, not the user's.
  const walkthroughs = 'workbench.welcomePage.walkthroughs.openOnInstall';
  mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ [walkthroughs]: settings[walkthroughs] }, null, 2));
  writeFileSync(path.join(root, 'config.yaml'), 'auth: none\ncert: false\n');
  if (options.installExtension) installUnpacked(extensionsDir);
  for (const folder of options.extraExtensionFolders ?? []) installFolder(folder, extensionsDir);
  const packages = [...(options.vsix ? [options.vsix] : []), ...(options.extraVsix ?? [])];
  if (packages.length > 0) {
    const installed = spawnSync(
      node24,
      [codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, ...packages.flatMap((p) => ['--install-extension', p])],
      { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: path.join(root, 'xdg-config'), XDG_DATA_HOME: path.join(root, 'xdg-data') } },
    );
    if (installed.status !== 0) {
      rmSync(root, { recursive: true, force: true });
      throw new Error(`installing ${packages.join(', ')} failed: ${installed.stderr || installed.stdout}`);
    }
  }

  const port = options.port ?? (await freePort());
  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--config', path.join(root, 'config.yaml'),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ];
  let output = '';
  const child: ChildProcess = spawn(node24, args, {
    // A process group of its own, so close() reaches the extension hosts and file watchers it spawns.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
      XDG_DATA_HOME: path.join(root, 'xdg-data'),
      XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
      ...options.env,
    },
  });
  const record = (chunk: Buffer): void => {
    const text = chunk.toString();
    output = (output + text).slice(-20000);
    options.onOutput?.(text);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid ?? 0;

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    // Children that ignored SIGTERM (extension hosts) go with the group.
    killGroup(pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };

  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHealthy(url, () => child.exitCode !== null, 60_000);
  } catch (error) {
    await close();
    throw new Error(`code-server did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return {
    url,
    port,
    folder,
    userDataDir,
    extensionsDir,
    logsDir: path.join(userDataDir, 'logs'),
    pid,
    output: () => output,
    close,
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Copies the built extension the way VS Code unpacks a .vsix: <extensions>/<publisher>.<name>-<version>/. */
function installUnpacked(extensionsDir: string): void {
  const manifest = extensionManifest();
  const target = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'dist', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    cpSync(path.join(repoRoot, entry), path.join(target, entry), { recursive: true });
  }
}

/** Copies an unpacked extension folder as <extensions>/<publisher>.<name>-<version>/, as VS Code unpacks a .vsix. */
function installFolder(folder: string, extensionsDir: string): void {
  const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  cpSync(folder, path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
}

async function waitForHealthy(url: string, hasExited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('code-server exited');
    try {
      const response = await fetch(new URL('healthz', url));
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no answer from ${url}healthz within ${timeoutMs} ms`);
}
