// The extension's generated plain-Kubernetes manifests against the sandbox: `kubectl apply --server-side` takes them
// unchanged (twice: the second is a no-op for the same manager), the gateway program starts from the env they give it
// and serves the gateway's APIs, and the extension's own server-side apply (src/kubernetes/apply.ts) does the same.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyManifests, deleteManifests, preflightDeployment } from '../../src/kubernetes/apply.ts';
import { createKubernetesClients, type KubeContextClient } from '../../src/kubernetes/client.ts';
import { gatewayManifests, manifestsYaml, type GatewayManifestOptions } from '../../src/manifests/gatewayManifests.ts';
import { startSandbox, type RunningSandbox } from './index.ts';
import { BLOG } from './worlds/index.ts';
import { generateGatewayToken } from './world/tokens.ts';

const kubectlFound = !spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error;

let sb: RunningSandbox;
let kube: KubeContextClient;

function kubectl(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', sb.info.kubeconfig, ...args], { env: { ...process.env, KUBECONFIG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function options(name: string, namespace: string): GatewayManifestOptions {
  return {
    configurationEndpoint: `https://${BLOG.apim.name}.configuration.azure-api.net`, gatewayName: BLOG.gateway.name, name, namespace, imageTag: '2.11.1', replicas: 2,
    serviceType: 'ClusterIP', httpPort: 8080, httpsPort: 8081, logFormat: 'json',
  };
}

function token(): string {
  const gateway = sb.world.gateway(BLOG.apim.name, BLOG.gateway.name);
  return generateGatewayToken(gateway, 'primary', new Date(sb.world.now().getTime() + 24 * 60 * 60 * 1000));
}

/** The gateway behind the Service answers the Echo API over http: 404 (HTTPS-only), which only a configured gateway knows. */
async function servedByGateway(namespace: string, service: string): Promise<void> {
  const answer = await until('the gateway to answer through its Service', async () => {
    const r = await kube.send({ method: 'GET', path: `/api/v1/namespaces/${namespace}/services/${service}:8080/proxy/echo/resource` }, new AbortController().signal);
    return r.status === 503 ? undefined : r;
  });
  const pods = sb.kube.list('pods', namespace, {});
  const logs = pods.map((p) => sb.kube.podLogs(namespace, p.metadata.name ?? '').slice(0, 30).join('\n')).join('\n---\n');
  assert.equal(answer.status, 404, `${answer.body.toString('utf8')}\n${logs}`);
  await until('both replicas ready', () => (sb.kube.get('deployments', namespace, service) as { status?: { readyReplicas?: number } }).status?.readyReplicas === 2);
}

describe('generated gateway manifests in the sandbox', { timeout: 180_000 }, () => {
  before(async () => {
    sb = await startSandbox({ world: 'blog-deployed' });
    kube = await createKubernetesClients(() => [sb.info.kubeconfig]).forContext(BLOG.arc.name);
    sb.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge' } });
    sb.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge2' } });
  });
  after(async () => {
    await sb?.close();
  });

  it('apply --server-side takes them unchanged; the gateway starts from their env and serves', { skip: kubectlFound ? false : 'kubectl is not on PATH' }, async () => {
    const file = join(sb.info.kubeconfig, '..', 'gateway.yaml');
    // The reviewed YAML with the token filled in where the placeholder stands, as a user would before kubectl.
    await writeFile(file, manifestsYaml(gatewayManifests(options('edge-gw', 'edge'), { kind: 'placeholder' })).replaceAll('<token>', token()));
    const first = await kubectl(['apply', '--server-side', '--field-manager=arc-apim-gateway', '-f', file]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, ['secret/edge-gw-token serverside-applied', 'configmap/edge-gw-env serverside-applied',
      'deployment.apps/edge-gw serverside-applied', 'service/edge-gw serverside-applied', ''].join('\n'));
    await servedByGateway('edge', 'edge-gw');
    const again = await kubectl(['apply', '--server-side', '--field-manager=arc-apim-gateway', '-f', file]);
    assert.equal(again.code, 0, again.stderr);
  });

  it('preflight: a context whose server does not answer is refused, naming it; a foreign Deployment of the same name too', async () => {
    // A second context whose server is a port nobody listens on.
    const file = join(sb.info.kubeconfig, '..', 'unreachable.yaml');
    const text = (await readFile(sb.info.kubeconfig, 'utf8')).replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:9');
    await writeFile(file, text);
    const unreachable = await createKubernetesClients(() => [file]).forContext(BLOG.arc.name);
    const refused = await preflightDeployment(unreachable, BLOG.arc.name, 'edge', 'edge-gw', 'arc-apim-gateway', new AbortController().signal);
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.error, /^The API server of context rb-arc-aks \(https:\/\/127\.0\.0\.1:9\) cannot be reached: .+nothing was sent\.$/);

    const fine = await preflightDeployment(kube, BLOG.arc.name, 'edge', 'brand-new', 'arc-apim-gateway', new AbortController().signal);
    assert.deepEqual(fine, { ok: true, namespaceExists: true });
    // The Arc chart's Deployment in apim was not deployed from here.
    const foreign = await preflightDeployment(kube, BLOG.arc.name, BLOG.extension.namespace, BLOG.extension.name, 'arc-apim-gateway', new AbortController().signal);
    assert.equal(foreign.ok, false);
    assert.match(foreign.ok ? '' : foreign.error, /already exists in apim and was not deployed from here/);
  });

  it('the extension applies them with server-side apply as arc-apim-gateway, then deletes them', async () => {
    const objects = gatewayManifests(options('edge-gw', 'edge2'), { kind: 'value', value: token() });
    const steps: string[] = [];
    const result = await applyManifests(kube, objects, { onProgress: (s) => steps.push(s) }, new AbortController().signal);
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.deepEqual(steps, ['Secret edge2/edge-gw-token created', 'ConfigMap edge2/edge-gw-env created',
      'Deployment edge2/edge-gw created', 'Service edge2/edge-gw created']);
    const managers = (sb.kube.get('deployments', 'edge2', 'edge-gw')!.metadata.managedFields ?? []).map((m) => `${m.manager}/${m.operation}`);
    assert.ok(managers.includes('arc-apim-gateway/Apply'), managers.join());
    await servedByGateway('edge2', 'edge-gw');

    // Another manager owns the replicas: a conflict, explained with the field and its manager.
    sb.kube.patch('deployments', 'edge2', 'edge-gw', 'merge', { spec: { replicas: 3 } }, { fieldManager: 'kubectl-scale' });
    const conflict = await applyManifests(kube, objects, { onProgress: () => undefined }, new AbortController().signal);
    assert.equal(conflict.ok, false);
    assert.match(conflict.ok ? '' : conflict.message, /Deployment edge2\/edge-gw: .spec.replicas is managed by "kubectl-scale"/);

    const deleted = await deleteManifests(kube, objects, new AbortController().signal);
    assert.deepEqual(deleted, ['Secret edge2/edge-gw-token', 'ConfigMap edge2/edge-gw-env', 'Deployment edge2/edge-gw', 'Service edge2/edge-gw']);
    assert.equal(sb.kube.get('services', 'edge2', 'edge-gw'), undefined);
  });
});
