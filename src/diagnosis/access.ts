// 401 from the subscription check: APIM rejects a request to an API that requires a subscription when the key is
// absent from the header and query parameter that API reads (SubscriptionKeyNotFound), or when the key opens no active
// subscription covering the API (SubscriptionKeyInvalid). Any other 401 (a validate-jwt policy, a backend's own 401)
// is left unexplained rather than blamed on keys.
import type { Analysis } from './analysis.ts';
import { ev, logEvidence, requestEvidence, responseEvidence } from './evidence.ts';
import type { ApiModel, Model, RequestModel } from './input.ts';
import { evaluateAll, gatewayChoice } from './routing.ts';
import { apiLabel, apiShortName, displayPath } from './text.ts';
import type { Evidence, Fix, Severity } from './types.ts';

const DEFAULT_HEADER = 'Ocp-Apim-Subscription-Key';
const DEFAULT_QUERY = 'subscription-key';

function eq(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** The API the gateway dealt with: named by its record, otherwise the one the configuration routes to. */
export function apiOfRequest(model: Model): ApiModel | undefined {
  const apis = model.gateway?.apis;
  if (!apis) return undefined;
  const record = model.log?.record;
  if (record?.apiId !== undefined) {
    const named = apis.filter((a) => eq(a.baseName, record.apiId));
    return named.find((a) => (record.apiRevision !== undefined ? eq(a.revision, record.apiRevision) : a.isCurrent)) ?? named[0];
  }
  const request = model.request;
  if (!request) return undefined;
  return gatewayChoice(evaluateAll(apis, { view: request.view, method: request.method, headerNames: request.headerNames, assigned: model.gateway?.assigned }))?.api;
}

type KeyState = { kind: 'read'; where: string } | { kind: 'wrong-name'; where: string } | { kind: 'none' } | { kind: 'unknown' };

function keyState(request: RequestModel | undefined, api: ApiModel | undefined): KeyState {
  if (!request) return { kind: 'unknown' };
  const header = api?.keyHeader ?? DEFAULT_HEADER;
  const query = api?.keyQuery ?? DEFAULT_QUERY;
  const key = request.key;
  if (key?.in === 'header' && eq(key.name, header)) return { kind: 'read', where: `header ${key.name}` };
  if (key?.in === 'query' && key.name === query) return { kind: 'read', where: `query parameter ${key.name}` };
  if (request.headerNames.has(header.toLowerCase())) return { kind: 'read', where: `header ${header}` };
  if (request.view.query.has(query)) return { kind: 'read', where: `query parameter ${query}` };
  if (key) return { kind: 'wrong-name', where: `${key.in === 'header' ? 'header' : 'query parameter'} ${key.name}` };
  // Headers not known (a request read from its record): a key may have travelled in one.
  return request.headersKnown ? { kind: 'none' } : { kind: 'unknown' };
}

/** Why a key sent where the gateway reads it may still not arrive. */
const STRIPPED =
  'a proxy or ingress in between that drops the header, or a browser that sent a CORS preflight (OPTIONS) without it, is as likely as a key that was never attached';
/** What else answers 401. */
const OTHER_401 = 'a validate-jwt or other authentication policy, or the backend itself, can answer 401 as well';

function keyNamesText(api: ApiModel | undefined): string {
  return `header ${api?.keyHeader ?? DEFAULT_HEADER} or query parameter ${api?.keyQuery ?? DEFAULT_QUERY}`;
}

export function analyseUnauthorized(model: Model): Analysis {
  const request = model.request;
  const record = model.log?.record;
  const response = model.response?.kind === 'http' ? model.response : undefined;
  const api = apiOfRequest(model);
  const reason = record?.lastError?.reason;
  const body = response?.body ?? '';
  const saysMissing = eq(reason, 'SubscriptionKeyNotFound') || /missing subscription key/i.test(body);
  const saysInvalid = eq(reason, 'SubscriptionKeyInvalid') || /invalid subscription key/i.test(body);
  const challenge = /AzureApiManagementKey/i.test(response?.headers.get('www-authenticate') ?? '');
  const key = keyState(request, api);

  let kind: 'missing' | 'invalid' | undefined;
  // The gateway's own words prove which check failed; without them the severity follows what else is known.
  let severity: Severity = 'error';
  if (saysMissing) kind = 'missing';
  else if (saysInvalid) kind = 'invalid';
  // No word from the gateway about why: the subscription check is the cause only if something ties the 401 to it.
  else if (reason === undefined && request && (challenge || api?.subscriptionRequired === true)) {
    kind = key.kind === 'read' ? 'invalid' : 'missing';
    // APIM checks the subscription before any policy: a required key known to be absent proves it; a key sent and
    // refused without the gateway saying so could be a policy's 401; a key not known to be absent could be either.
    if (key.kind === 'unknown' || (kind === 'invalid' && !challenge)) severity = 'warning';
  }
  if (!request && kind === undefined) return { findings: [], note: model.requestProblem };
  if (kind === undefined) {
    const note =
      reason !== undefined
        ? `the gateway's record gives the reason ${reason}, which is not about subscription keys`
        : api?.subscriptionRequired === false
          ? `${apiLabel(api)} requires no subscription, which rules out the subscription check`
          : 'nothing ties the 401 to the subscription check';
    return { findings: [], note };
  }

  const label = api ? apiLabel(api) : record?.apiId ?? 'the API';
  const short = api ? apiShortName(api) : record?.apiId ?? 'the API';
  const Label = label.charAt(0).toUpperCase() + label.slice(1);
  const apiId = api?.baseName ?? record?.apiId;
  const path = request ? displayPath(request, model) : undefined;
  const to = path !== undefined ? ` to ${path}` : '';
  const evidence: Evidence[] = [
    ...requestEvidence(model),
    ev('Subscription key sent', key.kind === 'none' ? 'no' : key.kind === 'unknown' ? 'not known' : `yes, as ${key.where}`),
    ev(`${short} reads the key from`, keyNamesText(api)),
  ];
  if (api?.subscriptionRequired !== undefined) evidence.push(ev(`${short} requires a subscription`, api.subscriptionRequired ? 'yes' : 'no'));
  const resp = responseEvidence(model);
  if (resp) evidence.push(resp);
  const log = logEvidence(model);
  if (log) evidence.push(log);
  const fixes: Fix[] = apiId !== undefined ? [{ id: 'pick-subscription-key', label: `Pick a subscription key for ${short}`, apiId }] : [];

  if (kind === 'invalid') {
    return {
      findings: [
        {
          code: 'subscription-key-invalid',
          severity,
          title: `Subscription key rejected by ${short}`,
          explanation:
            severity === 'error'
              ? `The gateway rejected the subscription key sent with the request${to} because it does not belong to an active subscription that covers ${label}.`
              : `${Label} requires a subscription and a key was sent with the request${to}, so the gateway likely rejected it as not belonging to an active subscription that covers the API; the gateway did not say so, and ${OTHER_401}.`,
          evidence,
          fixes,
        },
      ],
    };
  }
  let explanation: string;
  if (key.kind === 'wrong-name') {
    explanation = `${Label} reads its subscription key from the ${keyNamesText(api)}, but the request${to} sent it as ${key.where}, which the gateway ignores.`;
  } else if (key.kind === 'read') {
    // Sent where it is read, yet not found: something between the client and the gateway may have dropped it.
    severity = 'warning';
    explanation = `The gateway found no subscription key on the request${to} for ${label}, although one was sent as ${key.where}: ${STRIPPED}.`;
  } else if (key.kind === 'unknown') {
    explanation =
      severity === 'error'
        ? `The gateway found no subscription key on the request${to} for ${label} and answered 401; whether the client sent one is not known (a record does not list headers).`
        : `${Label} requires a subscription key, so a request${to} without one gets 401, but whether this one carried a key is not known (a record does not list headers), and ${OTHER_401}.`;
  } else if (api) {
    explanation = `${Label} requires a subscription key, and the request${to} sent none, so the gateway answered 401.`;
  } else {
    explanation = `The request${to} sent no subscription key, and the gateway answered 401 for the missing key.`;
  }
  return {
    findings: [{ code: 'subscription-key-missing', severity, title: `Subscription key missing for ${short}`, explanation, evidence, fixes }],
  };
}
