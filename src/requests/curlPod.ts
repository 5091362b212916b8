// Sends from inside the cluster with a short-lived `curlimages/curl` pod: the request reaches the Service the way
// in-cluster clients do (cluster DNS, kube-proxy), which the service proxy skips. The pod is watched until curl
// exits, its log (curl's -i output) is read, and it is deleted: on success, failure, timeout and cancel alike.
// A subscription key never goes into the pod's spec (anyone who may read pods could see it there): it is put in a
// short-lived Secret, given to the container as the env var APIM_KEY, and curl is run by `sh -c` with the header
// value `"$APIM_KEY"`. The Secret is owned by the pod (garbage-collected with it) and deleted with it in every path.
import { apiStatus, type KubeContextClient } from '../kubernetes/client.ts';
import type { KubePod } from '../kubernetes/types.ts';
import { createPod, createSecret, deletePod, deleteSecret, patchSecret, readPod, readPodLog } from '../kubernetes/resources.ts';
import { errorMessage } from '../util/errors.ts';
import { redact } from '../util/redact.ts';
import { commandLine, curlArgs, curlScript, KEY_ENV, maskCurlArgs, parseCurlOutput } from './curl.ts';
import { assertOutgoing } from './rules.ts';
import type { BuiltRequest, RequestTransport, SendOptions, TransportResult } from './types.ts';

export const CURL_IMAGE = 'curlimages/curl';
export const CURL_POD_LABEL = 'arc-apim-gateway/test-request';
/** The key inside the key Secret's data. */
export const KEY_SECRET_KEY = 'subscription-key';

const LABELS = { 'app.kubernetes.io/managed-by': 'arc-apim-gateway', [CURL_POD_LABEL]: 'true' };

export interface CurlPodOptions {
  image?: string;
  /** Time allowed for the pod to be scheduled and the image pulled, on top of the request's timeout. */
  startupMs?: number;
  pollMs?: number;
}

/** The subscription key for the curl pod: its value (replaced in the args by the env var) and the Secret holding it. */
export interface CurlPodKey {
  value: string;
  secretName: string;
}

/** The Secret that holds the key while the curl pod runs. */
export function keySecretManifest(name: string, namespace: string, key: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { ...LABELS } },
    type: 'Opaque',
    data: { [KEY_SECRET_KEY]: Buffer.from(key, 'utf8').toString('base64') },
  };
}

/**
 * The curl pod. Without a key, curl's args as the container's args (the image's entrypoint runs curl); with one,
 * `sh -c 'exec curl … "$APIM_KEY" …'` and APIM_KEY from the key's Secret, so the spec holds no key.
 */
export function curlPodManifest(name: string, namespace: string, args: readonly string[], timeoutSeconds: number, image = CURL_IMAGE, key?: CurlPodKey): Record<string, unknown> {
  const run = key
    ? {
        command: ['/bin/sh', '-c', curlScript(args, key.value)],
        env: [{ name: KEY_ENV, valueFrom: { secretKeyRef: { name: key.secretName, key: KEY_SECRET_KEY } } }],
      }
    : { args: [...args] };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { ...LABELS } },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      // A pod we failed to delete still goes away on its own.
      activeDeadlineSeconds: timeoutSeconds + 300,
      automountServiceAccountToken: false,
      containers: [{ name: 'curl', image, ...run, resources: { limits: { cpu: '200m', memory: '64Mi' } } }],
    },
  };
}

export class CurlPodTransport implements RequestTransport {
  readonly kind = 'curl-pod' as const;
  private readonly client: KubeContextClient;
  private readonly options: CurlPodOptions;

  constructor(client: KubeContextClient, options: CurlPodOptions = {}) {
    this.client = client;
    this.options = options;
  }

