// The fix registry (src/requests/fixes): every diagnosis fix id has its kind, and applying one runs the kind's own
// steps — checks first, the modal question, then the act — with declining changing nothing.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fix } from '../../../../src/diagnosis/types.ts';
import { applyFix, FIX_KINDS, isActionableFix } from '../../../../src/requests/fixes/index.ts';
import { form, recordingScope } from './scope.ts';

const signal = new AbortController().signal;

describe('fix registry', () => {
  it('has one kind per fix id, filed under its own id', () => {
    for (const [id, kind] of Object.entries(FIX_KINDS)) assert.equal(kind.id, id);
    assert.equal(isActionableFix('allow-http'), true);
    assert.equal(isActionableFix('toString'), false, 'only the registry’s own keys');
  });

  it('declining the question changes nothing and does not resend', async () => {
    const { scope, asked, done } = recordingScope(false);
    const fix: Fix = { id: 'retry-https', label: 'Resend over HTTPS', url: 'https://gw-svc.apim:5001/echo/resource' };
    assert.deepEqual(await applyFix(fix, form, scope, signal), { resend: false });
    assert.equal(asked.length, 1);
    assert.deepEqual(done, []);
  });

  it('retry-https: refuses a port the Service does not have, before asking', async () => {
    const { scope, asked } = recordingScope(true);
    const fix: Fix = { id: 'retry-https', label: 'Resend over HTTPS', url: 'https://gw-svc.apim:8443/echo/resource' };
    await assert.rejects(applyFix(fix, form, scope, signal), /The Service gw-svc has no https port 8443/);
    assert.deepEqual(asked, []);
  });

  it('retry-https: resends to the https port', async () => {
    const { scope, asked } = recordingScope(true);
    const fix: Fix = { id: 'retry-https', label: 'Resend over HTTPS', url: 'https://gw-svc.apim:5001/echo/resource' };
    const outcome = await applyFix(fix, form, scope, signal);
    assert.equal(outcome.resend, true);
    assert.equal(outcome.form?.port, 5001);
    assert.equal(asked[0]?.id, 'retryHttps');
  });

  it('allow-http and assign-api: refuse without the APIM gateway, naming what to do', async () => {
    const { scope } = recordingScope(true);
    await assert.rejects(applyFix({ id: 'allow-http', label: 'Allow HTTP', apiId: 'echo-api' }, form, scope, signal), /link this Deployment to its API Management gateway to change the API’s protocols/);
    await assert.rejects(applyFix({ id: 'assign-api', label: 'Assign', apiId: 'echo-api', gatewayId: 'gw' }, form, scope, signal), /to assign the API/);
  });

  it('open-token-wizard: opens the wizard without asking, and does not resend', async () => {
    const { scope, asked, done } = recordingScope(true);
    assert.deepEqual(await applyFix({ id: 'open-token-wizard', label: 'New token', gatewayId: 'rb-arc-gateway' }, form, scope, signal), { resend: false });
    assert.deepEqual(asked, []);
    assert.deepEqual(done, ['rotate rb-arc-gateway']);
  });

  it('add-version (header): resends as a typed path with the version header', async () => {
    const { scope } = recordingScope(true);
    const fix: Fix = { id: 'add-version', label: 'Add version v2', apiId: 'echo-v2', versionSetId: 'set', version: 'v2', scheme: 'Header', headerName: 'Api-Version', url: 'http://gw-svc.apim:5000/echo/resource?x=1' };
    const outcome = await applyFix(fix, { ...form, api: 'echo-api', headers: [['api-version', 'v1']] }, scope, signal);
    assert.equal(outcome.resend, true);
    assert.equal(outcome.form?.api, undefined);
    assert.equal(outcome.form?.path, '/echo/resource?x=1');
    assert.deepEqual(outcome.form?.headers, [['Api-Version', 'v2']]);
  });
});
