import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandLine, curlArgs, curlErrorKind, curlScript, maskCurlArgs, parseCurlOutput, TIMING_MARKER } from '../../../src/requests/curl.ts';
import { buildTestRequest } from '../../../src/requests/build.ts';
import { serviceProxyPath } from '../../../src/requests/serviceProxy.ts';
import { curlPodManifest, keySecretManifest } from '../../../src/requests/curlPod.ts';

const KEY = 'f3c1a9d2e8b74c56a0d9e1f2b3c4d5e6';

function built(scheme: 'http' | 'https' = 'http', key?: string) {
  const b = buildTestRequest({ method: 'POST', path: '/echo/resource', headers: [['Content-Type', 'text/plain']], body: 'hi', ...(key ? { subscriptionKey: key } : {}) }, { namespace: 'apim', service: 'gw', port: scheme === 'http' ? 5000 : 5443, scheme });
  assert.ok(b.ok);
  return b.request;
}

describe('curl output', () => {
  it('reads status, headers, body and timing of the final response', () => {
    const text = `HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n{ "statusCode": 404, "message": "Resource not found" }\n${TIMING_MARKER} 0.012345`;
    const out = parseCurlOutput(text, 0);
    assert.ok(out.ok);
    assert.equal(out.response.status, 404);
    assert.equal(out.response.headers?.['content-type'], 'application/json');
    assert.equal(out.response.headers?.['set-cookie'], 'a=1, b=2');
    assert.equal(out.response.body, '{ "statusCode": 404, "message": "Resource not found" }');
    assert.equal(out.response.durationMs, 12);
  });

  it('skips 100 Continue and a proxy CONNECT block; reads HTTP/2 status lines and LF-only output', () => {
    const cont = parseCurlOutput('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nA: b\r\n\r\nbody');
    assert.ok(cont.ok);
    assert.equal(cont.response.status, 200);
    assert.equal(cont.response.body, 'body');
    const proxy = parseCurlOutput('HTTP/1.1 200 Connection established\r\n\r\nHTTP/2 401\r\nwww-authenticate: x\r\n\r\n');
    assert.ok(proxy.ok);
    assert.equal(proxy.response.status, 401);
    assert.equal(proxy.response.body, '');
    const lf = parseCurlOutput('HTTP/1.1 200 OK\nX: 1\n\n<p>hi</p>');
    assert.ok(lf.ok);
    assert.equal(lf.response.body, '<p>hi</p>');
    assert.equal(lf.response.bodySize, 9);
  });

  it("turns curl's own errors into transport failures by exit code", () => {
    const refused = parseCurlOutput(`curl: (7) Failed to connect to gw.apim port 5000 after 3 ms: Could not connect to server\n${TIMING_MARKER} 0.003`, 7);
    assert.deepEqual(refused, { ok: false, error: 'connection-refused', message: 'curl: (7) Failed to connect to gw.apim port 5000 after 3 ms: Could not connect to server' });
    assert.equal(curlErrorKind(6), 'dns');
    assert.equal(curlErrorKind(28), 'timeout');
    assert.equal(curlErrorKind(60), 'tls');
    assert.equal(curlErrorKind(56), 'reset');
    assert.equal(curlErrorKind(undefined, 'curl: (28) Operation timed out'), 'timeout');
    assert.equal(parseCurlOutput('', 1).ok, false);
  });

  it('never throws and always keeps the body after the final header block (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        parseCurlOutput(s);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 599 }), fc.string(), (status, body) => {
        const out = parseCurlOutput(`HTTP/1.1 ${status} X\r\n\r\n${body}\n${TIMING_MARKER} 0.1`);
        assert.ok(out.ok);
        assert.equal(out.response.status, status);
        assert.equal(out.response.body, body);
      }),
    );
  });
});

