// Typed builders for health inputs: Kubernetes objects shaped as the API serves them, log entries read through the
// real parser from lines the gateway writes (the seed blog's 1.x log, the sandbox's 2.x lines, lines quoted in the
// gateway's issue tracker). Tests state only what differs from a healthy 3-replica gateway.
import { readFileSync } from 'node:fs';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import type { GatewayLogEntry } from '../../../src/gatewayLogs/entry.ts';
import type { HealthCheck, HealthEvent, HealthFinding, HealthInput, HealthPod, HealthReport, HealthService } from '../../../src/health/index.ts';

export const NOW = '2024-05-22T08:30:00Z';
export const GATEWAY = 'rb-arc-gateway';
export const NS = 'apim';
export const DEPLOYMENT = 'rb-arc-aks-apimgw';

const fixtures = new URL('../../fixtures/gateway-logs/', import.meta.url);
export function fixtureLog(name: string): GatewayLogEntry[] {
  return parseGatewayLog(readFileSync(new URL(name, fixtures), 'utf8'));
}
export function log(text: string): GatewayLogEntry[] {
  return parseGatewayLog(text.endsWith('\n') ? text : `${text}\n`);
}

/** A 2.11.1 gateway's start-up as the sandbox writes it (2.x lines, quoted dialect), configuration received. */
export const HEALTHY_STARTUP = `version: 2.11.1.0
commit: 202391a774c90bc21c36c0ca3a909a5568dba32b
[Info] 2024-05-22T07:58:40.513 [HostBootstrapperStarting]
[Info] 2024-05-22T07:58:40.513 [LoadingConfiguration], message: https://rb-azure-apim.configuration.azure-api.net, source: ServiceConfigurationSource
[Info] 2024-05-22T07:58:40.600 [ConfigurationUpdated], message: Updated settings: tenant.id, tenant.name, config.enc, deployment.instance.gateway-id, deployment.id, deployment.name, config.mode, source: ServiceConfigurationSource
[Info] 2024-05-22T07:58:41.100 [ConfigInitialSyncStarted], source: ConfigurationRepositoryProvider
[Info] 2024-05-22T07:58:41.200 [LocalLoggerAddedToTenant], message: rb-azure-apim.azure-api.net, source: DefaultLocalLoggerConfigurationFilter
[Info] 2024-05-22T07:58:41.201 [LocalDiagnosticAddedToTenant], message: rb-azure-apim.azure-api.net, source: DefaultTenantDiagnosticConfigurationFilter
[Info] 2024-05-22T07:58:41.300 [EventSnapshotRestored], message: revision: 00000001, serviceName: rb-azure-apim, gatewayId: rb-arc-gateway, source: ConfigurationRepositoryProvider
[Info] 2024-05-22T07:58:41.301 [ConfigInitialSyncCompleted], source: ConfigurationRepositoryProvider
[Info] 2024-05-22T07:58:41.302 [TenantStarted], message: Tenant lifecycle id: 5f0c7a52-0b5e-4a8e-9d0a-2b7c1e0f3a11 in 00:00:00.7890000
`;

export function pod(name: string, more: { phase?: string; ready?: boolean; container?: Record<string, unknown>; conditions?: Record<string, unknown>[]; image?: string } = {}): HealthPod {
  const image = more.image ?? 'mcr.microsoft.com/azure-api-management/gateway:2.11.1';
  const ready = more.ready ?? true;
  return {
    metadata: { name, namespace: NS, creationTimestamp: '2024-05-22T07:58:38Z' },
    spec: { containers: [{ name: 'azure-api-management-gateway', image }] },
    status: {
      phase: more.phase ?? 'Running',
      conditions: more.conditions ?? [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: ready ? 'True' : 'False', ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [azure-api-management-gateway]' }) },
      ],
      containerStatuses: [{ name: 'azure-api-management-gateway', image, ready, restartCount: 0, state: { running: { startedAt: '2024-05-22T07:58:40Z' } }, ...more.container }],
    },
  } as HealthPod;
}

export function event(reason: string, message: string, podName: string, more: Partial<HealthEvent> = {}): HealthEvent {
  return { type: 'Warning', reason, message, count: 1, lastTimestamp: NOW, involvedObject: { kind: 'Pod', name: podName }, ...more };
}

export function service(ports: NonNullable<NonNullable<HealthService['spec']>['ports']>): HealthService {
  return { metadata: { name: `${DEPLOYMENT}-azure-api-management-gateway`, namespace: NS }, spec: { type: 'ClusterIP', ports } };
}

export const ECHO = { name: 'echo-api', displayName: 'Echo API', path: 'echo', protocols: ['https'] };
export const DUMMY = { name: 'dummy', displayName: 'Dummy', path: 'dummy', protocols: ['http', 'https'] };

/** A healthy gateway: 3 replicas Running and Ready, configuration received, token valid for 20 days, 2.11.1. */
export function healthy(more: Partial<HealthInput> = {}): HealthInput {
  return {
    target: `Deployment ${NS}/${DEPLOYMENT}`,
    now: NOW,
    deployment: {
      metadata: { name: DEPLOYMENT, namespace: NS },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'azure-api-management-gateway', image: 'mcr.microsoft.com/azure-api-management/gateway:2.11.1' }] } } },
      status: { replicas: 3, readyReplicas: 3 },
    },
    pods: [pod(`${DEPLOYMENT}-7d9c-aaaaa`), pod(`${DEPLOYMENT}-7d9c-bbbbb`), pod(`${DEPLOYMENT}-7d9c-ccccc`)],
    events: [],
    log: { pod: `${DEPLOYMENT}-7d9c-aaaaa`, container: 'azure-api-management-gateway', startup: log(HEALTHY_STARTUP), recent: [] },
    token: { gatewayId: GATEWAY, expiresAt: '2024-06-11T07:58:00Z', source: `Secret ${NS}/${DEPLOYMENT}-token key value` },
    gateway: { name: GATEWAY, serviceName: 'rb-azure-apim', apis: [ECHO, DUMMY], localDiagnostics: true },
    settings: { source: 'arc-extension', origin: `Arc extension ${DEPLOYMENT}`, values: { 'gateway.configuration.uri': 'https://rb-azure-apim.configuration.azure-api.net', 'service.type': 'ClusterIP' } },
    service: service([{ name: 'http', port: 8080, targetPort: 8080 }, { name: 'https', port: 8081, targetPort: 8081 }]),
    ...more,
  };
}

export function codes(findings: readonly HealthFinding[]): string[] {
  return findings.map((f) => f.code);
}

export function check(report: HealthReport, id: HealthCheck['id']): HealthCheck {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

export function evidenceText(finding: HealthFinding | undefined): string {
  return (finding?.evidence ?? []).map((e) => `${e.label}: ${e.value}`).join('\n');
}
