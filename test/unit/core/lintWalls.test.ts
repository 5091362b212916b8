// The architecture walls in eslint.config.mjs fire: each offending import below, linted as if it lived in the folder
// named, is refused by @typescript-eslint/no-restricted-imports; the allowed forms (type-only imports, imports inside
// the folder's own area) pass. Runs ESLint's own API on small snippets with the project's config.
import * as assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RULE = '@typescript-eslint/no-restricted-imports';
const eslint = new ESLint({
  cwd: ROOT,
  // The snippets are not files of the TypeScript project: only the import walls are checked, without type information.
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === RULE,
});

async function refusals(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  assert.ok(result, 'a lint result');
  const fatal = result.messages.filter((m) => m.fatal);
  assert.deepEqual(fatal, [], 'the snippet parses');
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

const PURE_CORES = ['src/gatewayLogs/wall.ts', 'src/diagnosis/wall.ts', 'src/contract/wall.ts'];

describe('lint walls', () => {
  for (const file of PURE_CORES) {
    it(`${file}: no vscode, no Node built-ins, no SDK values, no host-side folder`, async () => {
      assert.equal((await refusals(file, "import * as vscode from 'vscode';\nexport const x = vscode;\n")).length, 1);
      assert.equal((await refusals(file, "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).length, 1);
      assert.equal((await refusals(file, "import * as path from 'path';\nexport const x = path;\n")).length, 1);
      assert.equal((await refusals(file, "import { ApiManagementClient } from '@azure/arm-apimanagement';\nexport const x = ApiManagementClient;\n")).length, 1);
      assert.equal((await refusals(file, "import { armIdOf } from '../azure/explorerItems.ts';\nexport const x = armIdOf;\n")).length, 1);
      assert.equal((await refusals(file, "import { redact } from '../extensionLog.ts';\nexport const x = redact;\n")).length, 1);
      assert.equal((await refusals(file, "import { logFile } from '../../bench/webview.ts';\nexport const x = logFile;\n")).length, 1);
    });

    it(`${file}: type-only imports of SDK models and host types, and its own neighbours, pass`, async () => {
      assert.deepEqual(await refusals(file, "import type { ApiContract } from '@azure/arm-apimanagement';\nexport type X = ApiContract;\n"), []);
      assert.deepEqual(await refusals(file, "import type { PodState } from '../logSessions/session.ts';\nexport type X = PodState;\n"), []);
      assert.deepEqual(await refusals(file, "import { parseGatewayLog } from '../gatewayLogs/parser.ts';\nexport const x = parseGatewayLog;\n"), []);
    });
  }

  it('src/webview and what it reaches: no vscode, no Node built-ins', async () => {
    for (const file of ['src/webview/testRequest/wall.ts', 'src/requests/form.ts']) {
      assert.equal((await refusals(file, "import * as vscode from 'vscode';\nexport const x = vscode;\n")).length, 1, file);
      assert.equal((await refusals(file, "import { EventEmitter } from 'node:events';\nexport const x = EventEmitter;\n")).length, 1, file);
      assert.equal((await refusals(file, "import * as http from 'http';\nexport const x = http;\n")).length, 1, file);
    }
  });

  it('host code may use Node, but nothing in src/ or test/sandbox/ imports bench/', async () => {
    assert.deepEqual(await refusals('src/kubernetes/wall.ts', "import * as https from 'node:https';\nexport const x = https;\n"), []);
    assert.equal((await refusals('src/kubernetes/wall.ts', "import { x } from '../../bench/webview.ts';\nexport const y = x;\n")).length, 1);
    assert.equal((await refusals('test/sandbox/k8s/wall.ts', "import { x } from '../../../bench/webview.ts';\nexport const y = x;\n")).length, 1);
    assert.deepEqual(await refusals('test/unit/wall.ts', "import { x } from '../../bench/webview.ts';\nexport const y = x;\n"), []);
  });
});
