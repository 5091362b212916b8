// startSandbox runs the ARM emulator beside the cluster it plays: its coordinates are in `info` and `env` (what
// `npm run sandbox -- --headless` prints), it trusts the one sandbox CA file, and what ARM says about the blog's
// extension matches the objects in the cluster.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SourceControlConfigurationClient } from '@azure/arm-kubernetesconfiguration';
import { staticTokenCredential } from './arm/testing.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import { BLOG } from './worlds/index.ts';

describe('startSandbox with ARM', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ world: 'blog-deployed' });
  });
  after(() => sandbox.close());

  it('publishes the ARM endpoint, subscription and token in info and env', () => {
    const { info, env } = sandbox;
    assert.match(info.armEndpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.subscriptionId, BLOG.subscriptionId);
    assert.ok(info.armToken.length >= 32);
    assert.notEqual(info.armToken, info.token, 'ARM and Kubernetes have their own tokens');
    assert.equal(env['ARC_APIM_SANDBOX_ARM_ENDPOINT'], info.armEndpoint);
    assert.equal(env['ARC_APIM_SANDBOX_SUBSCRIPTION_ID'], info.subscriptionId);
    assert.equal(env['ARC_APIM_SANDBOX_ARM_TOKEN'], info.armToken);
    assert.equal(sandbox.describe()['ARM:'], info.armEndpoint);
  });

  it('serves the blog extension as installed, matching the Service in the cluster, trusting caFile', async () => {
    const { info } = sandbox;
    const client = new SourceControlConfigurationClient(staticTokenCredential(info.armToken), info.subscriptionId, {
      endpoint: info.armEndpoint,
      tlsOptions: { ca: readFileSync(info.caFile, 'utf8') },
    });
    const extension = await client.extensions.get(BLOG.arc.resourceGroup, 'Microsoft.Kubernetes', 'connectedClusters', BLOG.arc.name, BLOG.extension.name);
    assert.equal(extension.provisioningState, 'Succeeded');
    const namespace = extension.scope?.namespace?.targetNamespace ?? '';
    assert.equal(namespace, BLOG.extension.namespace);
    const service = sandbox.kube.get('services', namespace, `${extension.name}-azure-api-management-gateway`);
    assert.ok(service, 'the Service the extension\'s chart created');
    assert.equal(extension.currentVersion, '0.3.0');
  });
});
