import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { localDiagnosticsFromStartup } from '../../../src/gatewayLogs/startup.ts';

const fixtures = path.join(import.meta.dirname, '..', '..', 'fixtures', 'gateway-logs');

describe('local diagnostics from the start-up log', () => {
  it('reads the seed blog gateway (1.x text) as writing request records', () => {
    assert.equal(localDiagnosticsFromStartup(readFileSync(path.join(fixtures, 'seed-blog-v1.log'), 'utf8')), true);
  });

  it('says off only when the configuration finished loading without adding local diagnostics', () => {
    const blog = readFileSync(path.join(fixtures, 'seed-blog-v1.log'), 'utf8');
    const without = blog.split('\n').filter((l) => !l.includes('LocalDiagnosticAddedToTenant')).join('\n');
    assert.equal(localDiagnosticsFromStartup(without), false);
    const json = '{"Timestamp":"2023-08-25T10:56:01.12Z","Level":"Information","EventName":"ConfigInitialSyncCompleted","Source":"ConfigurationRepositoryProvider"}';
    assert.equal(localDiagnosticsFromStartup(json), false);
  });

  it('concludes nothing from a log that does not reach the end of the start-up', () => {
    const blog = readFileSync(path.join(fixtures, 'seed-blog-v1.log'), 'utf8');
    const head = blog.slice(0, blog.indexOf('LocalLoggerAddedToTenant'));
    assert.equal(localDiagnosticsFromStartup(head), undefined);
    assert.equal(localDiagnosticsFromStartup(''), undefined);
  });
});
