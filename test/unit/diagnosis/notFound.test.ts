import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, type ApiFacts, type DiagnosisInput, type Finding, type GatewayFacts, type SentRequest } from '../../../src/diagnosis/index.ts';
import {
  api,
  codes,
  dummyApi,
  echoApi,
  evidenceValue,
  fixIds,
  gateway,
  input,
  NOT_FOUND_BODY,
  operation,
  OPERATION_NOT_FOUND,
  record,
  request,
  response,
  SERVICE_ID,
  versionSet,
} from './builders.ts';

const HTTPS = 'https://gw.apim:8081';
const HTTP = 'http://gw.apim:5000';

/** A 404 OperationNotFound as the gateway logs it: no apiId when no API matched, the API's id when one did. */
function notFound(url: string, facts: GatewayFacts, more: { apiId?: string; apiRevision?: string; request?: Partial<SentRequest> } = {}): DiagnosisInput {
  const fields: Record<string, string | number> = { method: more.request?.method ?? 'GET', url, responseCode: 404, responseSize: 169 };
  if (more.apiId !== undefined) fields['apiId'] = more.apiId;
  if (more.apiRevision !== undefined) fields['apiRevision'] = more.apiRevision;
  return input({
    request: request(url, more.request),
    response: response(404, NOT_FOUND_BODY),
    log: { record: record(fields, OPERATION_NOT_FOUND), searchedMs: 3000, requestRecordsSeen: 1 },
    gateway: facts,
  });
}

function only(findings: Finding[]): Finding {
  assert.equal(findings.length, 1, `expected one finding, got ${JSON.stringify(codes(findings))}`);
  return findings[0] as Finding;
}

describe('404: API not assigned to the gateway', () => {
  it('names the API and offers assign-api with the gateway id', () => {
    const f = only(diagnose(notFound(`${HTTPS}/echo/resource`, gateway({ assignedApiIds: ['dummy'] }))));
    assert.equal(f.code, 'api-not-assigned');
    assert.deepEqual(f.fixes, [{ id: 'assign-api', label: 'Assign Echo API to rb-arc-gateway', apiId: 'echo-api', gatewayId: 'rb-arc-gateway' }]);
    assert.match(f.explanation, /Echo API \(echo-api\) serves \/echo, but it is not assigned to gateway rb-arc-gateway/);
    assert.equal(evidenceValue(f, 'APIs assigned to rb-arc-gateway'), 'dummy');
  });

  it('reads assignments given as ARM ids', () => {
    const facts = gateway({ assignedApiIds: [`${SERVICE_ID}/gateways/rb-arc-gateway/apis/echo-api`, 'dummy'] });
    assert.ok(!codes(diagnose(notFound(`${HTTPS}/echo/resource`, facts))).includes('api-not-assigned'));
  });

  it('claims nothing about assignment when the assignments are not known', () => {
    const facts = gateway({ assignedApiIds: undefined });
    assert.deepEqual(codes(diagnose(notFound(`${HTTPS}/echo/resource`, facts))), ['unknown']);
  });

  it('comes before the scheme when both exclude the API', () => {
    const findings = diagnose(notFound(`${HTTP}/echo/resource`, gateway({ assignedApiIds: [] })));
    assert.deepEqual(codes(findings), ['api-not-assigned', 'scheme-not-allowed']);
  });

  it("trusts the gateway's record over stale facts: an API the record names was assigned", () => {
    const findings = diagnose(notFound(`${HTTPS}/echo/nothing`, gateway({ assignedApiIds: [] }), { apiId: 'echo-api', apiRevision: '1' }));
    assert.deepEqual(codes(findings), ['no-operation-for-method']);
  });
});

