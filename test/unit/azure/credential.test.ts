import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachingCredential, classifyCliError, isSignInRequired, jwtExpiry } from '../../../src/azure/credential.ts';
import { matchKubeContext } from '../../../src/azure/kubeContexts.ts';
import { AzureRecords } from '../../../src/azure/records.ts';

describe('caching credential', () => {
  it('shares one call among concurrent requests and reuses the token until 5 minutes before expiry', async () => {
    let now = 1_000_000;
    let calls = 0;
    let release: () => void = () => undefined;
    const inner = {
      getToken: async () => {
        calls++;
        await new Promise<void>((resolve) => (release = resolve));
        return { token: `t${calls}`, expiresOnTimestamp: now + 60 * 60 * 1000 };
      },
    };
    const cred = cachingCredential(inner, () => now);
    const many = Promise.all(Array.from({ length: 50 }, () => cred.getToken('https://arm/.default')));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const tokens = await many;
    assert.equal(calls, 1, '50 concurrent requests, one az call');
    assert.ok(tokens.every((t) => t?.token === 't1'));
    now += 54 * 60 * 1000;
    assert.equal((await cred.getToken('https://arm/.default'))?.token, 't1');
    now += 2 * 60 * 1000;
    const renewed = cred.getToken('https://arm/.default');
    await new Promise((resolve) => setImmediate(resolve));
    release();
    assert.equal((await renewed)?.token, 't2', 'renewed inside the 5-minute margin');
  });

  it('keeps tokens per scope and tenant, and passes claims challenges through', async () => {
    const seen: string[] = [];
    const cred = cachingCredential({ getToken: async (scopes, options) => { seen.push(`${String(scopes)}|${options?.tenantId ?? ''}|${options?.claims ?? ''}`); return { token: 'x', expiresOnTimestamp: Date.now() + 3_600_000 }; } });
    await cred.getToken('a');
    await cred.getToken('a');
    await cred.getToken('b');
    await cred.getToken('a', { tenantId: 't' });
    await cred.getToken('a', { claims: 'c' });
    assert.deepEqual(seen, ['a||', 'b||', 'a|t|', 'a||c']);
  });

  it('turns az login / not installed into sign-in states, other failures stay errors', () => {
    assert.ok(isSignInRequired(classifyCliError(new Error("Please run 'az login' from a command prompt to authenticate before using this credential."))));
    assert.ok(isSignInRequired(classifyCliError(new Error('Azure CLI could not be found. Please visit https://aka.ms/azure-cli'))));
    const other = classifyCliError(new Error('AADSTS500011: The resource principal named x was not found'));
    assert.ok(!isSignInRequired(other));
    assert.match(other.message, /AADSTS500011/);
  });

  it('reads a JWT expiry without trusting it for anything else', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_800_000_000 })).toString('base64url');
    assert.equal(jwtExpiry(`h.${payload}.s`), 1_800_000_000_000);
    assert.equal(jwtExpiry('opaque-token'), undefined);
    assert.equal(jwtExpiry('a.!!!.c'), undefined);
  });
});

describe('kubeconfig context of an Arc cluster', () => {
  const contexts = [
    { name: 'rb-arc-aks', cluster: 'rb-arc-aks' },
    { name: 'admin@edge', cluster: 'edge-1' },
    { name: 'dev', cluster: 'shared' },
    { name: 'ops', cluster: 'shared' },
  ];
  it('remembered choice, then same name, then a single context on a cluster of that name', () => {
    assert.equal(matchKubeContext('rb-arc-aks', contexts, undefined), 'rb-arc-aks');
    assert.equal(matchKubeContext('rb-arc-aks', contexts, 'dev'), 'dev');
    assert.equal(matchKubeContext('rb-arc-aks', contexts, 'gone'), 'rb-arc-aks', 'a remembered context that no longer exists is ignored');
    assert.equal(matchKubeContext('edge-1', contexts, undefined), 'admin@edge');
    assert.equal(matchKubeContext('shared', contexts, undefined), undefined, 'two contexts on that cluster: ask');
    assert.equal(matchKubeContext('RB-ARC-AKS', contexts, undefined), 'rb-arc-aks');
    assert.equal(matchKubeContext('elsewhere', contexts, undefined), undefined);
  });
});

describe('remembered records', () => {
  function store(): { get<T>(k: string): T | undefined; update(k: string, v: unknown): Promise<void>; data: Map<string, unknown> } {
    const data = new Map<string, unknown>();
    return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, v) };
  }
  it('one deployment record per extension (a redeploy replaces it); ids compared case-insensitively', async () => {
    const s = store();
    const records = new AzureRecords(s);
    await records.recordDeployment({ gatewayId: '/G/a', extensionId: '/E/x', tokenExpiry: '2026-12-01T00:00:00.000Z', keyType: 'primary', deployedAt: '2026-11-01T00:00:00.000Z' });
    await records.recordDeployment({ gatewayId: '/G/b', extensionId: '/e/X', tokenExpiry: '2026-12-02T00:00:00.000Z', keyType: 'secondary', deployedAt: '2026-11-02T00:00:00.000Z' });
    assert.equal(records.deploymentsOf('/g/A').length, 0);
    assert.equal(records.deploymentsOf('/G/b').length, 1);
    assert.equal(records.deploymentOfExtension('/E/X')?.keyType, 'secondary');
    await records.setKubeContext('/Sub/Cluster', 'ctx');
    assert.equal(records.kubeContextFor('/sub/cluster'), 'ctx');
    await records.forgetGateway('/g/b');
    assert.equal(records.deploymentOfExtension('/E/X'), undefined);
    assert.deepEqual([...s.data.keys()].sort(), ['arcApimGateway.azure.deployments', 'arcApimGateway.azure.kubeContexts']);
  });
});
