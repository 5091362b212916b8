import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHealthToHost, isHealthToWebview } from '../../../src/contract/health.ts';
import { runHealthChecks } from '../../../src/health/index.ts';
import { fixtureLog, GATEWAY, healthy } from './builders.ts';

describe('health view contract', () => {
  it('accepts only recheck and fixes named by small indices', () => {
    assert.ok(isHealthToHost({ type: 'health/recheck' }));
    assert.ok(isHealthToHost({ type: 'health/fix', finding: 0, fix: 1 }));
    for (const bad of [{ type: 'health/fix', finding: -1, fix: 0 }, { type: 'health/fix', finding: 0.5, fix: 0 }, { type: 'health/fix', finding: '0', fix: 0 }, { type: 'health/fix', finding: 0 }, { type: 'health/fix', finding: 1e6, fix: 0 }, null, 'health/recheck', { type: 'ready' }]) {
      assert.ok(!isHealthToHost(bad), JSON.stringify(bad));
    }
  });

  it('a report survives the trip as JSON, and a finding shared by two checks is found again by code and title', () => {
    const report = runHealthChecks(healthy({ token: { gatewayId: GATEWAY, expiresAt: '2024-05-01T00:00:00Z' }, log: { pod: 'gw-1', startup: fixtureLog('generated/v2-text-expired-token.log') } }));
    const message = JSON.parse(JSON.stringify({ type: 'health/report', target: 't', checkedAt: '2024-05-22T08:30:00Z', report, notes: [] })) as unknown;
    assert.ok(isHealthToWebview(message));
    const crossed = (message as { report: typeof report }).report;
    const shared = crossed.checks.filter((c) => c.findings.some((f) => f.code === 'token-expired'));
    assert.deepEqual(shared.map((c) => c.id), ['configuration', 'token', 'connection'], 'the checks that rest on it all show it');
    // After JSON the copies are no longer the same object (identity does not cross), which the view must not rely on.
    assert.equal(crossed.findings.indexOf(shared[0]!.findings[0]!), -1);
    const index = crossed.findings.findIndex((x) => x.code === shared[1]!.findings[0]!.code && x.title === shared[1]!.findings[0]!.title);
    assert.equal(crossed.findings[index]?.code, 'token-expired');
  });
});
