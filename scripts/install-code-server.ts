// Installs the pinned code-server into .vscode-test/ (outside the project's node_modules, as @vscode/test-electron
// caches VS Code), reusing it when present. Every workaround below is for a failure seen on an offline machine.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CODE_SERVER_VERSION, cacheDir, isCodeServerInstalled, node24, node24Dir } from './lib/code-server.ts';

export async function installCodeServer(log: (line: string) => void = console.log): Promise<void> {
  if (isCodeServerInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} already in ${path.relative(process.cwd(), cacheDir)}`);
    return;
  }
  log(`installing code-server ${CODE_SERVER_VERSION} into ${cacheDir} (1–3 min, once)…`);
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(path.join(cacheDir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  const npmCli = findNpmCli();
  // When this runs under `npm test`, the outer npm's lifecycle variables are in the environment, and npm reads
  // npm_config_* as its own config: the outer (machine Node 20) user agent then made code-server's postinstall
  // refuse with "requires node v24". The inner npm must start from a clean slate.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const env = {
    ...inherited,
    // npm runs under Node 24 so native modules (argon2, node-pty, kerberos, spdlog) build against Node 24's headers,
    // which the `node` package ships; the machine's own headers are Node 20's.
    PATH: `${path.dirname(node24)}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24Dir,
    // code-server's postinstall refuses to run as root without this.
    npm_config_unsafe_perm: 'true',
    // node-pty's install runs `npx node-gyp`, which is cancelled without a TTY unless npx may proceed.
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  await run(node24, [npmCli, 'install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], cacheDir, env, log);
  writeFileSync(path.join(cacheDir, '.installed'), `${CODE_SERVER_VERSION}\n`);
  log(`code-server ${CODE_SERVER_VERSION} installed`);
}

/** npm's own script, to run it under Node 24 (the `node` package ships no npm). */
function findNpmCli(): string {
  const fromNpm = process.env.npm_execpath;
  if (fromNpm && existsSync(fromNpm) && /npm-cli\.js$/.test(fromNpm)) return fromNpm;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'npm');
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  throw new Error('npm was not found on PATH; it is needed to install code-server');
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else {
        log(tail);
        reject(new Error(`npm install code-server@${CODE_SERVER_VERSION} exited with ${code}`));
      }
    });
  });
}

if (import.meta.main) {
  installCodeServer().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
