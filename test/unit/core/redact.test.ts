import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { redact, replaceBase64Runs } from '../../../src/util/redact.ts';

describe('redact', () => {
  const token = 'rb-arc-aks-apimgw&202612271200&Qk9HVVMtU0lHTkFUVVJFLWZvci10ZXN0cy1vbmx5LW5vdC1yZWFs==';

  it('masks gateway tokens with and without the GatewayKey prefix', () => {
    assert.equal(redact(`config.service.auth: GatewayKey ${token}`), 'config.service.auth: GatewayKey ***');
    assert.equal(redact(`token ${token} expired`), 'token *** expired');
  });

  it('masks bearer tokens and key-like settings but keeps their names', () => {
    assert.equal(redact('Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig'), 'Authorization: Bearer ***');
    assert.equal(redact('Ocp-Apim-Subscription-Key: 0123456789abcdef0123'), 'Ocp-Apim-Subscription-Key: ***');
    assert.equal(redact('{"primaryKey":"abcdefghijklmnop"}'), '{"primaryKey":"***"}');
  });

  it('leaves ordinary text alone', () => {
    const text = 'GET /echo/resource?param1=sample returned 404 OperationNotFound';
    assert.equal(redact(text), text);
  });

  it('finds base64 runs exactly as /[A-Za-z0-9+/_-]{32,}={0,2}/g does, in one pass', () => {
    const piece = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', '+', '/', '_', '-'), minLength: 0, maxLength: 45 }),
      fc.constantFrom('=', '==', '===', ' ', '&', '%3D', '.', '\n'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        const mark = (run: string): string => `<${run.length}>`;
        assert.equal(replaceBase64Runs(text, mark), text.replace(/[A-Za-z0-9+/_-]{32,}={0,2}/g, mark));
      }),
      { numRuns: 2000 },
    );
  });
});
