// The sandbox's `az` (test/sandbox/bin/az) as @azure/identity's AzureCliCredential sees it: the JSON of `az account
// get-access-token`, az's exit codes and messages, and the real credential and the extension's ARM service signing
// in with it to the custom cloud the sandbox is.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { ArmAzureData } from '../../src/azure/armService.ts';
import { azureCliCredential, createAzureClientFactory } from '../../src/azure/clientFactory.ts';
import { resolveCloud } from '../../src/azure/clouds.ts';
import { isSignInRequired } from '../../src/azure/credential.ts';
import { startSandbox, type RunningSandbox } from './index.ts';

function az(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Asynchronously: the sandbox answering the probe lives in this very process.
    execFile('az', args, { env, cwd: '/bin' }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('the sandbox az stand-in', () => {
  let sandbox: RunningSandbox;
  let env: NodeJS.ProcessEnv;
  const saved = { PATH: process.env.PATH, AZURE_CONFIG_DIR: process.env.AZURE_CONFIG_DIR };

  before(async () => {
    sandbox = await startSandbox({ world: 'blog-start' });
    env = { ...process.env, PATH: sandbox.env.PATH, AZURE_CONFIG_DIR: sandbox.env.AZURE_CONFIG_DIR };
    // AzureCliCredential runs `az` from this process's PATH, as it would in VS Code's extension host.
    process.env.PATH = sandbox.env.PATH;
    process.env.AZURE_CONFIG_DIR = sandbox.env.AZURE_CONFIG_DIR;
  });

  after(async () => {
    process.env.PATH = saved.PATH;
    if (saved.AZURE_CONFIG_DIR === undefined) delete process.env.AZURE_CONFIG_DIR;
    else process.env.AZURE_CONFIG_DIR = saved.AZURE_CONFIG_DIR;
    await sandbox?.close();
  });

  it('answers get-access-token with the JSON AzureCliCredential parses', async () => {
    const r = await az(['account', 'get-access-token', '--output', 'json', '--resource', sandbox.info.armEndpoint], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json).sort(), ['accessToken', 'expiresOn', 'expires_on', 'subscription', 'tenant', 'tokenType']);
    assert.equal(json.accessToken, sandbox.info.armToken);
    assert.equal(json.tokenType, 'Bearer');
    assert.equal(json.subscription, sandbox.info.subscriptionId);
    assert.match(String(json.expiresOn), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/);
    const seconds = Number(json.expires_on);
    assert.ok(seconds * 1000 > Date.now() + 50 * 60 * 1000 && seconds * 1000 <= Date.now() + 61 * 60 * 1000);
    // --scope and a trailing slash name the same resource.
    assert.equal((await az(['account', 'get-access-token', '-o', 'json', '--scope', `${sandbox.info.armEndpoint}/.default`], env)).code, 0);
  });

  it('fails like az: unknown resource (1), unknown tenant (1), unknown command (2), no session (1, "az login")', async () => {
    const resource = await az(['account', 'get-access-token', '--output', 'json', '--resource', 'https://management.core.windows.net/'], env);
    assert.equal(resource.code, 1);
    assert.match(resource.stderr, /^ERROR: AADSTS500011: The resource principal named https:\/\/management\.core\.windows\.net\/ was not found/);
    assert.equal(resource.stdout, '');
    const tenant = await az(['account', 'get-access-token', '--resource', sandbox.info.armEndpoint, '--tenant', '00000000-0000-0000-0000-000000000000'], env);
    assert.equal(tenant.code, 1);
    assert.match(tenant.stderr, /AADSTS90002/);
    const unknown = await az(['vm', 'list'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /'vm list' is misspelled or not recognized/);
    const nobody = await az(['account', 'get-access-token', '--resource', sandbox.info.armEndpoint], { ...env, AZURE_CONFIG_DIR: '/nonexistent' });
    assert.equal(nobody.code, 1);
    assert.equal(nobody.stderr, "ERROR: Please run 'az login' to setup account.\n");
  });

  it('signs the real AzureCliCredential and the extension\'s ARM service in to the sandbox', async () => {
    const cloud = resolveCloud('custom', sandbox.settings['arcApimGateway.azure.customCloud'] as Record<string, unknown>);
    assert.ok(cloud.ok);
    const credential = azureCliCredential({ timeoutMs: 20_000 });
    const token = await credential.getToken(`${cloud.value.audience}/.default`);
    assert.equal(token?.token, sandbox.info.armToken);
    const data = new ArmAzureData(createAzureClientFactory({ cloud: cloud.value, credential }));
    const subscriptions = await data.listSubscriptions();
    assert.deepEqual(subscriptions.map((s) => s.displayName), ['Visual Studio Enterprise']);
    const clusters = await data.listArcClusters(sandbox.info.subscriptionId);
    assert.deepEqual(clusters.items.map((c) => c.name), ['rb-arc-aks']);
  });

  it('says "Please run az login" once the sandbox is gone, which the extension shows as signed out', async () => {
    const endpoint = sandbox.info.armEndpoint;
    await sandbox.close();
    const r = await az(['account', 'get-access-token', '--output', 'json', '--resource', endpoint], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Please run 'az login' to setup account\./);
    await assert.rejects(azureCliCredential().getToken(`${endpoint}/.default`), (error: unknown) => isSignInRequired(error));
  });
});