describe('curl args and transports', () => {
  it('builds -sS -i -m with headers, body, -k for https, and masks the key in anything shown', () => {
    const args = curlArgs(built('https', KEY), 20);
    assert.deepEqual(args.slice(0, 7), ['-sS', '-i', '-m', '20', '-X', 'POST', '-k']);
    assert.ok(args.includes(`Ocp-Apim-Subscription-Key: ${KEY}`));
    assert.equal(args.at(-1), 'https://gw.apim:5443/echo/resource');
    const shown = commandLine(maskCurlArgs(args, KEY));
    assert.ok(!shown.includes(KEY));
    assert.match(shown, /'Ocp-Apim-Subscription-Key: \*\*\*'/);
    assert.equal(maskCurlArgs(['http://x/a?subscription-key=abc&b=1'])[0], 'http://x/a?subscription-key=***&b=1');
  });

  it('names the service proxy path, with https: for an https port', () => {
    assert.equal(serviceProxyPath(built('http')), '/api/v1/namespaces/apim/services/gw:5000/proxy/echo/resource');
    assert.equal(serviceProxyPath(built('https')), '/api/v1/namespaces/apim/services/https:gw:5443/proxy/echo/resource');
  });

  it('makes a pod that runs once and goes away on its own', () => {
    const pod = curlPodManifest('t', 'apim', ['-sS'], 20) as { spec: { restartPolicy: string; activeDeadlineSeconds: number; containers: { image: string; args: string[] }[] } };
    assert.equal(pod.spec.restartPolicy, 'Never');
    assert.equal(pod.spec.containers[0]?.image, 'curlimages/curl');
    assert.deepEqual(pod.spec.containers[0]?.args, ['-sS']);
    assert.ok(pod.spec.activeDeadlineSeconds > 20);
  });

  it('with a key, keeps it out of the pod: the header takes it from APIM_KEY, filled from the Secret that holds it', () => {
    const args = curlArgs(built('https', KEY), 20);
    const pod = curlPodManifest('t', 'apim', args, 20, undefined, { value: KEY, secretName: 't-key' }) as {
      metadata: { labels: Record<string, string> };
      spec: { containers: { command: string[]; args?: string[]; env: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }[] }[] };
    };
    assert.ok(!JSON.stringify(pod).includes(KEY), 'no key anywhere in the pod');
    const container = pod.spec.containers[0]!;
    assert.equal(container.args, undefined);
    assert.deepEqual(container.command.slice(0, 2), ['/bin/sh', '-c']);
    assert.match(container.command[2]!, /^exec curl -sS -i -m 20 -X POST -k /);
    assert.ok(container.command[2]!.includes(`'Ocp-Apim-Subscription-Key: '"$APIM_KEY"`));
    assert.deepEqual(container.env, [{ name: 'APIM_KEY', valueFrom: { secretKeyRef: { name: 't-key', key: 'subscription-key' } } }]);

    const secret = keySecretManifest('t-key', 'apim', KEY) as { kind: string; type: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; data: Record<string, string> };
    assert.equal(secret.kind, 'Secret');
    assert.equal(secret.type, 'Opaque');
    assert.deepEqual(secret.metadata, { name: 't-key', namespace: 'apim', labels: pod.metadata.labels });
    assert.equal(Buffer.from(secret.data['subscription-key']!, 'base64').toString('utf8'), KEY);

    // What the user is shown is still the curl command line, the header there with its value masked.
    const shown = commandLine(maskCurlArgs(args, KEY));
    assert.match(shown, /^curl -sS -i -m 20 -X POST -k .*'Ocp-Apim-Subscription-Key: \*\*\*'/);
    assert.ok(!shown.includes('APIM_KEY') && !shown.includes(KEY));
  });

  it('quotes every word of the sh -c script literally and replaces each occurrence of the key, wherever it is', () => {
    assert.equal(curlScript(['-H', "X: it's", 'http://x/a?subscription-key=K&b=K'], 'K'), `exec curl -H 'X: it'\\''s' 'http://x/a?subscription-key='"$APIM_KEY"'&b='"$APIM_KEY"`);
    assert.equal(curlScript(['', 'K', 'a b $HOME `x`'], 'K'), `exec curl '' "$APIM_KEY" 'a b $HOME \`x\`'`);
    fc.assert(
      // APIM keys are 32 hex digits.
      fc.property(fc.array(fc.string()), fc.stringMatching(/^[0-9a-f]{32}$/), (args, key) => {
        const script = curlScript([...args, `Ocp-Apim-Subscription-Key: ${key}`, `${key}${key}`], key);
        assert.ok(!script.includes(key));
      }),
    );
  });
});
