// The Update Gateway Extension rules and diff: pure, on the documented settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { settingsDiff, UPDATE_FIELDS } from '../../../src/azure/extensionUpdate.ts';

const spec = (field: string) => UPDATE_FIELDS.find((f) => f.field === field)!;

describe('extension update', () => {
  it('names the setting of the generation the extension uses', () => {
    assert.equal(spec('serviceType').setting('legacy'), 'service.Type');
    assert.equal(spec('serviceType').setting('current'), 'service.type');
    assert.equal(spec('replicas').setting('current'), 'replicaCount');
    assert.equal(spec('logFormat').setting('legacy'), 'telemetry.logs.std');
  });

  it('refuses values outside the rules, naming them', () => {
    assert.match(spec('replicas').check('0') ?? '', /1 to 100/);
    assert.equal(spec('replicas').check('3'), undefined);
    assert.match(spec('httpPort').check('70000') ?? '', /1 to 65535/);
    assert.match(spec('serviceType').check('Ingress') ?? '', /ClusterIP, LoadBalancer, NodePort/);
    assert.match(spec('other').check('gateway.auth.token=x') ?? '', /Rotate Gateway Token/);
    assert.equal(spec('other').check('telemetry.logs.std.level=debug'), undefined);
    fc.assert(fc.property(fc.string(), (v) => {
      const ok = spec('replicas').check(v) === undefined;
      assert.equal(ok, /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 100);
    }));
  });

  it('shows only what changes', () => {
    const before = { 'gateway.endpoint': 'https://x.configuration.azure-api.net', 'service.Type': 'ClusterIP', replicaCount: '2' };
    assert.deepEqual(settingsDiff(before, { settings: { replicaCount: '3', 'service.Type': 'ClusterIP', 'telemetry.logs.std': 'json', 'image.tag': null } }),
      ['~ replicaCount: 2 → 3', '+ telemetry.logs.std: json']);
    assert.deepEqual(settingsDiff(before, { settings: { replicaCount: null }, releaseTrain: 'preview', version: '1.15.1' }, { releaseTrain: 'stable' }),
      ['- replicaCount: 2', '~ releaseTrain: stable → preview', '~ version: (auto-upgrade) → 1.15.1']);
  });
});
