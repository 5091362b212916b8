import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodesToToken, redact, redactEveryPattern, replaceBase64Runs } from '../../../src/util/redact.ts';

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

  it('decides whether a base64 run hides a token exactly as atob and the two patterns do', () => {
    // The reference: what the check was before it decoded in place.
    const reference = (run: string): boolean => {
      let text: string;
      try {
        const standard = run.includes('-') || run.includes('_') ? run.replace(/-/g, '+').replace(/_/g, '/') : run;
        text = atob(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
      } catch {
        return false;
      }
      return /&\d{12}&/.test(text) || /GatewayKey|SharedAccessSignature|subscription-?key/i.test(text);
    };
    const secretish = fc.oneof(
      fc.constantFrom('GatewayKey ', 'gAtEwAyKeY', 'SharedAccessSignature', 'subscription-key', 'SUBSCRIPTIONKEY', 'subscription_key'),
      fc.stringMatching(/^[a-z]{0,3}&\d{11,13}&[a-z]{0,3}$/),
      fc.string({ unit: 'binary-ascii', maxLength: 6 }),
      fc.uint8Array({ maxLength: 6 }).map((b) => String.fromCharCode(...b)),
    );
    const encoded = fc
      .tuple(fc.array(secretish, { maxLength: 5 }), fc.boolean(), fc.nat(2), fc.constantFrom('', '', '=', '=='))
      .map(([parts, urlSafe, cut, extra]) => {
        let run = btoa(parts.join(''));
        if (urlSafe) run = run.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        return run.slice(0, Math.max(0, run.length - cut)) + extra;
      });
    const runs = fc.oneof(
      encoded,
      fc.tuple(fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '+', '/', '_', '-', 'R', 'w'), minLength: 28, maxLength: 70 }), fc.constantFrom('', '=', '==')).map(([r, pad]) => r + pad),
    );
    fc.assert(fc.property(runs, (run) => assert.equal(decodesToToken(run), reference(run), run)), { numRuns: 5000 });
    assert.equal(decodesToToken(btoa('rb-arc-aks-apimgw&202612271200&c2lnbmF0dXJl')), true);
    assert.equal(decodesToToken('72632716-c430-469c-a43a-8c3b7cf3c256'), reference('72632716-c430-469c-a43a-8c3b7cf3c256'));
  });

  it('rules text out with one scan only where every pattern would have left it alone', () => {
    const token = 'rb-arc-aks-apimgw&202612271200&Qk9HVVMtU0lHTkFUVVJFLWZvci10ZXN0cy1vbmx5LW5vdC1yZWFs==';
    const piece = fc.oneof(
      fc.constantFrom(
        'Ocp-Apim-Subscription-Key', 'subscription_key', 'X-API-KEY', 'Authorization', 'proxy.authorization', 'primaryKey', 'auth-token',
        'access_token', 'gatewayKey', 'client.secret', 'PASSWORD', 'token', 'sig', 'SN', 'se', 'skn', 'Bearer', 'bearer', 'GatewayKey',
        'SharedAccessSignature', 'Basic', 'Digest',
      ),
      fc.constantFrom(': ', '=', '%3D', '%3d', '"', "'", '\\"', ' ', '%20', '&', '?', '%26', '%3F', ', ', '\n', '***', '/'),
      fc.constantFrom(token, encodeURIComponent(token), btoa(token), 'abc0123456789def', '202612271200', 'GET /echo/resource?x=1', '[Info] 2026-11-27T15:00:00.025 [GatewayLogs]'),
      fc.string({ unit: fc.constantFrom('a', 'K', 'e', 'y', 's', 'i', 'g', 'n', '0', '1', '&', '=', '%', '2', '6', '-', '_'), maxLength: 20 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const text = pieces.join('');
        assert.equal(redact(text), redactEveryPattern(text));
        // A row's search text masks a line and adds the line end after (gatewayLogsRows.ts): the same as masking both.
        assert.equal(`${redact(text)}\n`, redact(`${text}\n`), 'a line end added after masking');
      }),
      { numRuns: 5000 },
    );
  });
});
