// One esbuild call per target: the extension host bundle (Node, CJS, `vscode` external), one browser bundle per
// webview (src/webview/<view>/main.ts), and the integration tests (run inside the extension host by mocha).
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/code-server.ts';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const webviewRoot = path.join(repoRoot, 'src', 'webview');
const webviewEntries = existsSync(webviewRoot)
  ? readdirSync(webviewRoot, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(webviewRoot, d.name, 'main.ts')))
      .map((d) => ({ in: path.join(webviewRoot, d.name, 'main.ts'), out: d.name }))
  : [];

const integrationRoot = path.join(repoRoot, 'test', 'integration');
const integrationEntries = readdirSync(integrationRoot)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ in: path.join(integrationRoot, f), out: f.replace(/\.ts$/, '') }));

const common: esbuild.BuildOptions = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  absWorkingDir: repoRoot,
};

const builds: esbuild.BuildOptions[] = [
  {
    ...common,
    entryPoints: [{ in: 'src/extension.ts', out: 'extension' }],
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    // VS Code 1.100's extension host is Node 20; code-server 4.139 runs Node 24.
    target: 'node20',
    external: ['vscode'],
    // First and last statements of the bundle, so activation can report the cost of evaluating its own code.
    banner: { js: 'globalThis.__arcApimLoadStart = performance.now();' },
    footer: { js: 'globalThis.__arcApimLoadEnd = performance.now();' },
  },
  {
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  {
    ...common,
    sourcemap: 'inline',
    minify: false,
    entryPoints: integrationEntries,
    outdir: 'out/test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  },
];

if (!watch) {
  rmSync(path.join(repoRoot, 'dist'), { recursive: true, force: true });
  if (!production) rmSync(path.join(repoRoot, 'out'), { recursive: true, force: true });
}

// A production build is what gets packaged: it leaves the test bundle (out/) alone.
const active = builds.filter(
  (b) => Array.isArray(b.entryPoints) && b.entryPoints.length > 0 && !(production && b.outdir?.startsWith('out')),
);
if (watch) {
  for (const options of active) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(active.map((options) => esbuild.build(options)));
}
