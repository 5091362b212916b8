// The sandbox's sh as the curl pod runs it with a subscription key: `sh -c 'exec curl … "$APIM_KEY" …'`, the key
// only in the environment (as a secretKeyRef fills it). `exec` replaces the shell: curl's exit code is the shell's
// and nothing after it runs; the quoted words reach curl exactly as the args they were made from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { curlArgs, curlScript } from '../../src/requests/curl.ts';
import { buildTestRequest } from '../../src/requests/build.ts';
import type { ContainerContext, SimResponse } from './k8s/containers.ts';
import { Shell, words } from './k8s/programs/shell.ts';

const KEY = '0123456789abcdef0123456789abcdef';

function context(env: Record<string, string>, seen: { headers: Record<string, string>; body: string }[], signal: AbortSignal, status = 200): ContainerContext {
  return {
    namespace: 'apim', podName: 'arc-apim-test-x', podIP: '10.244.0.9', containerName: 'curl', image: 'curlimages/curl',
    command: [], args: [], env, restartCount: 0, signal,
    log() { /* unused */ },
    exit() { /* unused */ },
    fetch(_host, _port, request): Promise<SimResponse> {
      seen.push({ headers: request.headers, body: request.body.toString('utf8') });
      return Promise.resolve({ status, headers: { 'content-type': 'text/plain' }, body: Buffer.from('ok') });
    },
  };
}

function run(script: string, env: Record<string, string>, status = 200): Promise<{ code: number; out: string; seen: { headers: Record<string, string>; body: string }[] }> {
  const seen: { headers: Record<string, string>; body: string }[] = [];
  let out = '';
  const io = { stdout: (t: string) => { out += t; }, stderr: (t: string) => { out += t; } };
  // Stopping the container afterwards ends curl's -m timer.
  const container = new AbortController();
  return new Shell(context(env, seen, container.signal, status), io, { curl: '8.11.1' }).command(['/bin/sh', '-c', script])
    .then((code) => ({ code, out, seen }))
    .finally(() => container.abort());
}

describe('sandbox sh: exec and the curl pod script', () => {
  it('exec runs the command in place of the shell: its status is the shell\'s, nothing after it runs', async () => {
    assert.deepEqual((await run('exec false; echo after', {})).code, 1);
    const r = await run('echo before; exec echo replaced; echo after', {});
    assert.equal(r.out, 'before\nreplaced\n');
    assert.equal(r.code, 0);
    assert.equal((await run('exec; echo still here', {})).out, 'still here\n');
  });

  it('runs the curl pod script: the key header from $APIM_KEY, the body and other words unchanged, curl\'s exit code', async () => {
    const built = buildTestRequest({ method: 'POST', path: '/echo/resource', headers: [['X-Note', `it's "quoted" $HOME \`x\``]], body: 'line 1\nline \'2\'; echo no', subscriptionKey: KEY }, { namespace: 'apim', service: 'gw', port: 5000, scheme: 'http' });
    assert.ok(built.ok);
    const script = curlScript(curlArgs(built.request, 5), KEY);
    assert.ok(!script.includes(KEY));
    const r = await run(script, { APIM_KEY: KEY });
    assert.equal(r.code, 0, r.out);
    assert.equal(r.seen.length, 1);
    assert.equal(r.seen[0]!.headers['ocp-apim-subscription-key'], KEY);
    assert.equal(r.seen[0]!.headers['x-note'], `it's "quoted" $HOME \`x\``);
    assert.equal(r.seen[0]!.body, 'line 1\nline \'2\'; echo no');
    assert.match(r.out, /^HTTP\/1\.1 200 OK\r\n/);
    assert.ok(!r.out.includes('no\n'), 'nothing in the body runs as a command');
  });

  it('splits the script back into exactly the args it was made from, the key coming from the environment', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.stringMatching(/^[0-9a-f]{32}$/), (args, key) => {
        const withKey = [...args, `Ocp-Apim-Subscription-Key: ${key}`];
        assert.deepEqual(words(curlScript(withKey, key), { APIM_KEY: key }, 0), ['exec', 'curl', ...withKey]);
      }),
    );
  });
});