describe('404: scheme not in the API protocols', () => {
  it('HTTPS to an HTTP-only API: no allow-http and no retry-https', () => {
    const facts = gateway({ apis: [echoApi({ protocols: ['http'] })] });
    const f = only(diagnose(notFound(`${HTTPS}/echo/resource`, facts)));
    assert.equal(f.code, 'scheme-not-allowed');
    assert.deepEqual(f.fixes, []);
    assert.equal(f.title, 'HTTPS not allowed by Echo API');
  });

  it('retry-https only when the request went to a known Service port', () => {
    const viaPortForward = diagnose(notFound('http://127.0.0.1:18080/echo/resource', gateway()));
    assert.deepEqual(fixIds(viaPortForward[0]), ['allow-http']);
    const portsUnknown = diagnose(notFound(`${HTTP}/echo/resource`, gateway({ ports: undefined })));
    assert.deepEqual(fixIds(portsUnknown[0]), ['allow-http']);
  });

  it('the default https port drops out of the retry URL', () => {
    const facts = gateway({ ports: [{ port: 80, scheme: 'http' }, { port: 443, scheme: 'https' }] });
    const [f] = diagnose(notFound('http://gw.example/echo/resource?a=1', facts));
    assert.deepEqual(f?.fixes[0], { id: 'retry-https', label: 'Resend over HTTPS (port 443)', url: 'https://gw.example/echo/resource?a=1' });
  });

  it('says where the gateway sent the request instead when a shorter API caught it', () => {
    const root = api('root', { displayName: 'Root', path: '' }, [operation('health', 'GET', '/health')]);
    const facts = gateway({ apis: [echoApi(), root], assignedApiIds: ['echo-api', 'root'] });
    const f = only(diagnose(notFound(`${HTTP}/echo/resource`, facts, { apiId: 'root' })));
    assert.equal(f.code, 'scheme-not-allowed');
    assert.match(f.explanation, /passed it to Root \(root\), which has no operation for it/);
    assert.equal(evidenceValue(f, 'The gateway routes it instead to'), 'Root (root) at /');
  });
});

describe('404: no API for the path', () => {
  it('names the closest API path when the first segment is a near miss', () => {
    const f = only(diagnose(notFound(`${HTTPS}/ehco/resource`, gateway())));
    assert.equal(f.code, 'no-api-for-path');
    assert.match(f.explanation, /No API of the service has a path that \/ehco\/resource starts with; the closest is \/echo of Echo API \(echo-api\)/);
    assert.equal(evidenceValue(f, 'API paths'), '/echo (echo-api), /dummy (dummy)');
  });

  it('matches on segment boundaries only: /shopping is not under /shop', () => {
    const shop = api('shop', { path: 'shop' }, [operation('any', 'GET', '/x')]);
    const f = only(diagnose(notFound(`${HTTPS}/shopping/x`, gateway({ apis: [shop], assignedApiIds: ['shop'] }))));
    assert.equal(f.code, 'no-api-for-path');
    assert.doesNotMatch(f.explanation, /closest/);
  });

  it('a service without APIs says so', () => {
    const f = only(diagnose(notFound(`${HTTPS}/echo/resource`, gateway({ apis: [] }))));
    assert.equal(f.code, 'no-api-for-path');
    assert.match(f.explanation, /has no APIs/);
  });
});

