// Rotating a running gateway's token without an outage: mint a token from ARM, write it where the running gateway reads
// it (the Arc extension's write-only protected settings through an ARM PATCH, or the Secret a plain Deployment
// references), roll the pods as `kubectl rollout restart` does (the Deployment's own strategy keeps ready pods
// serving), then verify from the cluster that the pods run the new token and the gateway synced its configuration.
// Every step reports progress and its equivalent command; a failure says what failed and how to go back.
// No `vscode` import: the command supplies the clients, the clock and the progress sink.
import type { AzureData } from '../azure/armService.ts';
import type { GatewayKeyType, GatewayToken } from '../azure/tokens.ts';
import type { KubeContextClient } from '../kubernetes/client.ts';
import { readTokenFacts } from '../kubernetes/gatewayToken.ts';
import { rolloutRestart, waitForRollout, type RolloutProgress } from '../kubernetes/rollout.ts';
import { describeTokenLocation, locateToken, writeToken } from '../kubernetes/tokenWriter.ts';
import type { KubeDeployment } from '../kubernetes/types.ts';
import { checkSync, type SyncVerdict } from './syncCheck.ts';
import { restartCommand, tokenCommand, updateTokenCommand } from './equivalents.ts';
import { readDeployment } from '../kubernetes/resources.ts';

export interface RotationTarget {
  /** ARM id of the APIM gateway whose token this is. */
  readonly gatewayId: string;
  readonly gatewayName: string;
  /** Where the token lives: the Arc extension (ARM) or the Deployment's own Secret. */
  readonly store: { readonly kind: 'arc'; readonly extensionId: string; readonly tokenSetting: string } | { readonly kind: 'kubernetes' };
  /** The gateway Deployment; without it (no kubeconfig context for an Arc cluster) the pods cannot be restarted. */
  readonly kube?: { readonly client: KubeContextClient; readonly namespace: string; readonly deployment: string };
}

export interface RotationChoice {
  readonly keyType: GatewayKeyType;
  readonly expiry: Date;
}

export interface RotationDeps {
  readonly data: AzureData;
  readonly now: () => Date;
  /** One line of progress ("Restarting: 1 of 3 new pods ready · 2 old pods"). */
  readonly report: (text: string) => void;
  /** The equivalent command of a step (token masked) and its outcome, for the extension's log. */
  readonly record: (command: string, outcome: string) => void;
  readonly signal: AbortSignal;
  /** How long to wait for the new pods to show a configuration sync. */
  readonly verifyTimeoutMs?: number;
}

export interface RotationOutcome {
  readonly expiry: Date;
  readonly keyType: GatewayKeyType;
  /** The Deployment was rolled (false when no cluster access was known). */
  readonly restarted: boolean;
  /** Expiry read back from the cluster (the signature dropped at once). */
  readonly runningExpiry: Date | undefined;
  readonly sync: SyncVerdict | undefined;
  /** Empty when every check held. */
  readonly problems: readonly string[];
  /** How to go back when something failed. */
  readonly recovery: string | undefined;
  readonly elapsedMs: number;
}

export class RotationError extends Error {
  readonly step: string;
  readonly recovery: string;
  constructor(step: string, message: string, recovery: string, cause?: unknown) {
    super(`${step} failed: ${message}. ${recovery}`, { cause });
    this.step = step;
    this.recovery = recovery;
  }
}

