// Type-aware linting for the extension, the webviews, the sandbox and the scripts; zero warnings allowed.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The architecture walls, enforced here rather than by good intentions (node ../shared/tools/walls.cjs reads the same
// walls from the imports). ESLint applies the last matching block's options for a rule, so each block below carries
// every wall that applies to its files; test/unit/core/lintWalls.test.ts proves each one fires.
const NODE_BUILTINS = {
  paths: builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: 'Pure or browser code: no Node built-ins.' })),
  patterns: [{ group: ['node:*'], message: 'Pure or browser code: no Node built-ins.' }],
};
const VSCODE = { name: 'vscode', message: 'Pure or browser code: no vscode import.' };
const SDKS = { group: ['@azure/*', '@kubernetes/*'], allowTypeImports: true, message: 'Pure or browser code: SDK model types only (import type).' };
const HOST_FOLDERS = ['azure', 'kubernetes', 'panels', 'commands', 'tree', 'wizards', 'editor', 'logSessions', 'requests', 'webview', 'composition', 'extension', 'extensionLog', 'healthCheck'];
const HOST = { regex: `^(\\.\\./)+(${HOST_FOLDERS.join('|')})(/|\\.ts$)`, allowTypeImports: true, message: 'Pure core: no value import from a host-side folder (types are fine).' };
const BENCH = { regex: '(^|/)bench/', message: 'Benchmarks are not product or sandbox code: move what both need to a shared place (test/sandbox).' };
const walls = (...groups) => ['error', { paths: groups.flatMap((g) => g.paths ?? []), patterns: groups.flatMap((g) => g.patterns ?? []) }];
const pureCore = walls(NODE_BUILTINS, { paths: [VSCODE], patterns: [SDKS, HOST, BENCH] });
const browser = walls(NODE_BUILTINS, { paths: [VSCODE], patterns: [SDKS, BENCH] });
const noBench = walls({ patterns: [BENCH] });

/** Files outside src/webview that webview code reaches through value imports (they end up in the browser bundle). */
function reachedFromWebview() {
  const root = resolve(import.meta.dirname, 'src');
  const files = [];
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) walk(p); else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p); } };
  walk(root);
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]/g)) {
      const target = resolve(dirname(file), m[1]);
      if (existsSync(target) && statSync(target).isFile()) visit(target);
    }
  };
  for (const f of files) if (f.startsWith(join(root, 'webview'))) visit(f);
  return [...seen].map((f) => relative(import.meta.dirname, f)).filter((f) => !/^src\/(webview|gatewayLogs|diagnosis|contract)\//.test(f));
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '.sandbox/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Pure modules: importing vscode here would make them untestable in plain Node and unusable in the webview.
    files: [
      'src/gatewayLogs/**/*.ts',
      'src/diagnosis/**/*.ts',
      'src/contract/**/*.ts',
      'src/kubernetes/**/*.ts',
      'src/logSessions/**/*.ts',
      'src/requests/**/*.ts',
      'src/azure/{armIds,armService,armTypes,clientFactory,clouds,credential,explorerItems,gatewayExtension,gatewayFacts,kubeContexts,models,podProgress,records,sdk,tokens,validation}.ts',
      'src/editor/{explanations,hoverTargets,folding,documentModel,updatePump,requestAdvisor}.ts',
      'src/panels/{gatewayLogsRows,gatewayLogsProvider,testRequestResult}.ts',
      'src/webview/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Pure module: no vscode import.' }] }] },
  },
  { files: ['src/**/*.ts', 'test/sandbox/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': noBench } },
  { files: reachedFromWebview(), rules: { '@typescript-eslint/no-restricted-imports': browser } },
  { files: ['src/webview/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': browser } },
  { files: ['src/gatewayLogs/**/*.ts', 'src/diagnosis/**/*.ts', 'src/contract/**/*.ts', 'src/health/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': pureCore } },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
