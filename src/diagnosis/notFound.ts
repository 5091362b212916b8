// 404 OperationNotFound: which of APIM's routing constraints kept the request from the API the caller meant. The API
// meant is the one whose path is the longest prefix of the request path, whatever else excludes it: that is what the
// caller typed. Among its revisions and versions the one that would serve the request if its constraints were met is
// the one explained; each constraint it fails becomes a finding, then a missing operation if there is none either.
import { ev, logEvidence, operationsEvidence, requestEvidence } from './evidence.ts';
import type { Analysis } from './analysis.ts';
import type { ApiModel, GatewayModel, Model, OperationModel, RecordModel, RequestModel } from './input.ts';
import { evaluateAll, gatewayChoice, matchOperations, remainderPath, type Evaluation, type Failure } from './routing.ts';
import {
  apiLabel,
  apiPath,
  apiShortName,
  capped,
  displayPath,
  distance,
  gatewayName,
  methodAndPath,
  httpsRetryUrl,
  listText,
  operationText,
  portsText,
  templateDistance,
  urlWithQuery,
  urlWithRevision,
  urlWithVersionSegment,
} from './text.ts';
import type { AddVersionFix, Evidence, Finding, Fix } from './types.ts';

const FAILURE_ORDER: Record<Failure['kind'], number> = { 'not-assigned': 0, scheme: 1, revision: 2, version: 3 };

