import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseGatewayLog } from '../../../src/gatewayLogs/parser.ts';
import { runHealthChecks, type HealthFindingCode } from '../../../src/health/index.ts';
import { healthy } from './builders.ts';

// The health input is scraped from a cluster, ARM and a log, and crosses the webview boundary as JSON: any part may be
// missing, partial or of another shape. The engine must answer anyway, never throw, and never call unknown bad.

const CODES: readonly HealthFindingCode[] = [
  'no-pods', 'pod-image-pull', 'pod-crash-loop', 'pod-pending', 'pod-config-error', 'pod-not-ready', 'pod-restarts', 'config-no-auth',
  'config-endpoint-unreachable', 'config-initial-sync-failed', 'config-unauthorized', 'config-api-v2-not-available', 'token-expired',
  'token-expiring', 'token-wrong-gateway', 'image-unsupported', 'image-outdated', 'v1-config-endpoint', 'local-diagnostics-off',
  'service-ports-mismatch', 'single-replica', 'no-api-assigned', 'gateway-disconnected',
];
const SECRET = 'S3cr3tSignatureValue0123456789==';

const junk = fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.boolean(), fc.constant([]), fc.object({ maxDepth: 1 }));
const orJunk = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: junk });
const time = orJunk(fc.constantFrom('2024-05-22T08:10:00Z', '2024-05-22T06:00:00Z', '2030-01-01T00:00:00Z', 'yesterday', '', '2024-13-45T99:00:00Z'));
const reason = fc.constantFrom('ImagePullBackOff', 'ErrImagePull', 'CrashLoopBackOff', 'ContainerCreating', 'CreateContainerConfigError', 'Error', 'OOMKilled', '', 'x');
const stateArb = fc.record({ waiting: fc.record({ reason, message: fc.string() }, { requiredKeys: [] }), running: fc.record({ startedAt: time }), terminated: fc.record({ reason, exitCode: orJunk(fc.integer()), message: fc.string(), finishedAt: time }, { requiredKeys: [] }) }, { requiredKeys: [] });
const podArb = fc.record({
  metadata: orJunk(fc.record({ name: orJunk(fc.constantFrom('gw-1', 'gw-2', '')), deletionTimestamp: fc.option(time, { nil: undefined }) }, { requiredKeys: [] })),
  spec: orJunk(fc.record({ containers: orJunk(fc.array(fc.record({ image: orJunk(fc.constantFrom('mcr.microsoft.com/azure-api-management/gateway:v1', 'x:2.4.0', 'y@sha256:ab', ':', '')) }))) })),
  status: orJunk(fc.record({
    phase: orJunk(fc.constantFrom('Running', 'Pending', 'Failed', 'Unknown', 'Succeeded')),
    conditions: orJunk(fc.array(fc.record({ type: orJunk(fc.constantFrom('Ready', 'PodScheduled')), status: orJunk(fc.constantFrom('True', 'False')), message: fc.string() }, { requiredKeys: [] }), { maxLength: 3 })),
    containerStatuses: orJunk(fc.array(fc.record({ name: fc.string(), restartCount: orJunk(fc.integer({ min: -3, max: 50 })), state: orJunk(stateArb), lastState: orJunk(stateArb), ready: orJunk(fc.boolean()) }, { requiredKeys: [] }), { maxLength: 2 })),
  }, { requiredKeys: [] })),
}, { requiredKeys: [] });
const lineArb = fc.oneof(
  fc.constantFrom(
    '[Error] 2024-05-22T07:58:40.588 [LoadingConfigurationFailed], message: https://a.configuration.azure-api.net, error: Response status code does not indicate success: 401 (Unauthorized)., source: ServiceConfigurationSource',
    '[Info] 2024-05-22T07:58:41.302 [TenantStarted], message: Tenant lifecycle id: x in 00:00:00.7890000',
    '[Error] 2024-05-22T07:58:40.513 [GatewayStartup], message: No valid authentication was configured for the configuration API.',
    '[Error]2022-10-12T02:54:48.369 [ConfigInitialSyncFailed], exception: X',
    'version: 1.3.0.0', 'version: 2.4', '[Info] 2024-05-22T07:58:41.200 [LocalLoggerAddedToTenant], message: a.azure-api.net',
    `[Info] 2024-05-22T08:00:00.000 [GatewayLogs], isRequestSuccess: true, apiId: "echo-api", url: "https://x/echo?subscription-key=${SECRET}"`,
  ),
  fc.string({ maxLength: 60 }),
);
const entriesArb = orJunk(fc.array(lineArb, { maxLength: 8 }).map((lines) => parseGatewayLog(lines.join('\n'))));
const inputArb = fc.record({
  now: time,
  target: orJunk(fc.string()),
  deployment: orJunk(fc.record({ spec: orJunk(fc.record({ replicas: orJunk(fc.integer({ min: -1, max: 5 })) })) }, { requiredKeys: [] })),
  pods: orJunk(fc.array(podArb, { maxLength: 3 })),
  events: orJunk(fc.array(fc.record({ reason: orJunk(fc.constantFrom('Failed', 'FailedScheduling', 'FailedCreate', 'BackOff')), message: fc.string(), count: orJunk(fc.integer()), lastTimestamp: time, involvedObject: orJunk(fc.record({ name: fc.constantFrom('gw-1', 'gw-2') })) }, { requiredKeys: [] }), { maxLength: 3 })),
  log: orJunk(fc.record({ pod: orJunk(fc.string()), startup: entriesArb, recent: entriesArb, previous: entriesArb }, { requiredKeys: [] })),
  token: orJunk(fc.record({ gatewayId: orJunk(fc.constantFrom('gw', 'other', '')), expiresAt: time }, { requiredKeys: [] })),
  gateway: orJunk(fc.record({ name: orJunk(fc.constantFrom('gw', 'GW')), apis: orJunk(fc.array(fc.record({ name: orJunk(fc.constantFrom('echo', 'dummy')), protocols: orJunk(fc.array(fc.constantFrom('http', 'https', 'ws', 'HTTPS'))) }, { requiredKeys: [] }), { maxLength: 3 })), localDiagnostics: orJunk(fc.boolean()), heartbeat: orJunk(fc.record({ connected: orJunk(fc.boolean()) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
  settings: orJunk(fc.record({ source: orJunk(fc.constantFrom('arc-extension', 'container-env')), values: orJunk(fc.dictionary(fc.constantFrom('config.service.endpoint', 'gateway.endpoint', 'config.service.auth', 'gateway.auth.token', 'replicaCount'), fc.oneof(fc.constant(`GatewayKey gw&202406110758&${SECRET}`), fc.constantFrom('https://a.management.azure-api.net/subscriptions/s/x', '3', '1', ''), fc.string()))) }, { requiredKeys: [] })),
  service: orJunk(fc.record({ spec: orJunk(fc.record({ ports: orJunk(fc.array(fc.record({ name: orJunk(fc.constantFrom('http', 'https', 'x')), port: orJunk(fc.integer({ min: 0, max: 70000 })), targetPort: orJunk(fc.constantFrom(8080, 8081, 'http', 'https', 'other', '8081')), appProtocol: orJunk(fc.constantFrom('https', 'http', 'h2')) }, { requiredKeys: [] }), { maxLength: 3 })) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
}, { requiredKeys: [] });

describe('health: properties', () => {
  it('any partial or malformed input gets an answer: every check, valid findings, no secret, sorted by severity', () => {
    fc.assert(fc.property(fc.oneof({ weight: 10, arbitrary: inputArb }, { weight: 1, arbitrary: junk }), (input) => {
      const report = runHealthChecks(input);
      assert.equal(report.checks.length, 11);
      for (const c of report.checks) {
        assert.ok(!c.summary.startsWith('the check failed'), c.summary);
        assert.equal(c.status === 'failed', c.findings.length > 0);
      }
      const rank = { error: 0, warning: 1, info: 2 };
      for (let i = 1; i < report.findings.length; i++) assert.ok(rank[report.findings[i - 1]!.severity] <= rank[report.findings[i]!.severity]);
      for (const f of report.findings) {
        assert.ok(CODES.includes(f.code), f.code);
        assert.ok(f.title.length > 0 && f.explanation.length > 0);
        assert.ok(Array.isArray(f.evidence) && Array.isArray(f.fixes));
      }
      assert.ok(!JSON.stringify(report).includes(SECRET), 'a secret reached the report');
      // What crosses to the webview must survive JSON.
      assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    }), { numRuns: 500 });
  });

  it('taking a part away never adds a failure: unknown is never reported as bad', () => {
    const parts = ['deployment', 'pods', 'events', 'log', 'token', 'gateway', 'settings', 'service'] as const;
    fc.assert(fc.property(fc.subarray([...parts]), (removed) => {
      const input = healthy();
      for (const p of removed) delete input[p];
      assert.deepEqual(runHealthChecks(input).findings, [], `without ${removed.join(', ')}`);
    }));
  });
});
