// 5xx: only the gateway's own record can tell a backend it could not reach from a failing policy or a backend's own
// 500, so without a record nothing is claimed.
import { apiOfRequest } from './access.ts';
import type { Analysis } from './analysis.ts';
import { ev, logEvidence, requestEvidence, responseEvidence } from './evidence.ts';
import type { Model } from './input.ts';
import { apiLabel, apiShortName } from './text.ts';
import type { Evidence } from './types.ts';

// .NET socket and HttpClient wording the gateway passes through in lastError.message.
const CONNECTION_WORDS = /connect|refused|timed? ?out|not known|unreachable|resolve|reset|no route/i;

export function analyseServerError(model: Model, status: number): Analysis {
  const record = model.log?.record;
  if (!record) return { findings: [], note: `without the gateway's request record a ${status} cannot be told apart from a policy error or the backend's own answer` };
  const le = record.lastError;
  const reason = le?.reason;
  const isConnection =
    reason?.toLowerCase() === 'backendconnectionfailure' || (le?.source?.toLowerCase() === 'request-forwarder' && CONNECTION_WORDS.test(`${reason ?? ''} ${le.message ?? ''}`));
  if (!isConnection) {
    const note =
      reason !== undefined
        ? `the gateway's record gives ${reason} from ${le?.source ?? 'an unnamed source'}, which is not one of the known causes`
        : record.backendResponseCode !== undefined
          ? `the gateway's record shows the backend itself answered ${record.backendResponseCode}`
          : "the gateway's record carries no lastError";
    return { findings: [], note };
  }
  const api = apiOfRequest(model);
  const url = record.backendUrl ?? api?.serviceUrl;
  const whose = api ? `the backend of ${apiLabel(api)}` : record.apiId !== undefined ? `the backend of ${record.apiId}` : 'the backend';
  const message = le?.message !== undefined ? `, reporting "${le.message}"` : '';
  const evidence: Evidence[] = [...requestEvidence(model)];
  if (url !== undefined) evidence.push(ev('Backend URL', url));
  if (api?.serviceUrl !== undefined && api.serviceUrl !== url) evidence.push(ev(`${apiShortName(api)} service URL`, api.serviceUrl));
  const resp = responseEvidence(model);
  if (resp) evidence.push(resp);
  const log = logEvidence(model);
  if (log) evidence.push(log);
  if (le?.message !== undefined) evidence.push(ev('lastError.message', le.message));
  return {
    findings: [
      {
        code: 'backend-unreachable',
        severity: 'error',
        title: `Backend of ${api ? apiShortName(api) : record.apiId ?? 'the API'} unreachable`,
        explanation: `The gateway could not reach ${whose}${url !== undefined ? ` at ${url}` : ''}${message}, so it answered ${status}.`,
        evidence,
        fixes: [],
      },
    ],
  };
}