  async send(request: BuiltRequest, options: SendOptions): Promise<TransportResult> {
    assertOutgoing(request);
    const timeoutSeconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
    const args = curlArgs(request, timeoutSeconds);
    const description = commandLine(maskCurlArgs(args, request.subscriptionKey));
    const namespace = request.endpoint.namespace;
    const name = `arc-apim-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
    const key: CurlPodKey | undefined = request.subscriptionKey ? { value: request.subscriptionKey, secretName: `${name}-key` } : undefined;
    const mask = (text: string): string => redact(request.subscriptionKey ? text.split(request.subscriptionKey).join('***') : text);
    const sentAt = Date.now();
    const deadline = sentAt + options.timeoutMs + (this.options.startupMs ?? 120_000);
    // A fresh signal, bounded: the pod and Secret go even when the request was cancelled, and failing here is not the request's failure.
    const removePod = (): Promise<unknown> =>
      deletePod(this.client, namespace, name, AbortSignal.timeout(15_000), { gracePeriodSeconds: 0 }).catch(() => undefined);
    const removeSecret = (): Promise<unknown> =>
      key ? deleteSecret(this.client, namespace, key.secretName, AbortSignal.timeout(15_000)).catch(() => undefined) : Promise.resolve();
    const remove = (): Promise<unknown> => Promise.all([removePod(), removeSecret()]);
    if (key) {
      let stored;
      try {
        stored = await createSecret(this.client, namespace, keySecretManifest(key.secretName, namespace, key.value), options.signal);
      } catch (error) {
        // Cancelled while the create was in flight: the Secret may exist anyway.
        if (options.signal.aborted) void removeSecret();
        throw error;
      }
      if (stored.status >= 300) throw new Error(mask(`Could not create the Secret for the subscription key in ${namespace}: ${statusMessage(stored.body.toString('utf8'), stored.status)}`));
    }
    let created;
    try {
      created = await createPod(this.client, namespace, curlPodManifest(name, namespace, args, timeoutSeconds, this.options.image, key), options.signal);
    } catch (error) {
      // Cancelled while the create was in flight: the pod may exist anyway.
      if (options.signal.aborted) void remove();
      else await removeSecret();
      throw error;
    }
    if (created.status >= 300) {
      await removeSecret();
      throw new Error(mask(`Could not create the curl pod in ${namespace}: ${statusMessage(created.body.toString('utf8'), created.status)}`));
    }
    try {
      if (key) await this.adoptSecret(namespace, key.secretName, name, created.body.toString('utf8'), options.signal);
      options.progress?.(`Pod ${name} created in ${namespace}`);
      const pod = await this.waitForExit(namespace, name, deadline, options.signal, (state) => options.progress?.(`Pod ${name}: ${state}`));
      let receivedAt = Date.now();
      if (pod.kind === 'stuck') {
        return { transport: this.kind, response: { kind: 'transport', error: 'timeout', message: mask(pod.message) }, sentAt, receivedAt, description };
      }
      options.progress?.(`Pod ${name}: curl exited${pod.exitCode !== undefined ? ` (${pod.exitCode})` : ''}; reading its output`);
      const log = await readPodLog(this.client, namespace, name, { container: 'curl' }, options.signal);
      const text = log.body.toString('utf8');
      // The container's own start and finish (whole seconds) bound when curl really sent, without pod start-up.
      const started = pod.startedAt ? Date.parse(pod.startedAt) : Number.NaN;
      const finished = pod.finishedAt ? Date.parse(pod.finishedAt) : Number.NaN;
      let requestSentAt = sentAt;
      if (Number.isFinite(started) && started >= sentAt - 60_000) requestSentAt = started;
      if (Number.isFinite(finished) && finished + 999 >= requestSentAt) receivedAt = Math.min(receivedAt, finished + 999);
      const parsed = parseCurlOutput(text, pod.exitCode);
      const response = parsed.ok ? parsed.response : { kind: 'transport' as const, error: parsed.error, message: mask(parsed.message) };
      return { transport: this.kind, response, sentAt: requestSentAt, receivedAt, description };
    } finally {
      options.progress?.(`Deleting pod ${name}${key ? ' and its key Secret' : ''}`);
      await remove();
    }
  }

  /** The Secret becomes the pod's dependent, so the garbage collector removes it with the pod should our delete fail. */
  private async adoptSecret(namespace: string, secretName: string, podName: string, createdPod: string, signal: AbortSignal): Promise<void> {
    let uid: string | undefined;
    try {
      uid = (JSON.parse(createdPod) as KubePod).metadata?.uid;
    } catch {
      // no uid to point at; the explicit delete still removes the Secret
    }
    if (!uid) return;
    const patch = { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: podName, uid }] } };
    try {
      await patchSecret(this.client, namespace, secretName, patch, signal);
    } catch (error) {
      // Not the request's failure (the Secret is deleted explicitly anyway), unless it was cancelled.
      if (signal.aborted) throw error;
    }
  }

  private async waitForExit(namespace: string, name: string, deadline: number, signal: AbortSignal, report: (state: string) => void): Promise<{ kind: 'exited'; exitCode: number | undefined; startedAt?: string; finishedAt?: string } | { kind: 'stuck'; message: string }> {
    const pollMs = this.options.pollMs ?? 400;
    let reported = '';
    for (;;) {
      let pod: KubePod | undefined;
      try {
        pod = await readPod(this.client, namespace, name, signal);
      } catch (error) {
        if (signal.aborted) throw error;
        if (apiStatus(error) === 404) return { kind: 'stuck', message: 'The curl pod disappeared before curl finished' };
        throw new Error(`Could not read the curl pod: ${errorMessage(error)}`, { cause: error });
      }
      const phase = pod.status?.phase;
      const state = pod.status?.containerStatuses?.[0]?.state;
      if (phase === 'Succeeded' || phase === 'Failed' || state?.terminated) {
        const t = state?.terminated as { exitCode?: number; startedAt?: string; finishedAt?: string } | undefined;
        return { kind: 'exited', exitCode: t?.exitCode, ...(t?.startedAt ? { startedAt: t.startedAt } : {}), ...(t?.finishedAt ? { finishedAt: t.finishedAt } : {}) };
      }
      const waiting = state?.waiting?.reason;
      // As `kubectl get pod` shows it: Pending, ContainerCreating, Running.
      const shown = waiting ?? (state?.running ? 'Running' : (phase ?? 'Pending'));
      if (shown !== reported) report((reported = shown));
      if (waiting && /ErrImagePull|ImagePullBackOff|InvalidImageName|CreateContainerConfigError/.test(waiting)) {
        return { kind: 'stuck', message: `The curl pod cannot start: ${waiting}${state?.waiting?.message ? ` (${state.waiting.message})` : ''}` };
      }
      if (Date.now() > deadline) return { kind: 'stuck', message: `The curl pod did not finish in time (phase ${phase ?? 'unknown'}${waiting ? `, ${waiting}` : ''})` };
      await sleep(pollMs, signal);
    }
  }
}

function statusMessage(body: string, status: number): string {
  try {
    const parsed = JSON.parse(body) as { message?: string };
    if (parsed.message) return parsed.message;
  } catch {
    // not a Status object
  }
  return `HTTP ${status}`;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new DOMException('The request was cancelled', 'AbortError'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new DOMException('The request was cancelled', 'AbortError'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
