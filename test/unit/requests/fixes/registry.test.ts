// The fix registry (src/requests/fixes): every diagnosis fix id has its kind, and applying one runs the kind's own
// steps — checks first, the modal question, then the act — with declining changing nothing.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fix } from '../../../../src/diagnosis/types.ts';
import { applyFix, FIX_KINDS, isActionableFix } from '../../../../src/requests/fixes/index.ts';
import { context, form, recordingScope } from './scope.ts';

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

  it('pick-subscription-key: lists subscriptions by name and scope, the generated id only as detail', async () => {
    const subscriptions = [
      { name: 'master', displayName: 'Built-in all-access subscription', scope: '/apis' },
      // APIM's Starter subscription has no display name: ARM gives its generated id as the name.
      { name: '69a1c0d4e2b3f4a5b6c7d8e9', displayName: '69a1c0d4e2b3f4a5b6c7d8e9', scope: '/products/starter' },
    ];
    const arm = { serviceName: 'rb-azure-apim', gatewayName: 'gw', apis: [], subscriptions };
    const listed: { label: string; description?: string; detail?: string }[] = [];
    const { scope } = recordingScope(true, {
      binding: { serviceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/rb-azure-apim', gatewayId: 'g', gatewayName: 'gw' },
      context: () => ({ ...context, arm }),
    });
    scope.prompter.pick = ((options: { items: { label: string; description?: string; detail?: string; value: unknown }[] }) => {
      listed.push(...options.items.map(({ label, description, detail }) => ({ label, ...(description ? { description } : {}), ...(detail ? { detail } : {}) })));
      return Promise.resolve(options.items[1]?.value);
    }) as unknown as typeof scope.prompter.pick;
    const fix: Fix = { id: 'pick-subscription-key', label: 'Send with a subscription key', apiId: 'echo-api' };
    const result = await applyFix(fix, form, scope, signal);
    assert.deepEqual(listed, [
      { label: 'Built-in all-access subscription', description: 'all APIs', detail: 'id master' },
      { label: 'Subscription to product starter', description: 'product starter', detail: 'id 69a1c0d4e2b3f4a5b6c7d8e9' },
    ]);
    assert.ok(!listed.some((i) => i.label.includes('69a1c0d4')), 'no raw id as a name');
    assert.equal(result.form?.subscription, '69a1c0d4e2b3f4a5b6c7d8e9', 'the form still sends by id');
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
