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

/**
 * @kubernetes/client-node (ESM, ~18 MB bundled with its dependencies) is loaded with `await import()` on the first
 * cluster call. Bundled into extension.js it would still be parsed at every activation, so it gets a CJS bundle of
 * its own, dist/kubernetes-sdk.js, and extension.js `require`s that file only when the import runs.
 */
const KUBERNETES_SDK = '@kubernetes/client-node';
const kubernetesSdkOnDemand: esbuild.Plugin = {
  name: 'kubernetes-sdk-on-demand',
  setup(build) {
    build.onResolve({ filter: /^@kubernetes\/client-node$/ }, (args) =>
      args.kind === 'dynamic-import'
        ? { path: './kubernetes-sdk.js', external: true }
        : { errors: [{ text: `${KUBERNETES_SDK} must be loaded with await import() (src/kubernetes/client.ts), not a static import` }] },
    );
  },
};

/**
 * The Azure SDKs (arm-apimanagement alone is ~50 MB of sources) get the same treatment: src/azure/sdk.ts is the only
 * module that imports them, it is loaded with `await import('./sdk.ts')` by src/azure/clientFactory.ts, and it is
 * bundled on its own as dist/azure-sdk.js. A static import of an @azure package anywhere else would pull it into
 * extension.js, so it fails the build (type-only imports are erased before esbuild resolves anything).
 */
const AZURE_SDK_ENTRY = 'src/azure/sdk.ts';
const azureSdkOnDemand: esbuild.Plugin = {
  name: 'azure-sdk-on-demand',
  setup(build) {
    build.onResolve({ filter: /\/sdk\.ts$/ }, (args) => {
      if (path.resolve(args.resolveDir, args.path) !== path.join(repoRoot, AZURE_SDK_ENTRY)) return undefined;
      return args.kind === 'dynamic-import'
        ? { path: './azure-sdk.js', external: true }
        : { errors: [{ text: `${AZURE_SDK_ENTRY} must be loaded with await import() (src/azure/clientFactory.ts), not a static import` }] };
    });
    build.onResolve({ filter: /^@azure\// }, (args) => ({
      errors: [{ text: `${args.path} must only be imported by ${AZURE_SDK_ENTRY} (loaded on demand); use \`import type\` elsewhere` }],
    }));
  },
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
    plugins: [kubernetesSdkOnDemand, azureSdkOnDemand],
    // import() of the SDK becomes a plain require() of the sibling bundle, so Node's ESM loader is not involved.
    supported: { 'dynamic-import': false },
    // First and last statements of the bundle, so activation can report the cost of evaluating its own code.
    banner: { js: 'globalThis.__arcApimLoadStart = performance.now();' },
    footer: { js: 'globalThis.__arcApimLoadEnd = performance.now();' },
  },
  {
    ...common,
    // No sourcemap: the SDK's own code is not ours to debug, and its map would double the package size.
    sourcemap: false,
    entryPoints: [{ in: KUBERNETES_SDK, out: 'kubernetes-sdk' }],
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    sourcemap: false,
    entryPoints: [{ in: AZURE_SDK_ENTRY, out: 'azure-sdk' }],
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
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
