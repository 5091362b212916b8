import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkGatewayHealth, runHealthChecks } from '../../../src/health/index.ts';
import { check, codes, DEPLOYMENT, DUMMY, ECHO, event, evidenceText, fixtureLog, GATEWAY, healthy, HEALTHY_STARTUP, log, NOW, pod, service } from './builders.ts';

// Lines as the gateway writes them. Sources: the sandbox's gateway (its README says which of its lines are known
// from real logs), the seed blog's 1.x log, and lines quoted in Azure/api-management-self-hosted-gateway issues.
const UNAUTHORIZED_POLL = '[Warn] 2024-05-22T08:20:00.100 [ConfigurationSyncFailed], message: https://rb-azure-apim.configuration.azure-api.net/gateways/rb-arc-gateway/events?$top=100&$skiptoken=00000001, error: Response status code does not indicate success: 401 (Unauthorized)., source: ConfigurationApiClient';
const NO_AUTH = '[Error] 2024-05-22T07:58:40.513 [GatewayStartup], message: No valid authentication was configured for the configuration API. The supported authentication types are gateway token (GatewayKey), azureAdApp and workloadIdentity.';
const DNS_FAILURE = '[Error] 2024-05-22T07:58:40.588 [LoadingConfigurationFailed], message: https://apim.contoso.com, error: Name or service not known (apim.contoso.com:443), source: ServiceConfigurationSource';
// Issue #164 (custom domains): the configuration endpoint did not resolve.
const INITIAL_SYNC_164 = `[Error]2022-10-12T02:54:48.369 [ConfigInitialSyncFailed], exception: Gateway.Configuration.ConfigurationNotFoundException: /apim/config/snapshot.lock.json
   at Gateway.Configuration.FileSystem.FileConfigurationProvider\`1.GetAsync(CancellationToken cancellation)`;
// PR #371's discussion (workload identity, Feb 2026); names changed, the exception's tail was cut off in the report.
const V2_NOT_AVAILABLE = '{"level":"Warning","timestamp":"2026-02-17T09:55:03.2622319Z","eventType":"ConfigurationApiV2NotAvailable","message":"The configuration V2 API is not reachable on https://contoso-apim.configuration.azure-api.net/gateways/contoso-gw/events?$top=100&$skiptoken=000002ae","exception":"Gateway.Configuration.Client.ApiException: StatusCode: Forbidden"}';
const BANNER_ONLY = 'version: 2.11.1.0\ncommit: 202391a774c90bc21c36c0ca3a909a5568dba32b\n[Info] 2024-05-22T07:58:40.513 [HostBootstrapperStarting]';

describe('health: a healthy gateway', () => {
  it('passes every check and reports nothing', () => {
    const report = runHealthChecks(healthy());
    assert.deepEqual(report.findings, []);
    assert.equal(report.overall, 'healthy');
    assert.deepEqual(report.checks.map((c) => c.status), report.checks.map(() => 'passed'));
  });

  it('knowing nothing reports nothing: every check unknown', () => {
    const report = runHealthChecks({});
    assert.deepEqual(report.findings, []);
    assert.equal(report.overall, 'unknown');
    assert.ok(report.checks.every((c) => c.status === 'unknown'), JSON.stringify(report.checks));
  });
});

