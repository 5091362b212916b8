// Type-aware linting for the extension, the webviews, the sandbox and the scripts; zero warnings allowed.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
      'src/panels/{gatewayLogsRows,gatewayLogsProvider}.ts',
      'src/webview/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Pure module: no vscode import.' }] }] },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
