// Finds the gateway's record of a sent request in the logs of every replica: one-shot reads of each pod's log since
// shortly before the send, repeated until the record shows up or the wait is over (the gateway writes the record
// after the response, and the kubelet's log can lag a little). No `vscode` import.
import { parseGatewayLog } from '../gatewayLogs/parser.ts';
import { localDiagnosticsFromStartup } from '../gatewayLogs/startup.ts';
import type { LogLookup } from '../diagnosis/types.ts';
import type { KubeContextClient } from '../kubernetes/client.ts';
import { gatewayContainer } from '../kubernetes/logFollow.ts';
import { listPods, readPodLog, readPodLogText } from '../kubernetes/resources.ts';
import { correlate, type CandidateRecord, type Correlated, type CorrelationTarget } from './correlate.ts';
import { sleep } from './curlPod.ts';

export interface LookupOptions {
  /** How long to keep looking. Default 6 s. */
  waitMs?: number;
  pollMs?: number;
  signal: AbortSignal;
}

export interface LookupResult {
  lookup: LogLookup;
  match?: Correlated;
  /** Pods read on the last round. */
  pods: string[];
}

/** The gateway's pods (by the Deployment's selector) read with `sinceTime` = send time − 2 s, matched with `correlate`. */
export async function findRequestRecord(client: KubeContextClient, namespace: string, labelSelector: string, target: CorrelationTarget, options: LookupOptions): Promise<LookupResult> {
  const started = Date.now();
  const waitMs = options.waitMs ?? 6000;
  const sinceTime = new Date(Math.floor((target.sentAt - 2000) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (;;) {
    const pods = (await listPods(client, namespace, labelSelector, options.signal)).filter((p) => p.metadata?.name);
    const candidates: CandidateRecord[] = [];
    const windows = new Map<string, { text: string; container: string | undefined }>();
    await Promise.all(
      pods.map(async (pod) => {
        const name = pod.metadata?.name ?? '';
        const container = gatewayContainer(pod);
        const res = await readPodLog(client, namespace, name, { sinceTime, ...(container ? { container } : {}) }, options.signal);
        if (res.status !== 200) return;
        const text = res.body.toString('utf8');
        windows.set(name, { text, container });
        for (const entry of parseGatewayLog(text)) if (entry.kind === 'request') candidates.push({ entry, pod: name });
      }),
    );
    const match = correlate(candidates, target);
    const searchedMs = Date.now() - started;
    const podNames = pods.map((p) => p.metadata?.name ?? '');
    if (match || searchedMs >= waitMs) {
      // The line counted in the window read since `sinceTime` means nothing to someone looking at `kubectl logs`.
      const window = match?.record.pod !== undefined ? windows.get(match.record.pod) : undefined;
      const recordLine = match && window ? await podLogLine(client, namespace, match.record.pod ?? '', window, match.record.entry.line, options.signal) : undefined;
      const lookup: LogLookup = { ...(match ? { record: match.record.entry } : {}), ...(recordLine !== undefined ? { recordLine } : {}), searchedMs, requestRecordsSeen: candidates.length };
      return { lookup, ...(match ? { match } : {}), pods: podNames };
    }
    await sleep(options.pollMs ?? 1000, options.signal);
  }
}

/** The most of a pod's log read to number a record's line: the kubelet rotates a container's log at 10 MiB by default. */
const FULL_LOG_BYTES = 16 * 1024 * 1024;

/** Where line `windowLine` of a window read with `sinceTime` is in the pod's whole log, as `kubectl logs` numbers it. */
async function podLogLine(client: KubeContextClient, namespace: string, pod: string, window: { text: string; container: string | undefined }, windowLine: number, signal: AbortSignal): Promise<number | undefined> {
  const full = await readPodLogText(client, namespace, pod, { limitBytes: FULL_LOG_BYTES, ...(window.container ? { container: window.container } : {}) }, signal).catch(() => undefined);
  return full ? lineInWholeLog(full.text, window.text, windowLine) : undefined;
}

/**
 * Line `windowLine` (1-based) of `window`, a later part of a log, numbered within the whole log `whole` (read after
 * the window, so it may have grown): the window's text up to that line is found in `whole` at the start of a line.
 * Undefined when it is not there (the log was rotated, or read only in part). Pure.
 */
export function lineInWholeLog(whole: string, window: string, windowLine: number): number | undefined {
  if (!Number.isInteger(windowLine) || windowLine < 1) return undefined;
  let end = -1;
  for (let n = 0; n < windowLine; n++) {
    end = window.indexOf('\n', end + 1);
    if (end < 0) {
      if (n !== windowLine - 1) return undefined;
      end = window.length;
      break;
    }
  }
  const prefix = window.slice(0, end);
  let at = whole.lastIndexOf(prefix);
  // The window starts at a line of the whole log and its line ends where the whole log's line ends.
  while (at >= 0 && !((at === 0 || whole[at - 1] === '\n') && (at + prefix.length === whole.length || whole[at + prefix.length] === '\n' || whole[at + prefix.length] === '\r'))) {
    at = at === 0 ? -1 : whole.lastIndexOf(prefix, at - 1);
  }
  if (at < 0) return undefined;
  let before = 0;
  for (let i = whole.indexOf('\n'); i >= 0 && i < at; i = whole.indexOf('\n', i + 1)) before++;
  return before + windowLine;
}

/** How much of a pod's log, from its start, is read for its start-up: the seed blog's start-up is ~12 KB. */
const STARTUP_BYTES = 256 * 1024;

/**
 * Whether the gateway writes per-request records, as its pods' start-up logs say (the first pod that says anything
 * decides; pods of one Deployment share the configuration). Undefined when no log says.
 */
export async function readLocalDiagnostics(client: KubeContextClient, namespace: string, labelSelector: string, signal: AbortSignal): Promise<boolean | undefined> {
  for (const pod of await listPods(client, namespace, labelSelector, signal)) {
    const name = pod.metadata?.name;
    if (!name) continue;
    const container = gatewayContainer(pod);
    const res = await readPodLog(client, namespace, name, { limitBytes: STARTUP_BYTES, ...(container ? { container } : {}) }, signal);
    if (res.status !== 200) continue;
    const said = localDiagnosticsFromStartup(res.body.toString('utf8'));
    if (said !== undefined) return said;
  }
  return undefined;
}
