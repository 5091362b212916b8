import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeGatewayDeployment,
  describePort,
  gatewayMatch,
  groupGateways,
  imageTag,
  servicesForDeployment,
  summarizePod,
} from '../../../src/kubernetes/gateways.ts';
import type { KubeDeployment, KubePod, KubeService } from '../../../src/kubernetes/types.ts';
import { renderArcGatewayChart } from '../../sandbox/gateway/arc-chart.ts';

/** What the Arc extension's chart puts in the cluster (the sandbox's rendering of it), for both setting generations. */
function chart(layout: 'legacy' | 'current'): { deployment: KubeDeployment; service: KubeService } {
  const result = renderArcGatewayChart({
    extensionName: 'rb-arc-aks-apimgw',
    namespace: 'apim',
    configurationSettings: layout === 'legacy' ? { 'gateway.endpoint': 'https://x.configuration.azure-api.net' } : { 'gateway.configuration.uri': 'https://x.configuration.azure-api.net', 'service.type': 'NodePort' },
    configurationProtectedSettings: layout === 'legacy' ? { 'gateway.authKey': 'GatewayKey t' } : { 'gateway.auth.token': 'GatewayKey t' },
  });
  assert.ok(result.ok);
  const deployment = result.objects.find((o) => o.kind === 'Deployment') as KubeDeployment;
  const service = result.objects.find((o) => o.kind === 'Service') as KubeService;
  return { deployment, service };
}

const plain = (name: string, image: string, labels: Record<string, string> = { app: name }): KubeDeployment => ({
  metadata: { name, namespace: 'gw', labels },
  spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } } },
  status: { readyReplicas: 1 },
});

describe('gateway discovery', () => {
  it('finds gateways by image on any registry, or by the Helm chart labels when the image is mirrored', () => {
    assert.equal(gatewayMatch(plain('a', 'mcr.microsoft.com/azure-api-management/gateway:v2')), 'image');
    assert.equal(gatewayMatch(plain('b', 'myacr.azurecr.io/azure-api-management/gateway@sha256:0123')), 'image');
    assert.equal(gatewayMatch(plain('c', 'nginx:1.27')), undefined);
    assert.equal(gatewayMatch(plain('d', 'mcr.microsoft.com/azure-api-management/gateway-sidecar:v2')), undefined);
    assert.equal(gatewayMatch(plain('e', 'mirror.local/gw:v2', { 'app.kubernetes.io/name': 'azure-api-management-gateway' })), 'chart');
    assert.equal(gatewayMatch(chart('legacy').deployment), 'image');
  });

  it('describes replicas, tag and Helm release, and groups gateways by namespace', () => {
    const { deployment } = chart('legacy');
    deployment.status = { readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 };
    assert.deepEqual(describeGatewayDeployment(deployment), {
      namespace: 'apim', name: 'rb-arc-aks-apimgw', matchedBy: 'image', image: 'mcr.microsoft.com/azure-api-management/gateway:v2', tag: 'v2',
      desired: 1, ready: 1, updated: 1, available: 1, release: 'rb-arc-aks-apimgw',
    });
    const groups = groupGateways([plain('z', 'mcr.microsoft.com/azure-api-management/gateway:2.5'), deployment, plain('y', 'nginx'), plain('a', 'x/azure-api-management/gateway')]);
    assert.deepEqual([...groups.entries()].map(([ns, list]) => [ns, list.map((g) => `${g.name}:${g.tag ?? '-'}`)]), [
      ['apim', ['rb-arc-aks-apimgw:v2']],
      ['gw', ['a:-', 'z:2.5']],
    ]);
    assert.equal(imageTag('localhost:5000/gateway'), undefined);
    assert.equal(imageTag('localhost:5000/gateway:1.2'), '1.2');
  });

  it('shows the Service in front of the gateway with its real ports, named targetPorts resolved', () => {
    const legacy = chart('legacy');
    legacy.service.spec = { ...legacy.service.spec, ports: legacy.service.spec?.ports?.map((p) => ({ ...p, port: 5000 })) ?? [] };
    const other: KubeService = { metadata: { name: 'other', namespace: 'apim' }, spec: { selector: { app: 'other' }, ports: [{ port: 80 }] } };
    const [svc, ...rest] = servicesForDeployment(legacy.deployment, [other, legacy.service]);
    assert.equal(rest.length, 0);
    assert.equal(svc?.name, 'rb-arc-aks-apimgw-azure-api-management-gateway');
    assert.equal(svc?.type, 'ClusterIP');
    assert.deepEqual(svc?.ports.map((p) => [p.label, p.scheme, p.containerPort]), [['5000→8080/TCP', 'http', 8080]]);

    const current = chart('current');
    current.service.spec!.ports = current.service.spec!.ports!.map((p, i) => ({ ...p, nodePort: 30080 + i }));
    const [nodePort] = servicesForDeployment(current.deployment, [current.service]);
    assert.equal(nodePort?.type, 'NodePort');
    assert.deepEqual(nodePort?.ports.map((p) => [p.label, p.scheme]), [['8080→8080/TCP (node 30080)', 'http'], ['8081→8081/TCP (node 30081)', 'https']]);
  });

  it('tells http from https by port name, else by the gateway\'s 8080/8081', () => {
    assert.equal(describePort({ port: 443, targetPort: 8081 }, []).scheme, 'https');
    assert.equal(describePort({ port: 80, targetPort: 8080 }, []).scheme, 'http');
    assert.equal(describePort({ name: 'gateway-https', port: 9443, targetPort: 9443 }, []).scheme, 'https');
    assert.equal(describePort({ port: 9000 }, []).label, '9000→9000/TCP', 'targetPort defaults to port');
    assert.equal(describePort({ port: 5000, targetPort: 'web' }, []).label, '5000→web/TCP', 'an unresolved name stays a name');
  });
});

describe('pod status as kubectl shows it', () => {
  const pod = (status: KubePod['status'], deleting = false): KubePod => ({
    metadata: { name: 'gw-1', ...(deleting ? { deletionTimestamp: '2026-11-27T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'gw' }], nodeName: 'n1' },
    status,
  });

  it('reads Pending, ContainerCreating, Running, CrashLoopBackOff and Terminating', () => {
    assert.equal(summarizePod(pod({ phase: 'Pending' })).status, 'Pending');
    assert.equal(summarizePod(pod({ phase: 'Pending', containerStatuses: [{ name: 'gw', state: { waiting: { reason: 'ContainerCreating' } } }] })).status, 'ContainerCreating');
    const running = summarizePod(pod({
      phase: 'Running', podIP: '10.244.0.5', conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'gw', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { reason: 'Error', exitCode: 137 } } }],
    }));
    assert.deepEqual([running.status, running.ready, running.readyContainers, running.containers, running.restarts, running.lastTermination], ['Running', true, 1, 1, 2, 'Error']);
    const crash = summarizePod(pod({ phase: 'Running', containerStatuses: [{ name: 'gw', restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } } }] }));
    assert.deepEqual([crash.status, crash.message, crash.ready], ['CrashLoopBackOff', 'back-off 40s', false]);
    assert.equal(summarizePod(pod({ phase: 'Running', containerStatuses: [{ name: 'gw', ready: true, state: { running: {} } }] }, true)).status, 'Terminating');
    assert.equal(summarizePod(pod({ phase: 'Failed', containerStatuses: [{ name: 'gw', state: { terminated: { exitCode: 1 } } }] })).status, 'ExitCode:1');
    assert.equal(summarizePod(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'i', state: { waiting: { reason: 'PodInitializing' } } }] })).status, 'Init:0/1');
  });
});
