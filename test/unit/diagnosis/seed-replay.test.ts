import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { diagnose, type DiagnosisInput, type Finding } from '../../../src/diagnosis/index.ts';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { codes, fixIds } from './builders.ts';

// Input/expected pairs in test/fixtures/diagnosis: each input names a log file and the correlation id of its request
// record, which is read through the real parser (the seed blog's own `kubectl logs` output for the first two), so the
// record reaches diagnose exactly as the extension will hand it over.

const dir = new URL('../../fixtures/diagnosis/', import.meta.url);

interface Case {
  description: string;
  log: { file: string; correlationId: string };
  input: DiagnosisInput;
}

function load(name: string): { input: DiagnosisInput; expected: Finding[] } {
  const c = JSON.parse(readFileSync(new URL(`${name}.input.json`, dir), 'utf8')) as Case;
  const entries = parseGatewayLog(readFileSync(new URL(c.log.file, dir), 'utf8'));
  const record = entries.find((e) => e.request?.correlationId === c.log.correlationId);
  assert.ok(record, `${name}: no record ${c.log.correlationId} in ${c.log.file}`);
  // The file is a whole `kubectl logs` output, so the record's line is the pod log's.
  const input: DiagnosisInput = { ...c.input, log: { searchedMs: 0, ...c.input.log, record, recordLine: record.line } };
  const expected = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as Finding[];
  return { input, expected };
}

describe('fixture pairs', () => {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.input.json'))
    .map((f) => f.replace(/\.input\.json$/, ''));

  it('has the four seed-blog cases', () => {
    assert.deepEqual(names.sort(), ['seed-blog', 'seed-blog-bad-key', 'seed-blog-http-allowed', 'seed-blog-legacy-service']);
  });

  for (const name of names) {
    it(`${name} gives exactly its expected findings`, () => {
      const { input, expected } = load(name);
      assert.deepEqual(diagnose(input), expected);
    });
  }
});

describe('seed blog replay', () => {
  it('HTTP to the HTTPS-only Echo API: scheme-not-allowed first, fixes retry-https and allow-http', () => {
    const { input } = load('seed-blog');
    const findings = diagnose(input);
    const [first] = findings;
    assert.equal(first?.code, 'scheme-not-allowed');
    assert.equal(first?.severity, 'error');
    assert.deepEqual(fixIds(first).sort(), ['allow-http', 'retry-https']);
    assert.deepEqual(
      first?.fixes.find((f) => f.id === 'retry-https'),
      {
        id: 'retry-https',
        label: 'Resend over HTTPS (port 8081)',
        url: 'https://rb-arc-aks-apimgw-azure-api-management-gateway.apim:8081/echo/resource?param1=sample',
      },
    );
    assert.deepEqual(first?.fixes.find((f) => f.id === 'allow-http'), { id: 'allow-http', label: 'Allow HTTP on Echo API', apiId: 'echo-api' });
    assert.match(first?.explanation ?? '', /Echo API \(echo-api\) accepts only https.*used http/);
    assert.ok(first?.evidence.some((e) => e.label === 'Request scheme' && e.value === 'http'));
    assert.ok(first?.evidence.some((e) => e.label === 'Echo API protocols' && e.value === 'https'));
    assert.ok(first?.evidence.some((e) => e.value === '404 OperationNotFound, lastError.source configuration, no apiId'));
    // Echo API is assigned, the path and method match an operation: nothing else may be blamed.
    assert.deepEqual(codes(findings), ['scheme-not-allowed']);
  });

  it('the 2021 single-port Service has no HTTPS port, so no HTTPS URL is invented', () => {
    const { input } = load('seed-blog-legacy-service');
    const [first] = diagnose(input);
    assert.equal(first?.code, 'scheme-not-allowed');
    assert.deepEqual(fixIds(first), ['allow-http']);
  });

  it('after allowing HTTP: 401 subscription-key-missing with pick-subscription-key', () => {
    const { input } = load('seed-blog-http-allowed');
    const findings = diagnose(input);
    assert.deepEqual(codes(findings), ['subscription-key-missing']);
    assert.deepEqual(findings[0]?.fixes, [{ id: 'pick-subscription-key', label: 'Pick a subscription key for Echo API', apiId: 'echo-api' }]);
  });

  it('with a bad key: 401 subscription-key-invalid', () => {
    const { input } = load('seed-blog-bad-key');
    const findings = diagnose(input);
    assert.deepEqual(codes(findings), ['subscription-key-invalid']);
    assert.deepEqual(fixIds(findings[0]), ['pick-subscription-key']);
  });

  it('the allow-http step is what turns the 404 into a 401: same request, only the protocols differ', () => {
    const before = load('seed-blog').input;
    const after = load('seed-blog-http-allowed').input;
    const echoBefore = before.gateway?.apis?.find((a) => a.api.name === 'echo-api')?.api;
    const echoAfter = after.gateway?.apis?.find((a) => a.api.name === 'echo-api')?.api;
    assert.deepEqual(echoBefore?.protocols, ['https']);
    assert.deepEqual({ ...echoAfter, protocols: ['https'] }, echoBefore);
    assert.equal(before.request.url, after.request.url);
  });
});