describe('404: no operation for method and template', () => {
  it('another method on the same path lists the methods that path takes', () => {
    const f = only(diagnose(notFound(`${HTTPS}/echo/resource`, gateway(), { apiId: 'echo-api', request: { method: 'PATCH' } })));
    assert.equal(f.code, 'no-operation-for-method');
    assert.equal(f.explanation, 'Echo API (echo-api) has no PATCH operation for /resource; that path takes only POST, PUT, DELETE, HEAD or GET.');
    assert.match(evidenceValue(f, 'Echo API operations') ?? '', /^POST \/resource, PUT \/resource/);
  });

  it('a misspelt path names the closest operation', () => {
    const f = only(diagnose(notFound(`${HTTPS}/echo/resouce`, gateway(), { apiId: 'echo-api' })));
    assert.equal(f.code, 'no-operation-for-method');
    assert.match(f.explanation, /no operation matching GET \/resouce; the closest is GET \/resource\.$/);
  });

  it('a template parameter takes exactly one segment', () => {
    const ok = diagnose(notFound(`${HTTPS}/dummy/items/42`, gateway()));
    assert.deepEqual(codes(ok), ['unknown'], 'GET /dummy/items/42 matches get-item, so a 404 is not explained');
    assert.match(ok[0]?.explanation ?? '', /routes it to operation GET \/items\/\{id\} of Dummy/);
    const tooDeep = only(diagnose(notFound(`${HTTPS}/dummy/items/42/parts`, gateway(), { apiId: 'dummy' })));
    assert.equal(tooDeep.code, 'no-operation-for-method');
  });

  it('paths match case-insensitively and with a trailing slash, as APIM matches them', () => {
    assert.deepEqual(codes(diagnose(notFound(`${HTTPS}/ECHO/Resource/`, gateway()))), ['unknown']);
  });

  it('a required template query parameter must be sent; an optional one need not', () => {
    const search = (required: boolean): ApiFacts =>
      api('search', { path: 'api' }, [operation('search', 'GET', '/search?q={q}', [{ name: 'q', type: 'string', required }])]);
    const missing = only(diagnose(notFound(`${HTTPS}/api/search`, gateway({ apis: [search(true)], assignedApiIds: ['search'] }), { apiId: 'search' })));
    assert.equal(missing.code, 'no-operation-for-method');
    assert.match(missing.explanation, /GET \/search\?q=\{q\}, which needs the query parameter q/);
    assert.deepEqual(codes(diagnose(notFound(`${HTTPS}/api/search?q=x`, gateway({ apis: [search(true)], assignedApiIds: ['search'] })))), ['unknown']);
    assert.deepEqual(codes(diagnose(notFound(`${HTTPS}/api/search`, gateway({ apis: [search(false)], assignedApiIds: ['search'] })))), ['unknown']);
  });

  it('{*rest} takes the rest of the path', () => {
    const files = api('files', { path: 'files' }, [operation('get', 'GET', '/{*path}')]);
    assert.deepEqual(codes(diagnose(notFound(`${HTTPS}/files/a/b/c.txt`, gateway({ apis: [files], assignedApiIds: ['files'] })))), ['unknown']);
  });

  it('the longest API path wins: /shop/orders is not an operation of /shop', () => {
    const shop = api('shop', { displayName: 'Shop', path: 'shop' }, [operation('list', 'GET', '/products')]);
    const orders = api('orders', { displayName: 'Orders', path: 'shop/orders' }, [operation('get', 'GET', '/{id}')]);
    const findings = diagnose(notFound(`${HTTPS}/shop/orders/17`, gateway({ apis: [shop, orders], assignedApiIds: ['shop'] }), { apiId: 'shop' }));
    assert.deepEqual(codes(findings), ['api-not-assigned']);
    assert.match(findings[0]?.explanation ?? '', /^Orders \(orders\) serves \/shop\/orders/);
    assert.equal(evidenceValue(findings[0], 'The gateway routes it instead to'), 'Shop (shop) at /shop');
  });

  it('operations that were not read are not judged', () => {
    const facts = gateway({ apis: [api('echo-api', { displayName: 'Echo API', path: 'echo' }, null)] });
    const [f] = diagnose(notFound(`${HTTPS}/echo/anything`, facts));
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /operations of Echo API \(echo-api\) were not read/);
  });
});