const sameMinute = (a: Date, b: Date): boolean => Math.floor(a.getTime() / 60_000) === Math.floor(b.getTime() / 60_000);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function rotateToken(target: RotationTarget, choice: RotationChoice, deps: RotationDeps): Promise<RotationOutcome> {
  const started = Date.now();
  const { data, report, record, signal } = deps;
  const kube = target.kube;
  const oldTokenStillWorks = 'The running pods keep the old token until they restart, and the old token stays valid until it expires (nothing was revoked)';

  report(`Generating a ${choice.keyType}-key token for ${target.gatewayName}…`);
  let token: GatewayToken;
  try {
    token = await data.generateGatewayToken(target.gatewayId, choice.keyType, choice.expiry, { signal });
  } catch (error) {
    throw new RotationError('Generating the token', messageOf(error), 'Nothing was changed.', error);
  }
  record(tokenCommand(target.gatewayId, choice.keyType, choice.expiry), `token generated, expires ${choice.expiry.toISOString()}`);

  // Where the token goes. For a Deployment, find the Secret before anything is written.
  let deployment: KubeDeployment | undefined;
  if (kube) {
    deployment = await readDeployment(kube.client, kube.namespace, kube.deployment, signal);
  }
  if (target.store.kind === 'arc') {
    const store = target.store;
    report(`Writing the token to ${store.tokenSetting} of the Arc extension (ARM PATCH)…`);
    try {
      const updated = await data.updateClusterExtension(store.extensionId, {}, { name: store.tokenSetting, token }, { signal, onStatus: (s) => report(`Updating the extension: ${s}`) });
      if (updated.provisioningState && updated.provisioningState !== 'Succeeded') throw new Error(`the extension ended ${updated.provisioningState}${updated.errorInfo?.message ? `: ${updated.errorInfo.message}` : ''}`);
    } catch (error) {
      record(updateTokenCommand(store.extensionId, store.tokenSetting), `failed: ${messageOf(error)}`);
      throw new RotationError('Writing the token to the Arc extension', messageOf(error), `${oldTokenStillWorks}. Run Rotate Gateway Token again once the extension is Succeeded.`, error);
    }
    record(updateTokenCommand(store.extensionId, store.tokenSetting), 'Succeeded');
  } else {
    if (!kube || !deployment) throw new RotationError('Finding the token', 'no cluster access to the Deployment', 'Nothing was changed.');
    const location = await locateToken(kube.client, deployment, signal);
    if (typeof location === 'string') throw new RotationError('Finding the token', location, 'Nothing was changed.');
    report(`Writing the token to ${describeTokenLocation(location)}…`);
    await writeToken(kube.client, location, token, signal);
    record(`kubectl patch ${location.kind === 'secrets' ? 'secret' : 'configmap'} ${location.name} -n ${location.namespace} --type merge -p '{"${location.kind === 'secrets' ? 'stringData' : 'data'}":{"${location.key}":"GatewayKey <token>"}}'`, 'patched');
  }

  if (!kube || !deployment) {
    const hint = target.store.kind === 'arc' ? 'choose the cluster\'s kubeconfig context, then restart its gateway Deployment' : 'restart the gateway Deployment';
    return { expiry: choice.expiry, keyType: choice.keyType, restarted: false, runningExpiry: undefined, sync: undefined, problems: [`The pods still run the old token: ${hint} (kubectl rollout restart).`], recovery: undefined, elapsedMs: Date.now() - started };
  }

  report(`Restarting deployment ${kube.namespace}/${kube.deployment} (rolling, ${deployment.spec?.replicas ?? 1} replicas)…`);
  let progress: RolloutProgress;
  const restartedAt = deps.now();
  try {
    const generation = await rolloutRestart(kube.client, kube.namespace, kube.deployment, restartedAt, signal);
    record(restartCommand(kube.namespace, kube.deployment), 'restarted');
    progress = await waitForRollout(kube.client, kube.namespace, kube.deployment, generation, (p) => report(`Restarting: ${p.text}`), signal);
  } catch (error) {
    throw new RotationError('Restarting the pods', messageOf(error),
      `The new token is stored; pods that did not restart still run the old one, which stays valid until it expires (nothing was revoked). Check the pods with kubectl rollout status deployment/${kube.deployment} -n ${kube.namespace} and kubectl describe pods -n ${kube.namespace}, then run Rotate Gateway Token again.`, error);
  }
  record(`kubectl rollout status deployment/${kube.deployment} -n ${kube.namespace}`, progress.text);

  report('Verifying the running token and the configuration sync…');
  const problems: string[] = [];
  const fresh = await readDeployment(kube.client, kube.namespace, kube.deployment, signal);
  const facts = await readTokenFacts(kube.client, fresh, signal);
  if (!facts) problems.push('The running token could not be read back from the cluster (no access to its Secret?).');
  else if (!sameMinute(facts.expiresAt, choice.expiry)) problems.push(`The pods run a token that expires ${facts.expiresAt.toISOString()}, not the new one (${choice.expiry.toISOString()}).`);
  const sync = await checkSync(kube.client, fresh, restartedAt, { signal, timeoutMs: deps.verifyTimeoutMs ?? 60_000 });
  if (sync.state !== 'synced') problems.push(sync.detail);
  const recovery = problems.length === 0 ? undefined
    : `Nothing was revoked: tokens signed with either key stay valid until they expire. Run Rotate Gateway Token again (with the other key if this one was regenerated), and read the gateway's log (Tail Gateway Logs) for the sync error.`;
  return { expiry: choice.expiry, keyType: choice.keyType, restarted: true, runningExpiry: facts?.expiresAt, sync, problems, recovery, elapsedMs: Date.now() - started };
}
