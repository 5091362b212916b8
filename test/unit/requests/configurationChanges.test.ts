import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { MAX_REMEMBERED_CHANGES, configurationChanges, forgetConfigurationChanges, recordConfigurationChange } from '../../../src/requests/configurationChanges.ts';
import { explainRecordNow } from '../../../src/diagnosis/fromRecord.ts';
import { OPERATION_NOT_FOUND, SVC, echoApi, gateway, record } from '../diagnosis/builders.ts';

describe('changes this extension made, remembered for old records', () => {
  beforeEach(() => forgetConfigurationChanges());

  it('keeps what, to which API, and when; oldest first; bounded', () => {
    recordConfigurationChange({ what: 'Allow HTTP on echo-api', apiId: 'echo-api', at: new Date('2024-05-02T10:14:59Z') });
    assert.deepEqual(configurationChanges(), [{ what: 'Allow HTTP on echo-api', apiId: 'echo-api', at: '2024-05-02T10:14:59.000Z' }]);
    for (let i = 0; i < MAX_REMEMBERED_CHANGES + 5; i++) recordConfigurationChange({ what: `change ${i}` });
    assert.equal(configurationChanges().length, MAX_REMEMBERED_CHANGES);
    assert.equal(configurationChanges()[0]?.what, 'change 5');
  });

  it('"Why did this fail?" on the seed 404 after Allow HTTP names the change', () => {
    recordConfigurationChange({ what: 'Allow HTTP on echo-api', apiId: 'echo-api', at: new Date('2024-05-02T10:14:59Z') });
    const seed = record({ method: 'GET', url: `${SVC}/echo/resource?param1=sample`, responseCode: 404 }, OPERATION_NOT_FOUND);
    const now = gateway({ apis: [echoApi({ protocols: ['http', 'https'] })], readAt: '2024-05-02T10:20:00Z' });
    const explanation = explainRecordNow(seed, now, configurationChanges());
    assert.equal(explanation.findings[0]?.code, 'configuration-changed');
    assert.match(explanation.findings[0]?.explanation ?? '', /this extension applied Allow HTTP on echo-api at 2024-05-02 10:14 UTC/);
    assert.match(explanation.asOf ?? '', /^Judged against the gateway’s configuration as it is now \(read 2024-05-02 10:20 UTC\)/);
  });
});