describe('404: revisions', () => {
  const revisions = (): ApiFacts[] => [
    echoApi({ protocols: ['https'] }),
    api(
      'echo-api;rev=2',
      { displayName: 'Echo API', path: 'echo', apiRevision: '2', isCurrent: false, protocols: ['https'] },
      [operation('retrieve-resource', 'GET', '/resource'), operation('new-thing', 'GET', '/new')],
    ),
  ];

  it('an operation only in a non-current revision: use-revision with ;rev=2', () => {
    const f = only(diagnose(notFound(`${HTTPS}/echo/new?x=1`, gateway({ apis: revisions() }), { apiId: 'echo-api', apiRevision: '1' })));
    assert.equal(f.code, 'non-current-revision');
    assert.match(f.explanation, /^GET \/new exists only in revision 2 of Echo API, which is not the current revision/);
    assert.deepEqual(f.fixes, [{ id: 'use-revision', label: 'Resend to revision 2', apiId: 'echo-api', revision: '2', url: `${HTTPS}/echo;rev=2/new?x=1` }]);
    assert.equal(evidenceValue(f, 'Echo API revisions'), '1 (current) and 2');
  });

  it('a revision that does not exist: back to the current one', () => {
    const f = only(diagnose(notFound(`${HTTPS}/echo;rev=3/resource`, gateway({ apis: revisions() }))));
    assert.equal(f.code, 'non-current-revision');
    assert.match(f.explanation, /names revision 3 of Echo API with ;rev=3, but Echo API has revisions 1 \(current\) and 2/);
    assert.deepEqual(f.fixes, [{ id: 'use-revision', label: 'Resend to the current revision 1', apiId: 'echo-api', revision: '1', url: `${HTTPS}/echo/resource` }]);
  });

  it('the named revision lacks the operation another revision has', () => {
    const f = only(diagnose(notFound(`${HTTPS}/echo;rev=1/new`, gateway({ apis: revisions() }), { apiId: 'echo-api', apiRevision: '1' })));
    assert.equal(f.code, 'non-current-revision');
    assert.match(f.explanation, /^GET \/new exists in revision 2 of Echo API, but the request names revision 1/);
    assert.equal(f.fixes[0]?.id === 'use-revision' ? f.fixes[0].url : undefined, `${HTTPS}/echo;rev=2/new`);
  });

  it('a non-current revision named with ;rev=n routes in the configuration, yet a self-hosted gateway likely does not serve it: a warning', () => {
    const f = only(diagnose(notFound(`${HTTPS}/echo;rev=2/new`, gateway({ apis: revisions() }))));
    assert.equal(f.code, 'revision-not-served');
    assert.equal(f.severity, 'warning');
  });
});

describe('404: versions', () => {
  const versioned = (scheme: 'Segment' | 'Query' | 'Header'): GatewayFacts => {
    const set = versionSet('shop-vs', { versioningScheme: scheme, versionQueryName: 'api-version', versionHeaderName: 'Api-Version' });
    const version = (v: string): ApiFacts =>
      api(`shop-${v}`, { displayName: 'Shop', path: 'shop', apiVersion: v, apiVersionSetId: set.id }, [operation('orders', 'GET', '/orders')]);
    return gateway({ apis: [version('v1'), version('v2')], assignedApiIds: ['shop-v1', 'shop-v2'], versionSets: [set] });
  };

  it('Segment: no version in the path → add-version with the newest version inserted after /shop', () => {
    const f = only(diagnose(notFound(`${HTTPS}/shop/orders`, versioned('Segment'))));
    assert.equal(f.code, 'version-missing');
    assert.match(f.explanation, /^GET \/orders is served by version v2 of Shop, which takes its version as a path segment after \/shop, but the request to \/shop\/orders names no version/);
    assert.deepEqual(f.fixes, [
      { id: 'add-version', label: 'Resend with version v2', apiId: 'shop-v2', versionSetId: `${SERVICE_ID}/apiVersionSets/shop-vs`, version: 'v2', scheme: 'Segment', url: `${HTTPS}/shop/v2/orders` },
    ]);
    assert.equal(evidenceValue(f, 'Versions in the set'), 'v1, v2');
  });

  it('Segment: an unknown version in its place is named', () => {
    const f = only(diagnose(notFound(`${HTTPS}/shop/v3/orders`, versioned('Segment'))));
    assert.equal(f.code, 'version-missing');
    assert.match(f.explanation, /has v3 in its place/);
  });

  it('Segment: a known version routes', () => {
    assert.deepEqual(codes(diagnose(notFound(`${HTTPS}/shop/v1/orders`, versioned('Segment')))), ['unknown']);
  });

  it('Query: add-version puts api-version in the query', () => {
    const f = only(diagnose(notFound(`${HTTPS}/shop/orders?page=2`, versioned('Query'))));
    assert.equal(f.code, 'version-missing');
    const fix = f.fixes[0];
    assert.ok(fix?.id === 'add-version' && fix.scheme === 'Query');
    assert.equal(fix.queryName, 'api-version');
    assert.equal(fix.url, `${HTTPS}/shop/orders?page=2&api-version=v2`);
    const wrong = only(diagnose(notFound(`${HTTPS}/shop/orders?api-version=v9`, versioned('Query'))));
    assert.match(wrong.explanation, /sent api-version=v9/);
  });

  it('Header: add-version names the header and keeps the URL', () => {
    const f = only(diagnose(notFound(`${HTTPS}/shop/orders`, versioned('Header'))));
    assert.deepEqual(f.fixes[0], {
      id: 'add-version',
      label: 'Resend with version v2',
      apiId: 'shop-v2',
      versionSetId: `${SERVICE_ID}/apiVersionSets/shop-vs`,
      version: 'v2',
      scheme: 'Header',
      headerName: 'Api-Version',
      url: `${HTTPS}/shop/orders`,
    });
    // With the header present its value is unknown to us, so no version claim is made.
    assert.deepEqual(codes(diagnose(notFound(`${HTTPS}/shop/orders`, versioned('Header'), { request: { headerNames: ['Api-Version'] } }))), ['unknown']);
  });
});

