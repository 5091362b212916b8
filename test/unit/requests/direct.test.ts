// The direct-URL transport against real local servers: plain HTTP, HTTPS with a certificate from the sandbox CA
// (which this process does not trust), and servers that stall, reset or send too much.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeService } from '../../../src/kubernetes/gateways.ts';
import { classifyNetworkError, DirectUrlTransport, loadBalancerBaseUrls, MAX_BODY_BYTES, validateBaseUrl } from '../../../src/requests/direct.ts';
import type { BuiltRequest } from '../../../src/requests/types.ts';
import { createSandboxCa } from '../../sandbox/tls.ts';

const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function built(overrides: Partial<BuiltRequest> = {}): BuiltRequest {
  return {
    method: 'POST',
    endpoint: { namespace: 'apim', service: 'gw', port: 5000, scheme: 'http' },
    pathAndQuery: '/echo/resource?param1=sample',
    url: 'http://gw.apim:5000/echo/resource?param1=sample',
    headers: [['X-Test', 'yes']],
    body: '{"hello":"world"}',
    subscriptionKey: KEY,
    ...overrides,
  };
}

const send = { timeoutMs: 5_000, signal: new AbortController().signal };

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

describe('validateBaseUrl', () => {
  it('accepts http(s)://host[:port] with or without a trailing slash, IPv6 in brackets', () => {
    assert.deepEqual(validateBaseUrl('http://10.0.0.5:5000'), { ok: true, url: 'http://10.0.0.5:5000' });
    assert.deepEqual(validateBaseUrl(' https://gw.contoso.com/ '), { ok: true, url: 'https://gw.contoso.com' });
    assert.deepEqual(validateBaseUrl('https://[::1]:8443'), { ok: true, url: 'https://[::1]:8443' });
  });

  it('names the rule broken', () => {
    const error = (text: string): string => {
      const r = validateBaseUrl(text);
      assert.equal(r.ok, false, text);
      return r.ok ? '' : r.error;
    };
    assert.match(error('10.0.0.5:5000'), /http:\/\/host/);
    assert.match(error('ftp://10.0.0.5'), /must be http or https, not ftp/);
    assert.match(error('http://10.0.0.5/echo'), /must not have a path/);
    assert.match(error('http://10.0.0.5/?x=1'), /must not have a query/);
    assert.match(error('http://10.0.0.5?x=1'), /must not have a query/);
    assert.match(error('http://10.0.0.5#frag'), /fragment/);
    assert.match(error('http://user:pw@10.0.0.5'), /user name or password/);
    assert.match(error('http://'), /needs a host/);
    assert.match(error('http://10.0.0.5:0'), /1 to 65535, not 0/);
    assert.match(error('http://10.0.0.5:70000'), /1 to 65535, not 70000/);
    assert.match(error('http://10.0.0.5:ab'), /1 to 65535/);
  });
});

describe('loadBalancerBaseUrls', () => {
  it('turns each ingress address and each port with a known scheme into a base URL', () => {
    const service = describeService({
      metadata: { namespace: 'apim', name: 'gw' },
      spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 5000, targetPort: 8080 }, { name: 'https', port: 5001, targetPort: 8081 }, { name: 'metrics', port: 9090 }] },
      status: { loadBalancer: { ingress: [{ ip: '10.0.0.5' }, { hostname: 'gw.example.net' }, { ip: 'fd00::5' }] } },
    }, []);
    assert.deepEqual(loadBalancerBaseUrls(service), [
      'http://10.0.0.5:5000', 'https://10.0.0.5:5001',
      'http://gw.example.net:5000', 'https://gw.example.net:5001',
      'http://[fd00::5]:5000', 'https://[fd00::5]:5001',
    ]);
  });

  it('gives nothing for a pending LoadBalancer or another Service type', () => {
    assert.deepEqual(loadBalancerBaseUrls(describeService({ spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80 }] } }, [])), []);
    assert.deepEqual(loadBalancerBaseUrls(describeService({ spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80 }] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }, [])), []);
  });
});

describe('classifyNetworkError', () => {
  it('maps Node error codes to transport error kinds', () => {
    const kind = (code: string): string => classifyNetworkError(Object.assign(new Error(code), { code })).error;
    assert.equal(kind('ECONNREFUSED'), 'connection-refused');
    assert.equal(kind('ETIMEDOUT'), 'timeout');
    assert.equal(kind('ENOTFOUND'), 'dns');
    assert.equal(kind('EAI_AGAIN'), 'dns');
    assert.equal(kind('ECONNRESET'), 'reset');
    for (const code of ['CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER']) {
      assert.equal(kind(code), 'tls', code);
    }
    assert.match(classifyNetworkError(Object.assign(new Error('x'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })).message, /accept an untrusted certificate/);
    assert.equal(kind('EHOSTUNREACH'), 'other');
  });
});

