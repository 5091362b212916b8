import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fixture } from './helpers.ts';

interface Manifest {
  contributes: {
    languages: { id: string; extensions?: string[]; firstLine?: string; configuration?: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
  };
}

const root = new URL('../../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as Manifest;
const language = manifest.contributes.languages.find((l) => l.id === 'apim-gateway-log');

describe('editor language contribution', () => {
  it('contributes the language with its files, configuration and grammar', () => {
    assert.ok(language);
    assert.deepEqual(language.extensions, ['.apimlog']);
    assert.ok(language.configuration && existsSync(new URL(language.configuration, root)));
    const grammar = manifest.contributes.grammars.find((g) => g.language === 'apim-gateway-log');
    assert.ok(grammar && existsSync(new URL(grammar.path, root)));
    const raw = JSON.parse(readFileSync(new URL(grammar.path, root), 'utf8')) as { scopeName: string; patterns: { include: string }[]; repository: Record<string, unknown> };
    assert.equal(raw.scopeName, grammar.scopeName);
    for (const p of raw.patterns) assert.ok(raw.repository[p.include.slice(1)], p.include);
  });

  it('recognises a file without a known extension by the first line of a gateway log, and nothing looser', () => {
    const firstLine = new RegExp(language?.firstLine ?? assert.fail('no firstLine'));
    const firstRecord = (text: string): string => text.split('\n').find((l) => l.startsWith('[Info]') || l.startsWith('[Warn]')) ?? '';
    for (const line of [
      firstRecord(fixture('seed-blog-v1.log')),
      firstRecord(fixture('generated/v2-text.log')),
      `[pod/gw-1/gateway] 2026-11-27T15:15:11.704000000Z ${firstRecord(fixture('seed-blog-v1.log'))}`,
      `2026-11-27T15:15:11.704000000Z ${firstRecord(fixture('generated/v2-text.log'))}`,
    ]) {
      assert.match(line, firstLine);
    }
    for (const line of ['[Info] Starting', 'info: Microsoft.Hosting.Lifetime[14]', '(c) Microsoft Corporation. All rights reserved.', '2024-01-01 12:00:00 [Info] x', '{"level":"Informational"}']) {
      assert.doesNotMatch(line, firstLine);
    }
  });
});
