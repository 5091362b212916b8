// A test request's outcome shaped for the Test Request view (contract: src/contract/testRequest.ts): every text that
// can carry the subscription key or a secret is masked, fixes are buttons when the fix registry has their kind. Pure:
// no `vscode` (the sandbox tests shape outcomes too).
import { displayFields } from '../gatewayLogs/displayFields.ts';
import type { TestRequestFindingView, TestRequestResult } from '../contract/testRequest.ts';
import { isActionableFix } from '../requests/fixes/index.ts';
import type { RunOutcome } from '../requests/run.ts';
import type { TransportKind } from '../requests/types.ts';

const TRANSPORT_LABELS: Readonly<Record<TransportKind, string>> = {
  'service-proxy': 'Kubernetes API server service proxy',
  'curl-pod': 'curl pod (curlimages/curl)',
  direct: 'direct URL',
};

export function testRequestResult(outcome: RunOutcome): TestRequestResult {
  const { mask, transport: sent } = outcome;
  const r = sent.response;
  const record = outcome.record;
  const req = record?.entry.request;
  return {
    method: outcome.request.method,
    url: mask(outcome.request.url),
    transport: TRANSPORT_LABELS[outcome.transportKind],
    description: mask(sent.description),
    keySent: outcome.request.keySent,
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
            ...(outcome.lookup.recordLine !== undefined ? { line: outcome.lookup.recordLine } : {}),
            ...(req?.timeGenerated?.raw ? { timeGenerated: req.timeGenerated.raw } : {}),
            fields: displayFields(record.entry.fields)
              .filter(([k]) => k !== 'lastError' && k !== 'errors')
              .map(([k, v]) => [k, mask(v)] as const),
            ...(req?.lastError ? { lastError: mask(JSON.stringify(req.lastError, null, 2)) } : {}),
          },
        }
      : {}),
    recordSearch: { searchedMs: outcome.lookup.searchedMs, seen: outcome.lookup.requestRecordsSeen ?? 0 },
    findings: outcome.findings.map(
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
}