describe('DirectUrlTransport', () => {
  let dir: string;
  let http: Server;
  let https: Server;
  let httpPort: number;
  let httpsPort: number;
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url?.startsWith('/stall')) return;
      if (req.url?.startsWith('/reset')) {
        req.socket.destroy();
        return;
      }
      if (req.url?.startsWith('/big')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(Buffer.alloc(MAX_BODY_BYTES + 1_000_000, 'a'));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
      res.end('{"statusCode":404,"message":"Resource not found"}');
    });
  };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'direct-test-'));
    const ca = await createSandboxCa(dir);
    const { certPem, keyPem } = await ca.issue([]);
    http = createHttpServer(handler);
    https = createHttpsServer({ cert: certPem, key: keyPem }, handler);
    httpPort = await listen(http);
    httpsPort = await listen(https);
  });

  after(async () => {
    await close(http);
    await close(https);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends method, headers, body and the key header; answers with status, headers and body; the key is not in the description', async () => {
    const transport = new DirectUrlTransport({ baseUrl: `http://127.0.0.1:${httpPort}` });
    assert.equal(transport.kind, 'direct');
    const result = await transport.send(built(), send);
    const request = seen.at(-1);
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/echo/resource?param1=sample');
    assert.equal(request?.headers['x-test'], 'yes');
    assert.equal(request?.headers['ocp-apim-subscription-key'], KEY);
    assert.equal(request?.headers.host, `127.0.0.1:${httpPort}`);
    assert.equal(request?.body, '{"hello":"world"}');
    assert.equal(result.response.kind, 'http');
    assert.ok(result.response.kind === 'http');
    assert.equal(result.response.status, 404);
    assert.equal(result.response.headers?.['content-type'], 'application/json');
    assert.equal(result.response.headers?.['x-multi'], 'a, b');
    assert.equal(result.response.body, '{"statusCode":404,"message":"Resource not found"}');
    assert.equal(result.response.bodySize, 49);
    assert.equal(result.description, `POST http://127.0.0.1:${httpPort}/echo/resource?param1=sample`);
    assert.equal(result.url, `http://127.0.0.1:${httpPort}/echo/resource?param1=sample`);
    assert.ok(!JSON.stringify(result).includes(KEY));
    assert.ok(result.sentAt <= result.receivedAt);
  });

  it('sends a Host header the user gives instead of the address', async () => {
    await new DirectUrlTransport({ baseUrl: `http://127.0.0.1:${httpPort}` }).send(built({ headers: [['Host', 'gw.contoso.com']] }), send);
    assert.equal(seen.at(-1)?.headers.host, 'gw.contoso.com');
  });

  it('gives up after the timeout', async () => {
    const result = await new DirectUrlTransport({ baseUrl: `http://127.0.0.1:${httpPort}` }).send(built({ pathAndQuery: '/stall' }), { ...send, timeoutMs: 300 });
    assert.equal(result.response.kind, 'transport');
    assert.ok(result.response.kind === 'transport');
    assert.equal(result.response.error, 'timeout');
    assert.match(result.response.message ?? '', /No answer within/);
  });

  it('rethrows a cancel as an AbortError, before and during the request', async () => {
    const controller = new AbortController();
    const transport = new DirectUrlTransport({ baseUrl: `http://127.0.0.1:${httpPort}` });
    const sending = transport.send(built({ pathAndQuery: '/stall' }), { timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(sending, (e: Error) => e.name === 'AbortError');
    await assert.rejects(transport.send(built(), { timeoutMs: 10_000, signal: AbortSignal.abort() }), (e: Error) => e.name === 'AbortError');
  });

  it('reports a refused connection and a reset', async () => {
    const spare = createHttpServer();
    const port = await listen(spare);
    await close(spare);
    const refused = await new DirectUrlTransport({ baseUrl: `http://127.0.0.1:${port}` }).send(built(), send);
    assert.ok(refused.response.kind === 'transport');
    assert.equal(refused.response.error, 'connection-refused');
    const reset = await new DirectUrlTransport({ baseUrl: `http://127.0.0.1:${httpPort}` }).send(built({ pathAndQuery: '/reset' }), send);
    assert.ok(reset.response.kind === 'transport');
    assert.equal(reset.response.error, 'reset');
    assert.ok(!JSON.stringify([refused, reset]).includes(KEY));
  });

  it('refuses an untrusted certificate unless told to accept it', async () => {
    const strict = await new DirectUrlTransport({ baseUrl: `https://127.0.0.1:${httpsPort}` }).send(built(), send);
    assert.ok(strict.response.kind === 'transport');
    assert.equal(strict.response.error, 'tls');
    assert.match(strict.response.message ?? '', /accept an untrusted certificate/);
    assert.equal(strict.description, `POST https://127.0.0.1:${httpsPort}/echo/resource?param1=sample`);
    const insecure = await new DirectUrlTransport({ baseUrl: `https://127.0.0.1:${httpsPort}`, insecure: true }).send(built(), send);
    assert.ok(insecure.response.kind === 'http');
    assert.equal(insecure.response.status, 404);
    assert.equal(insecure.description, `POST https://127.0.0.1:${httpsPort}/echo/resource?param1=sample (certificate not verified)`);
    assert.equal(seen.at(-1)?.headers['ocp-apim-subscription-key'], KEY);
  });

  it('reports plain HTTP to a TLS port as a TLS failure', async () => {
    const result = await new DirectUrlTransport({ baseUrl: `https://127.0.0.1:${httpPort}`, insecure: true }).send(built(), send);
    assert.ok(result.response.kind === 'transport');
    assert.equal(result.response.error, 'tls');
  });

  it('keeps at most 5 MB of the body but reports its real size', async () => {
    const result = await new DirectUrlTransport({ baseUrl: `http://127.0.0.1:${httpPort}` }).send(built({ method: 'GET', pathAndQuery: '/big' }), send);
    assert.ok(result.response.kind === 'http');
    assert.equal(result.response.body?.length, MAX_BODY_BYTES);
    assert.equal(result.response.bodySize, MAX_BODY_BYTES + 1_000_000);
  });

  it('refuses to be built with an invalid base URL', () => {
    assert.throws(() => new DirectUrlTransport({ baseUrl: 'http://h/path' }), /must not have a path/);
  });
});