describe('health: pods', () => {
  it('ImagePullBackOff names the image and the kubelet event', () => {
    const image = 'mcr.microsoft.com/azure-api-management/gatway:v2';
    const p = pod('gw-1', { phase: 'Pending', ready: false, image, container: { state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } } } });
    const findings = checkGatewayHealth(healthy({ pods: [p], events: [event('Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to resolve reference "${image}": not found`, 'gw-1')] }));
    assert.equal(findings[0]?.code, 'pod-image-pull');
    assert.equal(findings[0]?.severity, 'error');
    assert.match(findings[0]?.explanation ?? '', /gatway:v2/);
    assert.match(evidenceText(findings[0]), /Event Failed: Failed to pull image/);
  });

  it('CrashLoopBackOff quotes the last termination and the crashed container\'s error line, with a fix to open that log', () => {
    const p = pod('gw-1', { ready: false, container: { restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' } }, lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: '2024-05-22T08:29:00Z' } } } });
    const findings = checkGatewayHealth(healthy({ pods: [p], log: { pod: 'gw-1', previous: log(`${BANNER_ONLY}\n${NO_AUTH}`) } }));
    assert.equal(findings[0]?.code, 'pod-crash-loop');
    assert.match(evidenceText(findings[0]), /Last termination: Error, exit code 1/);
    assert.match(evidenceText(findings[0]), /previous container.*No valid authentication/);
    const fix = findings[0]?.fixes[0];
    assert.equal(fix?.id, 'open-logs');
    assert.equal(fix?.id === 'open-logs' && fix.previous, true);
    assert.equal(fix?.id === 'open-logs' && fix.line, 4);
    // The crash is not counted again as restarts in the last hour.
    assert.ok(!codes(findings).includes('pod-restarts'));
  });

  it('Pending gives the scheduler\'s message', () => {
    const msg = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    const p = pod('gw-1', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }], container: {} });
    (p.status ?? {}).containerStatuses = [];
    const findings = checkGatewayHealth(healthy({ pods: [p], events: [event('FailedScheduling', msg, 'gw-1', { count: 5 })] }));
    assert.equal(findings[0]?.code, 'pod-pending');
    assert.match(evidenceText(findings[0]), /Scheduler: 0\/1 nodes are available: 1 Insufficient cpu/);
    assert.match(evidenceText(findings[0]), /Event FailedScheduling \(×5\)/);
  });

  it('a pod still being created is not a problem', () => {
    const p = pod('gw-1', { phase: 'Pending', ready: false, container: { state: { waiting: { reason: 'ContainerCreating' } } } });
    assert.ok(!checkGatewayHealth(healthy({ pods: [p] })).some((f) => f.code.startsWith('pod-')));
  });

  it('CreateContainerConfigError (a missing Secret) is reported with its message', () => {
    const p = pod('gw-1', { phase: 'Pending', ready: false, container: { state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "rb-arc-aks-apimgw-token" not found' } } } });
    const f = checkGatewayHealth(healthy({ pods: [p] }))[0];
    assert.equal(f?.code, 'pod-config-error');
    assert.match(f?.explanation ?? '', /secret "rb-arc-aks-apimgw-token" not found/);
  });

  it('a Deployment without pods is an error', () => {
    const findings = checkGatewayHealth(healthy({ pods: [], events: [{ type: 'Warning', reason: 'FailedCreate', message: 'pods "gw-x" is forbidden: exceeded quota: compute', involvedObject: { kind: 'ReplicaSet', name: 'gw-7d9c' } }] }));
    assert.equal(findings[0]?.code, 'no-pods');
    assert.match(evidenceText(findings[0]), /exceeded quota/);
  });

  it('restarts in the last hour are a warning; older ones are not', () => {
    const restarted = (finishedAt: string) => pod('gw-1', { container: { restartCount: 1, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt } } } });
    const recent = runHealthChecks(healthy({ pods: [restarted('2024-05-22T08:10:00Z')] }));
    assert.deepEqual(codes(recent.findings), ['pod-restarts']);
    assert.match(evidenceText(recent.findings[0]), /1 restart, the last at 2024-05-22 08:10 UTC \(OOMKilled, exit code 137\)/);
    assert.equal(check(runHealthChecks(healthy({ pods: [restarted('2024-05-22T06:00:00Z')] })), 'restarts').status, 'passed');
    // A restart whose time is not reported is not claimed to be recent.
    const undated = pod('gw-1', { container: { restartCount: 2 } });
    assert.equal(check(runHealthChecks(healthy({ pods: [undated] })), 'restarts').status, 'unknown');
  });
});

describe('health: configuration sync', () => {
  it('expired token (the sandbox\'s 401 lines): token-expired first, with the renew fix and the 401 as evidence', () => {
    const findings = checkGatewayHealth(healthy({ log: { pod: 'gw-1', startup: fixtureLog('generated/v2-text-expired-token.log') }, token: { gatewayId: GATEWAY, expiresAt: '2024-05-01T00:00:00Z' } }));
    assert.equal(findings[0]?.code, 'token-expired');
    assert.equal(findings[0]?.severity, 'error');
    assert.match(findings[0]?.explanation ?? '', /answers 401/);
    assert.match(evidenceText(findings[0]), /LoadingConfigurationFailed.*401 \(Unauthorized\)/);
    assert.deepEqual(findings[0]?.fixes.map((f) => f.id), ['open-token-wizard']);
    // Once, though both the configuration and the token checks rest on it.
    assert.equal(codes(findings).filter((c) => c === 'token-expired').length, 1);
  });

  it('401 with a token still valid: config-unauthorized (a regenerated key)', () => {
    const findings = checkGatewayHealth(healthy({ log: { pod: 'gw-1', startup: fixtureLog('generated/v2-text-expired-token.log') } }));
    assert.equal(findings[0]?.code, 'config-unauthorized');
    assert.match(findings[0]?.explanation ?? '', /regenerated/);
    assert.ok(findings[0]?.fixes.some((f) => f.id === 'open-token-wizard'));
  });

  it('a configured gateway whose polls now get 401 fails static: still an error, and says so', () => {
    const findings = checkGatewayHealth(healthy({ log: { pod: 'gw-1', startup: log(HEALTHY_STARTUP), recent: log(UNAUTHORIZED_POLL) } }));
    assert.equal(findings[0]?.code, 'config-unauthorized');
    assert.match(findings[0]?.explanation ?? '', /fail static/);
  });

  it('a failure followed by a successful sync is not reported', () => {
    const report = runHealthChecks(healthy({ log: { pod: 'gw-1', startup: log(`${DNS_FAILURE}\n${HEALTHY_STARTUP}`) } }));
    assert.equal(check(report, 'configuration').status, 'passed');
  });

  it('"No valid authentication was configured" (issue #269)', () => {
    const f = checkGatewayHealth(healthy({ log: { pod: 'gw-1', startup: log(`${BANNER_ONLY}\n${NO_AUTH}`) } }))[0];
    assert.equal(f?.code, 'config-no-auth');
    assert.deepEqual(f?.fixes.map((x) => x.id), ['open-token-wizard', 'open-logs']);
  });

  it('an endpoint that does not resolve names the host', () => {
    const f = checkGatewayHealth(healthy({ log: { pod: 'gw-1', startup: log(`${BANNER_ONLY}\n${DNS_FAILURE}`) } }))[0];
    assert.equal(f?.code, 'config-endpoint-unreachable');
    assert.match(f?.explanation ?? '', /cannot resolve apim\.contoso\.com/);
    assert.match(f?.explanation ?? '', /404/);
  });

  it('TLS failures to the endpoint', () => {
    const line = '[Error] 2024-05-22T07:58:40.588 [LoadingConfigurationFailed], message: https://rb-azure-apim.configuration.azure-api.net, error: The SSL connection could not be established, see inner exception., source: ServiceConfigurationSource';
    const f = checkGatewayHealth(healthy({ log: { startup: log(line) } }))[0];
    assert.equal(f?.code, 'config-endpoint-unreachable');
    assert.equal(f?.title, 'TLS to the configuration endpoint fails');
  });

  it('ConfigInitialSyncFailed as issue #164 shows it', () => {
    const f = checkGatewayHealth(healthy({ log: { pod: 'gw-1', startup: log(INITIAL_SYNC_164) } }))[0];
    assert.equal(f?.code, 'config-initial-sync-failed');
    assert.match(evidenceText(f), /snapshot\.lock\.json/);
  });

  it('403 ConfigurationApiV2NotAvailable as PR #371\'s discussion shows it (JSON log)', () => {
    const f = checkGatewayHealth(healthy({ log: { startup: log(V2_NOT_AVAILABLE) } }))[0];
    assert.equal(f?.code, 'config-api-v2-not-available');
  });

  it('the seed blog\'s 1.x log is a working sync', () => {
    const report = runHealthChecks(healthy({ log: { startup: fixtureLog('seed-blog-v1.log') } }));
    assert.equal(check(report, 'configuration').status, 'passed');
    assert.equal(check(report, 'local-diagnostics').status, 'passed');
  });
});

describe('health: token', () => {
  it('expiring within a week is a warning with the renew fix; expired without a 401 still an error', () => {
    const soon = checkGatewayHealth(healthy({ token: { gatewayId: GATEWAY, expiresAt: '2024-05-25T08:30:00Z' } }));
    assert.deepEqual(codes(soon), ['token-expiring']);
    assert.equal(soon[0]?.title, 'Gateway token expires in 3 days');
    const expired = checkGatewayHealth(healthy({ token: { gatewayId: GATEWAY, expiresAt: '2024-05-22T08:00:00Z' } }));
    assert.deepEqual(codes(expired), ['token-expired']);
    assert.match(expired[0]?.explanation ?? '', /restarted one gets none/);
  });

  it('a token for another gateway', () => {
    const f = checkGatewayHealth(healthy({ token: { gatewayId: 'other-gateway', expiresAt: '2024-06-11T00:00:00Z' } }))[0];
    assert.equal(f?.code, 'token-wrong-gateway');
    assert.equal(f?.fixes[0]?.id === 'open-token-wizard' && f.fixes[0].gatewayId, GATEWAY);
  });
});

describe('health: image and endpoint', () => {
  it('the seed blog: a 1.3.0 image on the retired v1 endpoint', () => {
    const findings = checkGatewayHealth(healthy({ log: { startup: fixtureLog('seed-blog-v1.log') }, settings: { source: 'arc-extension', values: { 'gateway.endpoint': 'https://rb-azure-apim.management.azure-api.net/subscriptions/0d9fd97f-71f6-4b7b-adbb-3a654846e587/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim?api-version=2019-12-01' } } }));
    assert.deepEqual(codes(findings).slice(0, 2), ['image-unsupported', 'v1-config-endpoint']);
    assert.match(findings[0]?.explanation ?? '', /CVE-2025-55248/);
    assert.equal(findings[0]?.fixes[0]?.id === 'update-gateway' && findings[0].fixes[0].via, 'arc-extension');
    assert.match(findings[1]?.explanation ?? '', /https:\/\/rb-azure-apim\.configuration\.azure-api\.net/);
  });

  it('a 2.x image older than 2.11.0 is a warning; the banner outranks a floating tag', () => {
    const image = 'mcr.microsoft.com/azure-api-management/gateway:2.4.0';
    const old = checkGatewayHealth(healthy({ deployment: { spec: { replicas: 3, template: { spec: { containers: [{ image }] } } } }, log: { startup: log(HEALTHY_STARTUP.replace('version: 2.11.1.0', 'version: 2.4.0.0')) } }));
    assert.deepEqual(codes(old), ['image-outdated']);
    const floating = runHealthChecks(healthy({ deployment: { spec: { replicas: 3, template: { spec: { containers: [{ image: 'mcr.microsoft.com/azure-api-management/gateway:v2' }] } } } }, log: { startup: log(HEALTHY_STARTUP) } }));
    assert.equal(check(floating, 'image').status, 'passed');
    const unknownVersion = runHealthChecks(healthy({ deployment: { spec: { replicas: 3, template: { spec: { containers: [{ image: 'mcr.microsoft.com/azure-api-management/gateway:v2' }] } } } }, log: { startup: [] } }));
    assert.equal(check(unknownVersion, 'image').status, 'unknown');
    const v1Tag = checkGatewayHealth(healthy({ deployment: { spec: { replicas: 3, template: { spec: { containers: [{ image: 'mcr.microsoft.com/azure-api-management/gateway:v1' }] } } } }, log: { startup: [] } }));
    assert.deepEqual(codes(v1Tag), ['image-unsupported']);
  });
});

describe('health: logging, Service, replicas, APIs, heartbeat', () => {
  it('local diagnostics off, from ARM or from a start-up log without LocalDiagnosticAddedToTenant', () => {
    assert.deepEqual(codes(checkGatewayHealth(healthy({ gateway: { name: GATEWAY, apis: [ECHO, DUMMY], localDiagnostics: false } }))), ['local-diagnostics-off']);
    const startup = log(HEALTHY_STARTUP.split('\n').filter((l) => !l.includes('LocalDiagnosticAddedToTenant')).join('\n'));
    assert.deepEqual(codes(checkGatewayHealth(healthy({ gateway: { name: GATEWAY, apis: [ECHO, DUMMY] }, log: { startup } }))), ['local-diagnostics-off']);
  });

  it('the seed blog\'s Service: only http in front of the https-only Echo API', () => {
    const findings = checkGatewayHealth(healthy({ service: service([{ port: 5000, targetPort: 8080 }]) }));
    assert.deepEqual(codes(findings), ['service-ports-mismatch']);
    assert.equal(findings[0]?.severity, 'warning');
    assert.match(findings[0]?.explanation ?? '', /Echo API accepts only https/);
    const onlyEcho = checkGatewayHealth(healthy({ service: service([{ port: 5000, targetPort: 8080 }]), gateway: { name: GATEWAY, apis: [ECHO], localDiagnostics: true } }));
    assert.equal(onlyEcho[0]?.severity, 'error');
    // A port whose scheme cannot be told leaves the check undecided.
    assert.equal(check(runHealthChecks(healthy({ service: service([{ port: 5000, targetPort: 9999 }]) })), 'service-ports').status, 'unknown');
  });

  it('a single replica is a notice', () => {
    const f = checkGatewayHealth(healthy({ deployment: { spec: { replicas: 1 } } }));
    assert.deepEqual(codes(f), ['single-replica']);
    assert.equal(f[0]?.severity, 'info');
  });

  it('no API assigned offers to assign some; not knowing the APIs claims nothing', () => {
    const f = checkGatewayHealth(healthy({ gateway: { name: GATEWAY, apis: [], localDiagnostics: true } }));
    assert.deepEqual(codes(f), ['no-api-assigned']);
    assert.deepEqual(f[0]?.fixes, [{ id: 'assign-apis', label: `Assign APIs to ${GATEWAY}`, gatewayId: GATEWAY }]);
    assert.equal(check(runHealthChecks(healthy({ gateway: { name: GATEWAY, localDiagnostics: true } })), 'apis').status, 'unknown');
  });

  it('a heartbeat APIM no longer sees', () => {
    const f = checkGatewayHealth(healthy({ gateway: { name: GATEWAY, apis: [ECHO, DUMMY], localDiagnostics: true, heartbeat: { connected: false, lastSeen: '2024-05-22T07:00:00Z' } } }));
    assert.deepEqual(codes(f), ['gateway-disconnected']);
  });
});

describe('health: order and secrets', () => {
  it('errors come before warnings and notices', () => {
    const findings = checkGatewayHealth(healthy({
      deployment: { spec: { replicas: 1 } },
      service: service([{ port: 5000, targetPort: 8080 }]),
      token: { gatewayId: GATEWAY, expiresAt: '2024-05-01T00:00:00Z' },
    }));
    assert.deepEqual(findings.map((f) => f.severity), ['error', 'warning', 'info']);
  });

  it('never quotes a secret setting', () => {
    const secret = 'GatewayKey rb-arc-gateway&202406110758&c2VjcmV0LXNpZ25hdHVyZQ==';
    const report = runHealthChecks(healthy({ settings: { source: 'container-env', values: { 'config.service.auth': secret, 'gateway.auth.token': secret, 'config.service.endpoint': 'https://rb-azure-apim.management.azure-api.net/subscriptions/x/resourceGroups/y/providers/Microsoft.ApiManagement/service/rb-azure-apim' } } }));
    assert.ok(!JSON.stringify(report).includes('c2VjcmV0LXNpZ25hdHVyZQ'), 'the token leaked');
    assert.equal(report.findings[0]?.code, 'v1-config-endpoint');
  });

  it('now defaults to the clock', () => {
    const input = healthy();
    delete input.now;
    assert.ok(runHealthChecks(input).findings.some((f) => f.code === 'token-expired'), `the fixture's token expired in 2024: ${NOW}, ${DEPLOYMENT}`);
  });
});
