// Finds the gateway's record of a sent request in the logs of every replica: one-shot reads of each pod's log since
// shortly before the send, repeated until the record shows up or the wait is over (the gateway writes the record
// after the response, and the kubelet's log can lag a little). No `vscode` import.
import { parseGatewayLog } from '../gatewayLogs/parser.ts';
import { localDiagnosticsFromStartup } from '../gatewayLogs/startup.ts';
import type { LogLookup } from '../diagnosis/types.ts';
import type { KubeContextClient } from '../kubernetes/client.ts';
import { gatewayContainer } from '../kubernetes/logFollow.ts';
import { listPods, readPodLog } from '../kubernetes/resources.ts';
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
    await Promise.all(
      pods.map(async (pod) => {
        const name = pod.metadata?.name ?? '';
        const container = gatewayContainer(pod);
        const res = await readPodLog(client, namespace, name, { sinceTime, ...(container ? { container } : {}) }, options.signal);
        if (res.status !== 200) return;
        for (const entry of parseGatewayLog(res.body.toString('utf8'))) if (entry.kind === 'request') candidates.push({ entry, pod: name });
      }),
    );
    const match = correlate(candidates, target);
    const searchedMs = Date.now() - started;
    const podNames = pods.map((p) => p.metadata?.name ?? '');
    if (match || searchedMs >= waitMs) {
      return { lookup: { ...(match ? { record: match.record.entry } : {}), searchedMs, requestRecordsSeen: candidates.length }, ...(match ? { match } : {}), pods: podNames };
    }
    await sleep(options.pollMs ?? 1000, options.signal);
  }
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
