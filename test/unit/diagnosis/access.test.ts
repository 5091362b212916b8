import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, type DiagnosisInput, type SentRequest } from '../../../src/diagnosis/index.ts';
import { api, codes, echoApi, evidenceValue, gateway, input, INVALID_KEY_BODY, MISSING_KEY_BODY, operation, record, request, response } from './builders.ts';

const URL_ECHO = 'https://gw.apim:8081/echo/resource';
const CHALLENGE = { 'www-authenticate': 'AzureApiManagementKey realm="https://gw.apim:8081/echo",name="Ocp-Apim-Subscription-Key",type="header"' };

function unauthorized(body: string, more: { request?: Partial<SentRequest>; reason?: string; headers?: Record<string, string>; withRecord?: boolean } = {}): DiagnosisInput {
  const lastError = more.reason ? { source: 'authorization', reason: more.reason, message: 'Access denied.', section: 'inbound' } : undefined;
  const rec = record({ method: 'GET', url: URL_ECHO, responseCode: 401, apiId: 'echo-api', operationId: 'retrieve-resource', apiRevision: '1' }, lastError);
  return input({
    request: request(URL_ECHO, more.request),
    response: response(401, body, more.headers ?? CHALLENGE),
    log: more.withRecord === false ? { searchedMs: 3000 } : { record: rec, searchedMs: 3000 },
    gateway: gateway(),
  });
}

describe('401: subscription key', () => {
  it('missing: no key sent to an API that requires one', () => {
    const [f, ...rest] = diagnose(unauthorized(MISSING_KEY_BODY, { reason: 'SubscriptionKeyNotFound' }));
    assert.equal(rest.length, 0);
    assert.equal(f?.code, 'subscription-key-missing');
    assert.equal(f?.explanation, 'Echo API (echo-api) requires a subscription key, and the request to /echo/resource sent none, so the gateway answered 401.');
    assert.deepEqual(f?.fixes, [{ id: 'pick-subscription-key', label: 'Pick a subscription key for Echo API', apiId: 'echo-api' }]);
    assert.equal(evidenceValue(f, 'Subscription key sent'), 'no');
  });

  it('missing: a key sent under a name the API does not read', () => {
    const facts = gateway({ apis: [echoApi({ subscriptionKeyParameterNames: { header: 'X-Echo-Key', query: 'echo-key' } })] });
    const i = { ...unauthorized(MISSING_KEY_BODY, { reason: 'SubscriptionKeyNotFound', request: { subscriptionKey: { in: 'header', name: 'Ocp-Apim-Subscription-Key' } } }), gateway: facts };
    const [f] = diagnose(i);
    assert.equal(f?.code, 'subscription-key-missing');
    assert.match(f?.explanation ?? '', /reads its subscription key from the header X-Echo-Key or query parameter echo-key, but the request to \/echo\/resource sent it as header Ocp-Apim-Subscription-Key/);
  });

  it('missing although sent where the API reads it: the gateway never got it', () => {
    const i = unauthorized(MISSING_KEY_BODY, { reason: 'SubscriptionKeyNotFound', request: { subscriptionKey: { in: 'header', name: 'ocp-apim-subscription-key' } } });
    const [f] = diagnose(i);
    assert.equal(f?.code, 'subscription-key-missing');
    assert.match(f?.explanation ?? '', /found no subscription key on the request to \/echo\/resource for Echo API \(echo-api\), although one was sent as header ocp-apim-subscription-key/);
  });

  it('invalid: a key was sent and rejected', () => {
    const [f] = diagnose(unauthorized(INVALID_KEY_BODY, { reason: 'SubscriptionKeyInvalid', request: { subscriptionKey: { in: 'header', name: 'Ocp-Apim-Subscription-Key' } } }));
    assert.equal(f?.code, 'subscription-key-invalid');
    assert.match(f?.explanation ?? '', /rejected the subscription key sent with the request to \/echo\/resource because it does not belong to an active subscription that covers Echo API/);
  });

  it('the response body alone tells missing from invalid when no record was found', () => {
    assert.deepEqual(codes(diagnose(unauthorized(MISSING_KEY_BODY, { withRecord: false }))), ['subscription-key-missing']);
    assert.deepEqual(codes(diagnose(unauthorized(INVALID_KEY_BODY, { withRecord: false, request: { headerNames: ['Ocp-Apim-Subscription-Key'] } }))), ['subscription-key-invalid']);
  });

  it('with neither record nor APIM body, the key challenge and whether a key was sent decide', () => {
    const sent = unauthorized('', { withRecord: false, request: { subscriptionKey: { in: 'query', name: 'subscription-key' } } });
    assert.deepEqual(codes(diagnose(sent)), ['subscription-key-invalid']);
    assert.deepEqual(codes(diagnose(unauthorized('', { withRecord: false }))), ['subscription-key-missing']);
  });

  it('a 401 from an API that needs no subscription is not blamed on keys', () => {
    const open = api('open', { displayName: 'Open', path: 'echo', subscriptionRequired: false }, [operation('get', 'GET', '/resource')]);
    const i = { ...unauthorized('{"error":"invalid_token"}', { withRecord: false, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }), gateway: gateway({ apis: [open], assignedApiIds: ['open'] }) };
    const [f, ...rest] = diagnose(i);
    assert.equal(rest.length, 0);
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /Open \(open\) requires no subscription, which rules out the subscription check/);
  });

  it('a 401 whose record gives another reason is not blamed on keys', () => {
    const [f] = diagnose(unauthorized('{"statusCode":401,"message":"Invalid JWT."}', { reason: 'TokenValidationFailed', headers: {} }));
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /reason TokenValidationFailed, which is not about subscription keys/);
  });

  it('never names the key value: only where it was sent', () => {
    const url = 'https://gw.apim:8081/echo/resource?subscription-key=0123456789abcdef0123456789abcdef';
    const i = input({ request: request(url, { subscriptionKey: { in: 'query', name: 'subscription-key' } }), response: response(401, INVALID_KEY_BODY), gateway: gateway() });
    const text = JSON.stringify(diagnose(i));
    assert.doesNotMatch(text, /0123456789abcdef/);
    assert.match(text, /subscription-key=\*\*\*/);
  });
});
