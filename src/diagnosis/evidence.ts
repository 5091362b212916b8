// The facts findings quote. Each builder states one observation the way a platform engineer would read it off a
// terminal, so a finding's evidence can be checked by hand against the log, the response and the portal.
import type { ApiModel, Model, RecordModel } from './input.ts';
import { apiShortName, capped, dateText, displayPath, durationText, operationText, portsText, requestLine } from './text.ts';
import type { Evidence } from './types.ts';

const BODY_EXCERPT = 200;

export function ev(label: string, value: string): Evidence {
  return { label, value };
}

export function recordSummary(record: RecordModel): string {
  const parts: string[] = [];
  if (record.responseCode !== undefined) parts.push(String(record.responseCode));
  if (record.lastError?.reason !== undefined) parts.push(record.lastError.reason);
  const head = parts.join(' ');
  const details: string[] = [];
  if (record.lastError?.source !== undefined) details.push(`lastError.source ${record.lastError.source}`);
  details.push(record.apiId !== undefined ? `apiId ${record.apiId}` : 'no apiId');
  if (record.operationId !== undefined) details.push(`operationId ${record.operationId}`);
  if (record.backendResponseCode !== undefined) details.push(`backendResponseCode ${record.backendResponseCode}`);
  return [head, ...details].filter((p) => p !== '').join(', ');
}

/** What the gateway's log said about this request, or how long it was searched in vain. */
export function logEvidence(model: Model): Evidence | undefined {
  const log = model.log;
  if (!log) return undefined;
  const record = log.record;
  if (record) return ev(record.line !== undefined ? `Gateway log (line ${record.line})` : 'Gateway log', recordSummary(record));
  const searched = log.searchedMs !== undefined ? ` in ${durationText(log.searchedMs)} of log` : '';
  const others = log.requestRecordsSeen !== undefined ? ` (${log.requestRecordsSeen} records of other requests seen)` : '';
  return ev('Gateway log', `no request record found${searched}${others}`);
}

export function responseEvidence(model: Model): Evidence | undefined {
  const r = model.response;
  if (!r) return undefined;
  if (r.kind === 'transport') return ev('Response', `none: ${r.error}${r.message !== undefined ? ` (${r.message})` : ''}`);
  const size = r.body !== undefined ? r.body.length : r.bodySize;
  if (size === 0) return ev('Response', `${r.status} with an empty body`);
  if (r.body === undefined) return ev('Response', String(r.status));
  const body = r.body.length > BODY_EXCERPT ? `${r.body.slice(0, BODY_EXCERPT)}…` : r.body;
  return ev('Response', `${r.status}, body ${body.replace(/\s+/g, ' ').trim()}`);
}

export function requestEvidence(model: Model): Evidence[] {
  const request = model.request;
  if (!request) return [ev('Request', model.requestProblem ?? 'not known')];
  const out = [ev('Request', requestLine(request, model))];
  if (request.viewSource === 'log' && request.view.scheme !== request.sentView.scheme) {
    out.push(ev('Gateway saw', `${request.view.scheme}://${request.view.host}:${request.view.port}${displayPath(request, model)}`));
  }
  return out;
}

/** Everything observed, for a finding that can only report what it saw. */
export function observations(model: Model): Evidence[] {
  const out = [...requestEvidence(model)];
  const request = model.request;
  if (request) {
    out.push(ev('Subscription key sent', request.key ? `yes, as ${request.key.in} ${request.key.name}` : 'no'));
  }
  const response = responseEvidence(model);
  if (response) out.push(response);
  else out.push(ev('Response', 'not captured'));
  out.push(logEvidence(model) ?? ev('Gateway log', 'not searched'));
  const g = model.gateway;
  if (!g) {
    out.push(ev('Gateway configuration', 'not read from Azure'));
    return out;
  }
  if (g.apis) out.push(ev('APIs of the service', capped(g.apis.filter((a) => a.isCurrent).map((a) => `${a.baseName} (/${a.path})`))));
  if (g.assigned) out.push(ev(`APIs assigned to ${g.id ?? 'the gateway'}`, capped([...g.assigned])));
  if (g.ports) out.push(ev('Gateway Service ports', portsText(g.ports)));
  if (g.tokenExpiresAt !== undefined) out.push(ev('Gateway token expires', dateText(g.tokenExpiresAt)));
  if (g.connected !== undefined) out.push(ev('Gateway heartbeat', g.connected ? 'seen' : 'not seen'));
  if (g.localDiagnostics !== undefined) out.push(ev('Local diagnostics (request records)', g.localDiagnostics ? 'on' : 'off'));
  return out;
}

export function operationsEvidence(api: ApiModel): Evidence {
  return ev(`${apiShortName(api)} operations`, api.operations ? capped(api.operations.map(operationText)) : 'not read');
}
