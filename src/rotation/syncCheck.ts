// Did the restarted gateway pods sync their configuration with the new token? Read from each new pod's log: a v1/v2
// gateway writes `TenantStarted` / `EventSnapshotRestored` once it has its configuration, and
// `LoadingConfigurationFailed` / `ConfigurationSyncFailed` / `ConfigInitialSyncFailed` (401 with a wrong or expired
// token) when it cannot. Text and JSON logs alike carry the event name as a word. No `vscode` import.
import type { KubeContextClient } from '../kubernetes/client.ts';
import { RESTARTED_AT } from '../kubernetes/rollout.ts';
import { selectorString } from '../kubernetes/selectors.ts';
import type { KubeDeployment } from '../kubernetes/types.ts';
import { listPods, readPodLog } from '../kubernetes/resources.ts';

export type SyncState = 'synced' | 'failed' | 'unknown';

export interface SyncVerdict {
  readonly state: SyncState;
  /** Which pods showed what, for the report. */
  readonly detail: string;
}

const SYNCED = /\b(TenantStarted|EventSnapshotRestored)\b/;
const FAILED = /\b(LoadingConfigurationFailed|ConfigurationSyncFailed|ConfigInitialSyncFailed)\b/;

/** What one pod's log says about its configuration sync. Pure; exported for tests. */
export function syncStateOfLog(text: string): SyncState {
  let state: SyncState = 'unknown';
  for (const line of text.split('\n')) {
    if (FAILED.test(line)) state = 'failed';
    else if (SYNCED.test(line)) state = 'synced';
  }
  return state;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
    }, { once: true });
  });
}

/** Waits until every current pod of the Deployment shows a sync (or one shows a failure), up to `timeoutMs`. */
export async function checkSync(client: KubeContextClient, deployment: KubeDeployment, since: Date, options: { signal?: AbortSignal; timeoutMs: number; everyMs?: number }): Promise<SyncVerdict> {
  const namespace = deployment.metadata?.namespace ?? 'default';
  const selector = selectorString(deployment.spec?.selector);
  const restartedAt = deployment.spec?.template?.metadata?.annotations?.[RESTARTED_AT];
  const container = deployment.spec?.template?.spec?.containers?.[0]?.name;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const pods = (await listPods(client, namespace, selector ?? '', options.signal))
      .filter((p) => !p.metadata?.deletionTimestamp && (restartedAt === undefined || p.metadata?.annotations?.[RESTARTED_AT] === restartedAt));
    const states = await Promise.all(pods.map(async (p) => {
      const name = p.metadata?.name ?? '';
      const sinceTime = new Date(since.getTime() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const response = await readPodLog(client, namespace, name, { ...(container ? { container } : {}), sinceTime, limitBytes: 4 * 1024 * 1024 }, options.signal ?? new AbortController().signal);
      return { name, state: response.status === 200 ? syncStateOfLog(response.body.toString('utf8')) : 'unknown' as SyncState };
    }));
    const failed = states.filter((s) => s.state === 'failed');
    if (failed.length > 0) {
      return { state: 'failed', detail: `Configuration sync failed on ${failed.map((s) => s.name).join(', ')}: the gateway could not load its configuration with the new token (see its log).` };
    }
    if (states.length > 0 && states.every((s) => s.state === 'synced')) {
      return { state: 'synced', detail: `Configuration synced on ${states.map((s) => s.name).join(', ')}.` };
    }
    const waiting = states.filter((s) => s.state !== 'synced').map((s) => s.name);
    const last: SyncVerdict = { state: 'unknown', detail: `No configuration sync seen in the log of ${waiting.join(', ') || 'any new pod'} within ${Math.round(options.timeoutMs / 1000)} s (with telemetry.logs.std none the gateway logs nothing).` };
    if (Date.now() > deadline) return last;
    await delay(options.everyMs ?? 500, options.signal);
  }
}
