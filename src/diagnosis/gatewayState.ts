// Findings about the gateway rather than the request: its token and its request logging. A gateway whose token has
// expired keeps running and answers every request with an empty 200 and no request record (issue #287 of
// Azure/api-management-self-hosted-gateway) once it has no configuration to serve; while it still has one it fails
// static and serves it, so an expired token is the cause only when a request shows that signature.
import type { Analysis } from './analysis.ts';
import { ev, logEvidence, requestEvidence, responseEvidence } from './evidence.ts';
import { expiryDistance } from './expiry.ts';
import type { Model } from './input.ts';
import { dateText, gatewayName, methodAndPath } from './text.ts';
import type { Evidence, Finding, Fix } from './types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far ahead an expiry is worth a notice: tokens live at most 30 days and are renewed by hand. */
export const TOKEN_WARNING_MS = 7 * DAY_MS;

/** A 2xx with no body for a method that should have one, and no record of the request in the gateway's log. */
export function isEmptyOkWithoutRecord(model: Model): boolean {
  const r = model.response;
  if (r?.kind !== 'http' || r.status < 200 || r.status > 299) return false;
  if (model.request?.method === 'HEAD' || model.log?.record) return false;
  if (r.body !== undefined) return r.body.length === 0;
  return r.bodySize === 0 || r.headers.get('content-length') === '0';
}

function tokenFixes(model: Model): Fix[] {
  const id = model.gateway?.id;
  return id !== undefined ? [{ id: 'open-token-wizard', label: `Renew the token of ${id}`, gatewayId: id }] : [];
}

function heartbeatEvidence(model: Model): Evidence[] {
  const connected = model.gateway?.connected;
  return connected === undefined ? [] : [ev('Gateway heartbeat', connected ? 'seen' : 'not seen')];
}

/** When the request was made: the token's state then is what mattered. */
function requestTime(model: Model): number {
  return model.request?.sentAt ?? model.now;
}

export function analyseEmptyOk(model: Model): Analysis {
  const expires = model.gateway?.tokenExpiresAt;
  const at = requestTime(model);
  if (expires === undefined) {
    return { findings: [], note: "an empty answer without a request record is what a gateway without configuration sends, but the gateway token's expiry is not known" };
  }
  if (expires > at) {
    return { findings: [], note: `the gateway token was valid until ${dateText(expires)}, which rules out an expired token` };
  }
  const gw = gatewayName(model.gateway?.id);
  const status = model.response?.kind === 'http' ? model.response.status : 200;
  const what = model.request ? methodAndPath(model.request, model) : 'the request';
  const log = logEvidence(model);
  const resp = responseEvidence(model);
  // Without searching the log, "no record" is not known: a record would show a gateway that does have configuration.
  const searched = model.log !== undefined;
  return {
    findings: [
      {
        code: 'token-expired',
        severity: searched ? 'error' : 'warning',
        title: 'Gateway token expired',
        explanation: searched
          ? `The token of ${gw} expired on ${dateText(expires)}, and a gateway without a valid token answers every request with an empty ${status} and logs nothing, which is what ${what} got.`
          : `The token of ${gw} expired on ${dateText(expires)}, and a gateway without a valid token answers every request with an empty ${status}, which is what ${what} got; the gateway's log was not searched, so a backend that answers empty is as likely.`,
        evidence: [
          ...requestEvidence(model),
          ...(resp ? [resp] : []),
          ...(log ? [log] : [ev('Gateway log', 'not searched')]),
          ev('Gateway token expires', dateText(expires)),
          ...heartbeatEvidence(model),
        ],
        fixes: tokenFixes(model),
      },
    ],
  };
}

/** The token has expired or expires within a week, told apart from the failing case above. */
export function tokenNotice(model: Model): Finding | undefined {
  const expires = model.gateway?.tokenExpiresAt;
  if (expires === undefined) return undefined;
  const left = expires - model.now;
  if (left > TOKEN_WARNING_MS) return undefined;
  const gw = gatewayName(model.gateway?.id);
  const restart = 'a restarted gateway answers every request with an empty 200 until it gets a new token';
  let title: string;
  let explanation: string;
  if (left <= 0) {
    title = 'Gateway token has expired';
    explanation = `The token of ${gw} expired on ${dateText(expires)}; a running gateway keeps serving the configuration it already has, but ${restart}.`;
  } else {
    const inText = expiryDistance(expires, model.now).text;
    title = `Gateway token expires ${inText}`;
    explanation = `The token of ${gw} expires on ${dateText(expires)} (${inText}), after which ${restart}.`;
  }
  return {
    // A token that has not expired yet is an expiring notice, never `token-expired`.
    code: left <= 0 ? 'token-expired' : 'token-expiring',
    severity: 'info',
    title,
    explanation,
    evidence: [ev('Gateway token expires', dateText(expires)), ev('Now', dateText(model.now)), ...heartbeatEvidence(model)],
    fixes: tokenFixes(model),
  };
}

/**
 * No request records at all, and the service is known not to write them. When nothing else explains the failure this
 * leads (a warning): without a record the gateway's reason cannot be read, which is the first thing to change.
 */
export function loggingNotice(model: Model, leading = false): Finding | undefined {
  const log = model.log;
  if (model.gateway?.localDiagnostics !== false || !log || log.record || (log.requestRecordsSeen ?? 0) > 0) return undefined;
  const gw = gatewayName(model.gateway.id);
  const logEv = logEvidence(model);
  const base = `Local diagnostics are off for the APIM service, so ${gw} writes no request records and none could be matched to this request`;
  return {
    code: 'request-logging-off',
    severity: leading ? 'warning' : 'info',
    title: 'Request logging is off',
    explanation: leading
      ? `${base}; the gateway's reason for the failure is in such a record, so turn on local diagnostics (at global or API scope) and send the request again.`
      : `${base}.`,
    evidence: [ev('Local diagnostics (request records)', 'off'), ...(logEv ? [logEv] : [])],
    fixes: [],
  };
}
