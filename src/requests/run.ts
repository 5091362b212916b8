// One test request end to end, without `vscode`: send through the chosen transport, find the gateway's record of it,
// diagnose with the gateway's facts. The view shapes the outcome (src/panels/testRequestResult.ts), key masked.
import { diagnose } from '../diagnosis/index.ts';
import type { Finding, GatewayFacts, LogLookup } from '../diagnosis/types.ts';
import type { KubeContextClient } from '../kubernetes/client.ts';
import { redact } from '../util/redact.ts';
import type { CandidateRecord } from './correlate.ts';
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

/** One test request's outcome, unshaped: the view shapes it (src/panels/testRequestResult.ts). */
export interface RunOutcome {
  readonly request: { readonly method: string; /** As actually sent. */ readonly url: string; readonly keySent: boolean };
  readonly transportKind: TransportKind;
  readonly transport: TransportResult;
  readonly findings: Finding[];
  readonly lookup: LogLookup;
  /** The gateway's record of the request, when found. */
  readonly record?: CandidateRecord;
  /** Masks the subscription key (and anything redact() knows) in text that leaves for a view. */
  mask(text: string): string;
}


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
  const key = request.subscriptionKey;
  return {
    request: { method: request.method, url: sent.url ?? request.url, keySent: key !== undefined },
    transportKind: transport.kind,
    transport: sent,
    findings,
    lookup: found.lookup,
    ...(found.match ? { record: found.match.record } : {}),
    // The key is masked in whatever text the view shows (a gateway or curl may echo it); it is not kept as data here.
    mask: (text) => redact(key ? text.split(key).join('***') : text),
  };
}
