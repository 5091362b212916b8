import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../../../src/util/redact.ts';

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
});