function eq(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

/** Lower is the more plausible reading of what the caller meant. */
function rankKey(e: Evaluation): number[] {
  const op = e.operation.kind === 'matched' ? 0 : e.operation.kind === 'not-loaded' ? 1 : 2;
  return [op, e.failures.length, e.api.isCurrent ? 0 : 1, -e.consumed];
}

function byRank(a: Evaluation, b: Evaluation): number {
  const ka = rankKey(a);
  const kb = rankKey(b);
  for (let i = 0; i < ka.length; i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return d;
  }
  // Between versions that fit equally, the newest is the one to suggest.
  return -compareVersions(a.api.versioning?.version ?? '', b.api.versioning?.version ?? '');
}

/**
 * An API that failed on its version may still have been meant: if its operations match once the segment after its
 * path is set aside, that segment was the caller's version — a wrong one (Segment), or the right one in the wrong
 * place (Query, Header). A Segment- or Header-versioned API's version sent as a query parameter, or a Segment- or
 * Query-versioned API's version header, is the version in the wrong place too.
 */
function withWrongSegmentSetAside(e: Evaluation, request: RequestModel): Evaluation {
  const versionFailure = e.failures.find((f) => f.kind === 'version');
  const v = e.api.versioning;
  if (!versionFailure || !v || v.version === '') return e;
  const mark = (misplaced: 'segment' | 'query' | 'header' | undefined, got?: string): Failure[] =>
    e.failures.map((f): Failure => (f.kind === 'version' ? { kind: 'version', ...(got !== undefined ? { got } : {}), ...(misplaced ? { misplaced } : {}) } : f));
  if (e.operation.kind !== 'matched' && e.remainder.length > 0) {
    const rest = e.remainder.slice(1);
    const operation = matchOperations(e.api.operations, request.method, rest, request.view.query);
    if (operation.kind === 'matched') {
      const first = e.remainder[0] ?? '';
      if (v.scheme === 'Segment') return { ...e, remainder: rest, failures: mark(undefined, first), operation };
      if (eq(first, v.version)) return { ...e, remainder: rest, failures: mark('segment'), operation };
    }
  }
  if (v.scheme !== 'Query' && eq(request.view.query.get(v.queryName) ?? undefined, v.version)) return { ...e, failures: mark('query') };
  if (v.scheme !== 'Header' && request.headerNames.has(v.headerName.toLowerCase())) return { ...e, failures: mark('header') };
  return e;
}

/** The gateway's own record names the API it chose: whatever our copy of the configuration says, it passed. */
function trustRecord(e: Evaluation, record: RecordModel | undefined): Evaluation {
  if (record?.apiId === undefined || !eq(e.api.baseName, record.apiId)) return e;
  const sameRevision =
    record.apiRevision !== undefined ? eq(e.api.revision, record.apiRevision) : e.revisionInPath !== undefined ? eq(e.revisionInPath, e.api.revision) : e.api.isCurrent;
  return sameRevision ? { ...e, failures: [], versionUnchecked: false } : e;
}

function requestPathText(request: RequestModel, model: Model): string {
  return displayPath(request, model);
}

function withLog(model: Model, evidence: Evidence[]): Evidence[] {
  const log = logEvidence(model);
  return log ? [...evidence, log] : evidence;
}

function notAssigned(model: Model, request: RequestModel, e: Evaluation, g: GatewayModel): Finding {
  const api = e.api;
  const gw = gatewayName(g.id);
  const fixes: Fix[] = g.id !== undefined ? [{ id: 'assign-api', label: `Assign ${apiShortName(api)} to ${g.id}`, apiId: api.baseName, gatewayId: g.id }] : [];
  return {
    code: 'api-not-assigned',
    severity: 'error',
    title: `${apiShortName(api)} is not assigned to the gateway`,
    explanation: `${apiLabel(api)} serves ${apiPath(api)}, but it is not assigned to ${gw}, so the gateway has no route for ${methodAndPath(request, model)}.`,
    evidence: withLog(model, [
      ...requestEvidence(model),
      ev(`${apiShortName(api)} path`, apiPath(api)),
      ev(`APIs assigned to ${g.id ?? 'the gateway'}`, capped([...(g.assigned ?? [])])),
    ]),
    fixes,
  };
}

/** What the gateway did instead of routing to the API meant. */
function outcomeClause(target: Evaluation, choice: Evaluation | undefined): string {
  if (!choice) return 'so the gateway matched no API and answered 404';
  if (!eq(choice.api.baseName, target.api.baseName)) return `so the gateway passed it to ${apiLabel(choice.api)}, which has no operation for it`;
  return `so the gateway did not route it to ${apiShortName(target.api)}`;
}

function schemeNotAllowed(model: Model, request: RequestModel, e: Evaluation, g: GatewayModel, outcome: string): Finding {
  const api = e.api;
  const scheme = request.view.scheme;
  const protocols = api.protocols ?? [];
  const short = apiShortName(api);
  const fixes: Fix[] = [];
  // Resending over HTTPS leaves the API as its owner set it, so it is offered before widening the API to HTTP.
  if (scheme === 'http' && protocols.includes('https')) {
    const retry = httpsRetryUrl(request, g.ports);
    if (retry) fixes.push({ id: 'retry-https', label: `Resend over HTTPS (port ${retry.port})`, url: retry.url });
  }
  if (scheme === 'http' && !protocols.includes('http')) fixes.push({ id: 'allow-http', label: `Allow HTTP on ${short}`, apiId: api.name });
  const accepts = protocols.length === 0 ? 'accepts no protocol at all' : `accepts only ${listText(protocols)}`;
  const evidence = [...requestEvidence(model), ev('Request scheme', scheme), ev(`${short} protocols`, protocols.length > 0 ? protocols.join(', ') : 'none')];
  if (g.ports) evidence.push(ev('Gateway Service ports', portsText(g.ports)));
  return {
    code: 'scheme-not-allowed',
    severity: 'error',
    title: `${scheme.toUpperCase()} not allowed by ${short}`,
    explanation: `${apiLabel(api)} ${accepts}, but the request to ${requestPathText(request, model)} used ${scheme}, ${outcome}.`,
    evidence: withLog(model, evidence),
    fixes,
  };
}

function revisionsText(group: readonly Evaluation[], api: ApiModel): string {
  const revisions = group
    .filter((x) => eq(x.api.baseName, api.baseName) && x.api.revision !== undefined)
    .sort((a, b) => compareVersions(a.api.revision ?? '', b.api.revision ?? ''))
    .map((x) => `${x.api.revision ?? ''}${x.api.isCurrent ? ' (current)' : ''}`);
  return revisions.length > 0 ? listText([...new Set(revisions)]) : 'unknown';
}

function nonCurrentRevision(model: Model, request: RequestModel, e: Evaluation, requested: string | undefined, group: readonly Evaluation[]): Finding {
  const api = e.api;
  const short = apiShortName(api);
  const rev = api.revision ?? '?';
  const op = e.operation.kind === 'matched' ? operationText(e.operation.operation) : undefined;
  const revisions = revisionsText(group, api);
  const exists = requested !== undefined && group.some((x) => eq(x.api.baseName, api.baseName) && eq(x.api.revision, requested));
  let title: string;
  let explanation: string;
  if (requested !== undefined && !exists) {
    title = `Revision ${requested} of ${short} does not exist`;
    explanation = `The request names revision ${requested} of ${short} with ;rev=${requested}, but ${short} has revisions ${revisions}, so the gateway matched no API.`;
  } else if (requested !== undefined) {
    title = `Operation not in revision ${requested}`;
    explanation = `${op ?? 'The operation'} exists in revision ${rev} of ${short}, but the request names revision ${requested} with ;rev=${requested}, so the gateway did not route it to revision ${rev}.`;
  } else {
    title = `Operation only in revision ${rev}`;
    explanation = op
      ? `${op} exists only in revision ${rev} of ${short}, which is not the current revision, and the request does not name it with ;rev=${rev}, so the gateway looked in the current revision only.`
      : `Revision ${rev} of ${short} is not the current revision, and the request does not name it with ;rev=${rev}, so the gateway did not route it there.`;
  }
  const url = urlWithRevision(request, api, api.isCurrent ? undefined : api.revision);
  const fixes: Fix[] =
    url !== undefined && api.revision !== undefined
      ? [{ id: 'use-revision', label: api.isCurrent ? `Resend to the current revision ${api.revision}` : `Resend to revision ${api.revision}`, apiId: api.baseName, revision: api.revision, url }]
      : [];
  return {
    code: 'non-current-revision',
    severity: 'error',
    title,
    explanation,
    evidence: withLog(model, [
      ...requestEvidence(model),
      ev('Revision named in the path', requested !== undefined ? `;rev=${requested}` : 'none'),
      ev(`${short} revisions`, revisions),
      ...(op ? [ev(`Matching operation in revision ${rev}`, op)] : []),
    ]),
    fixes,
  };
}

function versioningText(scheme: 'Segment' | 'Query' | 'Header', api: ApiModel): string {
  const v = api.versioning;
  if (!v) return '';
  return scheme === 'Segment' ? `as a path segment after ${apiPath(api)}` : scheme === 'Query' ? `in the query parameter ${v.queryName}` : `in the header ${v.headerName}`;
}

const PLACE: Record<'segment' | 'query' | 'header', string> = { segment: 'as a path segment', query: 'as a query parameter', header: 'as a header' };

function versionWrongPlace(model: Model, request: RequestModel, e: Evaluation, misplaced: 'segment' | 'query' | 'header'): Finding {
  const api = e.api;
  const short = apiShortName(api);
  const v = e.api.versioning;
  const scheme = v?.scheme ?? 'Segment';
  const version = v?.version ?? '';
  const where = versioningText(scheme, api);
  const fixes: Fix[] = [];
  if (v && version !== '') {
    const base = { id: 'add-version' as const, label: `Resend with version ${version} ${where}`, apiId: api.name, versionSetId: v.setId, version };
    if (scheme === 'Query') fixes.push({ ...base, scheme, queryName: v.queryName, url: urlWithQuery(request, v.queryName, version) });
    else if (scheme === 'Header') fixes.push({ ...base, scheme, headerName: v.headerName, url: request.sent.href });
  }
  return {
    code: 'version-wrong-place',
    severity: 'error',
    title: `Version of ${short} in the wrong place`,
    explanation: `${short} takes its version ${where}, but the request to ${requestPathText(request, model)} gives version ${version} ${PLACE[misplaced]}, so the gateway did not route it to that version.`,
    evidence: withLog(model, [
      ...requestEvidence(model),
      ev(`${short} versioning`, scheme === 'Segment' ? 'Segment' : scheme === 'Query' ? `Query ${v?.queryName ?? ''}` : `Header ${v?.headerName ?? ''}`),
      ev('Version in the request', `${version}, ${PLACE[misplaced]}`),
    ]),
    fixes,
  };
}

function versionMissing(model: Model, request: RequestModel, e: Evaluation, got: string | undefined, group: readonly Evaluation[]): Finding {
  const api = e.api;
  const short = apiShortName(api);
  const v = api.versioning;
  const scheme = v?.scheme ?? 'Segment';
  const versions = [...new Set(group.filter((x) => x.api.versioning?.setId === v?.setId && (x.api.versioning?.version ?? '') !== '').map((x) => x.api.versioning?.version ?? ''))].sort(
    compareVersions,
  );
  const where = versioningText(scheme, api);
  const sent =
    got !== undefined
      ? scheme === 'Query'
        ? `sent ${v?.queryName ?? 'api-version'}=${got}`
        : `has ${got} in its place`
      : scheme === 'Header' && v && request.headerNames.has(v.headerName.toLowerCase())
        ? `sent the header ${v.headerName} with another version`
        : 'names no version';
  const version = v?.version ?? '';
  const explanation =
    e.operation.kind === 'matched' && version !== ''
      ? `${operationText(e.operation.operation)} is served by version ${version} of ${short}, which takes its version ${where}, but the request to ${requestPathText(request, model)} ${sent}, so the gateway did not route it to that version.`
      : `${short} is versioned ${where} (versions ${versions.length > 0 ? listText(versions) : 'unknown'}), but the request to ${requestPathText(request, model)} ${sent}, so the gateway matched no version of it.`;
  const fixes: Fix[] = [];
  if (v && version !== '') {
    const base = { id: 'add-version' as const, label: `Resend with version ${version}`, apiId: api.name, versionSetId: v.setId, version };
    let fix: AddVersionFix | undefined;
    if (scheme === 'Segment') {
      const url = urlWithVersionSegment(request, api, version);
      if (url !== undefined) fix = { ...base, scheme, url };
    } else if (scheme === 'Query') {
      fix = { ...base, scheme, queryName: v.queryName, url: urlWithQuery(request, v.queryName, version) };
    } else {
      fix = { ...base, scheme, headerName: v.headerName, url: request.sent.href };
    }
    if (fix) fixes.push(fix);
  }
  return {
    code: 'version-missing',
    severity: 'error',
    title: got !== undefined ? `Version ${got} of ${short} unknown` : version !== '' ? `Version ${version} of ${short} not named` : `Version of ${short} not accepted`,
    explanation,
    evidence: withLog(model, [
      ...requestEvidence(model),
      ev(`${short} versioning`, scheme === 'Segment' ? 'Segment' : scheme === 'Query' ? `Query ${v?.queryName ?? ''}` : `Header ${v?.headerName ?? ''}`),
      ev('Versions in the set', versions.length > 0 ? versions.join(', ') : 'none known'),
    ]),
    fixes,
  };
}

function noOperation(model: Model, request: RequestModel, e: Evaluation): Finding {
  const api = e.api;
  const short = apiShortName(api);
  const label = apiLabel(api);
  const method = request.method;
  const rest = remainderPath(e.remainder);
  const asked = method !== undefined ? `${method} ${rest}` : rest;
  const operations = api.operations ?? [];
  const misses = e.operation.kind === 'none' ? e.operation.misses : [];
  let explanation: string;
  if (operations.length === 0) {
    explanation = `${label} has no operations, so no request to ${apiPath(api)} can match one.`;
  } else {
    const otherMethods = [...new Set(misses.filter((m) => m.pathOk && m.missingQuery.length === 0 && !m.methodOk).map((m) => m.operation.method))];
    const needsQuery = misses.find((m) => m.methodOk && m.pathOk && m.missingQuery.length > 0);
    if (otherMethods.length > 0 && method !== undefined) {
      explanation = `${label} has no ${method} operation for ${rest}; that path takes only ${listText(otherMethods, 'or')}.`;
    } else if (needsQuery) {
      const names = needsQuery.missingQuery;
      explanation = `${label} matches ${asked} only with ${operationText(needsQuery.operation)}, which needs the query parameter${names.length > 1 ? 's' : ''} ${listText(names)} that the request does not send as required.`;
    } else {
      const far = (o: OperationModel): number => templateDistance(e.remainder, o.urlTemplate);
      const closest = [...operations].sort((a, b) => Number(a.method !== method) - Number(b.method !== method) || far(a) - far(b))[0];
      const what = method !== undefined ? `matching ${asked}` : `for ${rest} with any method`;
      explanation = `${label} has no operation ${what}${closest ? `; the closest is ${operationText(closest)}` : ''}.`;
    }
  }
  return {
    code: 'no-operation-for-method',
    severity: 'error',
    title: `No ${asked} in ${short}`,
    explanation,
    evidence: withLog(model, [...requestEvidence(model), ev(`Path after ${apiPath(api)}`, asked), operationsEvidence(api)]),
    fixes: [],
  };
}

function noApiForPath(model: Model, request: RequestModel, apis: readonly ApiModel[]): Finding | string {
  const unread = model.gateway?.unreadApis ?? 0;
  if (unread > 0) {
    const known = apis.filter((a) => a.isCurrent).length;
    return `no API whose path is known (${known}) takes ${request.view.path}, but the name or path of ${unread} API${unread > 1 ? 's' : ''} of the service could not be read`;
  }
  const path = requestPathText(request, model);
  const current = apis.filter((a) => a.isCurrent);
  let explanation: string;
  if (current.length === 0) {
    explanation = `The APIM service has no APIs, so the gateway cannot match ${path} to any.`;
  } else {
    let closest: { api: ApiModel; d: number } | undefined;
    for (const api of current) {
      if (api.pathSegments.length === 0) continue;
      const head = request.view.segments.slice(0, api.pathSegments.length).join('/');
      const d = distance(head, api.path);
      if (d <= Math.max(2, Math.floor(api.path.length / 3)) && (!closest || d < closest.d)) closest = { api, d };
    }
    const hint = closest ? `; the closest is ${apiPath(closest.api)} of ${apiLabel(closest.api)}` : '';
    explanation = `No API of the service has a path that ${request.view.path} starts with${hint}, so the gateway matched no API.`;
  }
  return {
    code: 'no-api-for-path',
    severity: 'error',
    title: `No API for ${request.view.path}`,
    explanation,
    evidence: withLog(model, [...requestEvidence(model), ev('API paths', capped(current.map((a) => `${apiPath(a)} (${a.baseName})`)))]),
    fixes: [],
  };
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  // `*.contoso.com` stands for exactly one more label.
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && host.split('.').length === pattern.split('.').length;
}

function hostnameMismatch(model: Model, request: RequestModel, e: Evaluation, g: GatewayModel): Finding | undefined {
  const hostnames = g.hostnames;
  if (!hostnames || hostnames.length === 0 || e.operation.kind !== 'matched') return undefined;
  if (hostnames.some((h) => hostMatches(h, request.hostAsked))) return undefined;
  const gw = gatewayName(g.id);
  return {
    code: 'hostname-mismatch',
    severity: 'warning',
    title: `Host ${request.hostAsked} not configured on the gateway`,
    explanation: `The request asked for host ${request.hostAsked}, which is not among the hostnames of ${gw} (${listText(hostnames)}), while its path matches ${operationText(e.operation.operation)} of ${apiLabel(e.api)}; a proxy that rewrote the Host header, or a configuration the gateway has not picked up yet, is as likely.`,
    evidence: withLog(model, [...requestEvidence(model), ev('Host asked for', request.hostAsked), ev(`Hostnames of ${g.id ?? 'the gateway'}`, hostnames.join(', '))]),
    fixes: [],
  };
}

export function analyseNotFound(model: Model): Analysis {
  const request = model.request;
  if (!request) return { findings: [], note: model.requestProblem };
  const g = model.gateway;
  if (!g?.apis) return { findings: [], note: 'the APIs of the APIM service were not read to match the request against' };
  const record = model.log?.record;
  const evaluations = evaluateAll(g.apis, { view: request.view, method: request.method, headerNames: request.headerNames, assigned: g.assigned }).map((e) =>
    trustRecord(withWrongSegmentSetAside(e, request), record),
  );
  if (evaluations.length === 0) {
    const none = noApiForPath(model, request, g.apis);
    return typeof none === 'string' ? { findings: [], note: none } : { findings: [none] };
  }

  const longest = Math.max(...evaluations.map((e) => e.suffixLength));
  const group = evaluations.filter((e) => e.suffixLength === longest).sort(byRank);
  const target = group[0];
  if (!target) return { findings: [] };

  const choice = gatewayChoice(evaluations);
  const findings: Finding[] = [];
  for (const failure of [...target.failures].sort((a, b) => FAILURE_ORDER[a.kind] - FAILURE_ORDER[b.kind])) {
    if (failure.kind === 'not-assigned') findings.push(notAssigned(model, request, target, g));
    else if (failure.kind === 'scheme') findings.push(schemeNotAllowed(model, request, target, g, outcomeClause(target, choice)));
    else if (failure.kind === 'revision') findings.push(nonCurrentRevision(model, request, target, failure.requested, group));
    else if (failure.misplaced !== undefined) findings.push(versionWrongPlace(model, request, target, failure.misplaced));
    else findings.push(versionMissing(model, request, target, failure.got, group));
  }
  // An API whose version set was not read was matched as if unversioned: its version segment may be what no
  // operation matched, so a missing operation is not claimed.
  if (target.operation.kind === 'none' && !target.api.versioningUnknown) findings.push(noOperation(model, request, target));

  const first = findings[0];
  if (first && choice && choice.api !== target.api) {
    first.evidence.push(ev('The gateway routes it instead to', `${apiLabel(choice.api)} at ${apiPath(choice.api)}`));
  }
  if (findings.length > 0) return { findings };

  if (target.operation.kind === 'not-loaded') {
    return { findings: [], note: `the operations of ${apiLabel(target.api)} were not read (or not all of them could be)` };
  }
  if (target.operation.kind === 'none') {
    return { findings: [], note: `${apiLabel(target.api)} is in a version set that was not read, so its operations cannot be matched` };
  }
  if (target.revisionInPath !== undefined && !target.api.isCurrent) return { findings: [revisionNotServed(model, request, target)] };
  const hostname = hostnameMismatch(model, request, target, g);
  if (hostname) return { findings: [hostname] };
  const op = target.operation.kind === 'matched' ? ` to operation ${operationText(target.operation.operation)}` : '';
  return {
    findings: [],
    note: `the configuration read from Azure routes it${op} of ${apiLabel(target.api)}, which does not explain the 404`,
    routed: { api: target.api.baseName, ...(target.operation.kind === 'matched' ? { operation: operationText(target.operation.operation) } : {}) },
  };
}

/**
 * The request names a non-current revision that exists and has the operation, yet got 404. Reported for the
 * self-hosted gateway while the managed gateway serves it (gateway-facts.md): likely, not certain.
 */
function revisionNotServed(model: Model, request: RequestModel, e: Evaluation): Finding {
  const api = e.api;
  const short = apiShortName(api);
  const rev = api.revision ?? e.revisionInPath ?? '?';
  return {
    code: 'revision-not-served',
    severity: 'warning',
    title: `Revision ${rev} of ${short} likely not served by the self-hosted gateway`,
    explanation: `The request names revision ${rev} of ${short} with ;rev=${rev}, which exists and matches ${methodAndPath(request, model)}, yet the gateway answered 404: a non-current revision requested through a self-hosted gateway has been reported as not served there while the managed gateway serves it; a configuration the gateway has not picked up yet is as likely.`,
    evidence: withLog(model, [...requestEvidence(model), ev('Revision named in the path', `;rev=${rev}`), ev(`Revision ${rev} of ${short}`, 'exists, not current')]),
    fixes: [],
  };
}
