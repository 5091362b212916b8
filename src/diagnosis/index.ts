// diagnose(): why a request through a self-hosted gateway failed, from what was sent, what came back, the gateway's
// request record and the configuration read from ARM. Findings come most likely first; a cause is only named when the
// evidence for it holds, otherwise a single `unknown` finding reports what was observed. See README.md.
import { analyseUnauthorized } from './access.ts';
import type { Analysis } from './analysis.ts';
import { analyseServerError } from './backend.ts';
import { configurationChanged, notConfigured } from './configuration.ts';
import { observations } from './evidence.ts';
import { analyseEmptyOk, isEmptyOkWithoutRecord, loggingNotice, tokenNotice } from './gatewayState.ts';
import { readInput, type Model } from './input.ts';
import { analyseNotFound } from './notFound.ts';
import { methodAndPath, portsText } from './text.ts';
import type { DiagnosisInput, Finding } from './types.ts';

export type * from './types.ts';
export { TOKEN_WARNING_MS } from './gatewayState.ts';

function status(model: Model): number | undefined {
  if (model.response?.kind === 'http') return model.response.status;
  return model.response ? undefined : model.log?.record?.responseCode;
}

/** Nothing shows the request worked: no success status, or the empty-200 signature of an unconfigured gateway. */
function failed(model: Model): boolean {
  const s = status(model);
  if (model.response?.kind === 'transport' || s === undefined) return true;
  if (s >= 400 || model.log?.record?.isRequestSuccess === false) return true;
  return isEmptyOkWithoutRecord(model);
}

function transportNote(model: Model): string {
  const r = model.response;
  const request = model.request;
  const ports = model.gateway?.ports;
  if (r?.kind !== 'transport' || !request) return 'no HTTP response came back';
  if (!ports) return `no HTTP response came back (${r.error}) and the gateway Service's ports were not read`;
  const port = request.sentView.port;
  const listed = ports.find((p) => p.port === port);
  if (!listed) return `no HTTP response came back (${r.error}), and port ${port} is not one of the gateway Service's ports (${portsText(ports)})`;
  if (listed.scheme !== request.sentView.scheme) {
    return `no HTTP response came back (${r.error}), and the request used ${request.sentView.scheme} on port ${port}, which the gateway Service serves as ${listed.scheme}`;
  }
  return `no HTTP response came back (${r.error}) although port ${port} is the gateway Service's ${listed.scheme} port`;
}

function analyse(model: Model): Analysis {
  if (model.response?.kind === 'transport') return { findings: [], note: transportNote(model) };
  const s = status(model);
  if (s === undefined) return { findings: [], note: 'neither a response nor a gateway record of the request was captured' };
  const record = model.log?.record;
  if (s === 404) {
    const reason = record?.lastError?.reason;
    if (record && reason?.toLowerCase() !== 'operationnotfound') {
      if (record.backendResponseCode !== undefined) return { findings: [], note: `the gateway's record shows the backend itself answered ${record.backendResponseCode}` };
      if (reason !== undefined) return { findings: [], note: `the gateway's record gives the reason ${reason}, which is not a routing failure` };
    }
    return analyseNotFound(model);
  }
  if (s === 401) return analyseUnauthorized(model);
  if (s >= 500) return analyseServerError(model, s);
  if (isEmptyOkWithoutRecord(model)) return analyseEmptyOk(model);
  return { findings: [] };
}

function unknownFinding(model: Model, note: string | undefined): Finding {
  const request = model.request;
  const what = request ? methodAndPath(request, model) : 'The request';
  const r = model.response;
  const s = status(model);
  const reason = model.log?.record?.lastError?.reason;
  let outcome: string;
  if (r?.kind === 'transport') outcome = `${what} failed`;
  else if (s === undefined) outcome = `Nothing came back for ${what}`;
  else if (isEmptyOkWithoutRecord(model)) outcome = `${what} got an empty ${s}`;
  else outcome = `${what} got ${s}${reason !== undefined ? ` ${reason}` : ''}`;
  return {
    code: 'unknown',
    severity: 'warning',
    title: 'Cause not determined',
    explanation: `${outcome}, and ${note ?? 'none of the known causes fits what was observed'}, so no cause is claimed.`,
    evidence: observations(model),
    fixes: [],
  };
}

export function diagnose(input: DiagnosisInput): Finding[] {
  const model = readInput(input);
  // A gateway without configuration fails every request whatever the configuration in Azure says: that leads alone.
  const unconfigured = failed(model) ? notConfigured(model, status(model), isEmptyOkWithoutRecord(model)) : undefined;
  const analysis = unconfigured ? { findings: [unconfigured] } : analyse(model);
  const { note } = analysis;
  const causes = [...analysis.findings];
  if (causes.length === 0 && analysis.routed) {
    const changed = configurationChanged(model, analysis.routed);
    if (changed) causes.push(changed);
  }
  const notices: Finding[] = [];
  const token = tokenNotice(model);
  if (token && !causes.some((f) => f.code === 'token-expired')) notices.push(token);
  if (causes.length > 0 || !failed(model)) {
    const logging = loggingNotice(model);
    if (logging) notices.push(logging);
    return [...causes, ...notices];
  }
  // Nothing explains the failure: when the reason is missing because request logging is off, that leads.
  const leading = loggingNotice(model, true);
  if (leading) return [leading, ...notices];
  return [unknownFinding(model, note), ...notices];
}
