// One test request end to end, without `vscode`: send through the chosen transport, find the gateway's record of it,
// diagnose with the ARM facts, and shape it all for the Test Request view (key never included).
import type { TestRequestFindingView, TestRequestResult } from '../contract/testRequest.ts';
import { diagnose } from '../diagnosis/index.ts';
import type { Finding, GatewayFacts, LogLookup } from '../diagnosis/types.ts';
import type { KubeContextClient } from '../kubernetes/client.ts';
import { redact } from '../util/redact.ts';
import { isActionableFix } from './fixes/index.ts';
import { findRequestRecord, readLocalDiagnostics } from './logLookup.ts';
import { SUBSCRIPTION_KEY_HEADER, type BuiltRequest, type RequestTransport, type TransportKind, type TransportResult } from './types.ts';

export interface RunContext {
  client: KubeContextClient;
  /** Where the gateway's pods are, for the record. */
  namespace: string;
  labelSelector: string;
  /** May still be loading: read alongside the send and the record search, awaited only for the diagnosis. */
  facts: GatewayFacts | undefined | Promise<GatewayFacts | undefined>;
  timeoutMs: number;
  recordWaitMs?: number;
  /** Whether the gateway writes request records (its start-up log); asked only when no record showed up. */
  localDiagnostics?: (signal: AbortSignal) => Promise<boolean | undefined>;
  /** Steps as they happen, for the view's status line. */
  progress?: (text: string) => void;
}

export interface RunOutcome {
  result: TestRequestResult;
  findings: Finding[];
  transport: TransportResult;
  lookup: LogLookup;
}

const TRANSPORT_LABELS: Readonly<Record<TransportKind, string>> = {
  'service-proxy': 'Kubernetes API server service proxy',
  'curl-pod': 'curl pod (curlimages/curl)',
  direct: 'direct URL',
};


export async function runTestRequest(ctx: RunContext, transport: RequestTransport, request: BuiltRequest, signal: AbortSignal): Promise<RunOutcome> {
  const sent = await transport.send(request, { timeoutMs: ctx.timeoutMs, signal, ...(ctx.progress ? { progress: ctx.progress } : {}) });
  ctx.progress?.('Looking for the gateway’s record of the request in the logs of every replica…');
  const status = sent.response.kind === 'http' ? sent.response.status : undefined;
  const found = await findRequestRecord(
    ctx.client,
    ctx.namespace,
    ctx.labelSelector,
    { method: request.method, pathAndQuery: request.pathAndQuery, ...(status !== undefined ? { status } : {}), sentAt: sent.sentAt, receivedAt: sent.receivedAt },
    { signal, ...(ctx.recordWaitMs !== undefined ? { waitMs: ctx.recordWaitMs } : {}) },
  );
  const headerNames = [...request.headers.map(([n]) => n), ...(request.subscriptionKey ? [SUBSCRIPTION_KEY_HEADER] : [])];
  let facts = await ctx.facts;
  // No request record at all, from any request: ask the pods' start-up logs whether they write any (ARM does not say).
  if (facts && facts.localDiagnostics === undefined && !found.match && (found.lookup.requestRecordsSeen ?? 0) === 0) {
    const localDiagnostics = await (ctx.localDiagnostics ?? ((s: AbortSignal) => readLocalDiagnostics(ctx.client, ctx.namespace, ctx.labelSelector, s)))(signal).catch(() => undefined);
    if (localDiagnostics !== undefined) facts = { ...facts, localDiagnostics };
  }
  const findings = diagnose({
    request: {
      method: request.method,
      url: sent.url ?? request.url,
      headerNames,
      ...(request.subscriptionKey ? { subscriptionKey: { in: 'header' as const, name: SUBSCRIPTION_KEY_HEADER } } : {}),
      bodySize: request.body?.length ?? 0,
      sentAt: new Date(sent.sentAt).toISOString(),
    },
    response: sent.response,
    log: found.lookup,
    ...(facts ? { gateway: facts } : {}),
  });
  const mask = (s: string): string => redact(request.subscriptionKey ? s.split(request.subscriptionKey).join('***') : s);
  const r = sent.response;
  const record = found.match?.record;
  const req = record?.entry.request;
  const result: TestRequestResult = {
    method: request.method,
    url: mask(sent.url ?? request.url),
    transport: TRANSPORT_LABELS[transport.kind],
    description: mask(sent.description),
    keySent: request.subscriptionKey !== undefined,
    sentAt: new Date(sent.sentAt).toISOString(),
    ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}),
    response:
      r.kind === 'http'
        ? {
            kind: 'http',
            status: r.status,
            headers: Object.entries(r.headers ?? {}).map(([k, v]) => [k, mask(v)] as const),
            body: mask(r.body ?? ''),
            bodySize: r.bodySize ?? (r.body ?? '').length,
            ...(r.headers?.['content-type'] ? { contentType: r.headers['content-type'] } : {}),
          }
        : { kind: 'transport', error: r.error, message: mask(r.message ?? '') },
    ...(record
      ? {
          record: {
            ...(record.pod ? { pod: record.pod } : {}),
            line: record.entry.line,
            ...(req?.timeGenerated?.raw ? { timeGenerated: req.timeGenerated.raw } : {}),
            fields: Object.entries(record.entry.fields)
              .filter(([k]) => k !== 'lastError' && k !== 'errors')
              .map(([k, v]) => [k, mask(v)] as const),
            ...(req?.lastError ? { lastError: mask(JSON.stringify(req.lastError, null, 2)) } : {}),
          },
        }
      : {}),
    recordSearch: { searchedMs: found.lookup.searchedMs, seen: found.lookup.requestRecordsSeen ?? 0 },
    findings: findings.map(
      (f): TestRequestFindingView => ({
        code: f.code,
        severity: f.severity,
        title: f.title,
        explanation: mask(f.explanation),
        evidence: f.evidence.map((e) => ({ label: e.label, value: mask(e.value) })),
        fixes: f.fixes.map((x) => ({ id: x.id, label: x.label, actionable: isActionableFix(x.id) })),
      }),
    ),
  };
  return { result, findings, transport: sent, lookup: found.lookup };
}