describe('404: hostname', () => {
  it('warns when everything matches but the Host is not a configured hostname', () => {
    const f = only(diagnose(notFound(`${HTTPS}/echo/resource`, gateway({ hostnames: ['api.contoso.com'] }))));
    assert.equal(f.code, 'hostname-mismatch');
    assert.equal(f.severity, 'warning');
    assert.match(f.explanation, /asked for host gw\.apim, which is not among the hostnames of gateway rb-arc-gateway \(api\.contoso\.com\)/);
  });

  it('a wildcard hostname or a Host header that matches is no cause', () => {
    assert.deepEqual(codes(diagnose(notFound(`${HTTPS}/echo/resource`, gateway({ hostnames: ['*.apim'] })))), ['unknown']);
    const viaHost = notFound(`${HTTPS}/echo/resource`, gateway({ hostnames: ['api.contoso.com'] }), { request: { hostHeader: 'API.contoso.com:443' } });
    assert.deepEqual(codes(diagnose(viaHost)), ['unknown']);
  });

  it('is not blamed while another constraint explains the 404', () => {
    assert.deepEqual(codes(diagnose(notFound(`${HTTP}/echo/resource`, gateway({ hostnames: ['api.contoso.com'] })))), ['scheme-not-allowed']);
  });
});

describe('404: what the log says first', () => {
  it("a 404 the backend sent is not a routing failure", () => {
    const url = `${HTTPS}/dummy/items/7`;
    const rec = record({ method: 'GET', url, backendResponseCode: 404, responseCode: 404, apiId: 'dummy', operationId: 'get-item' });
    const [f, ...rest] = diagnose(input({ request: request(url), response: response(404, '{"error":"no item 7"}'), log: { record: rec, searchedMs: 2000 }, gateway: gateway() }));
    assert.equal(rest.length, 0);
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /backend itself answered 404/);
  });

  it('without a record the 404 is still explained from the configuration', () => {
    const findings = diagnose(input({ request: request(`${HTTP}/echo/resource`), response: response(404, NOT_FOUND_BODY), gateway: gateway() }));
    assert.deepEqual(codes(findings), ['scheme-not-allowed']);
  });

  it('without the APIs nothing is claimed', () => {
    const [f] = diagnose(notFound(`${HTTP}/echo/resource`, gateway({ apis: undefined })));
    assert.equal(f?.code, 'unknown');
    assert.match(f?.explanation ?? '', /APIs of the APIM service were not read/);
  });

  it('the Dummy API (http and https, no key) is routed for the same request shape', () => {
    assert.deepEqual(codes(diagnose(notFound(`${HTTP}/dummy/items`, gateway({ apis: [echoApi(), dummyApi()] })))), ['unknown']);
  });
});
