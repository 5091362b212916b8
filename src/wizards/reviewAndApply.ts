// After the wizard: the manifests open in an untitled YAML editor with the token as a placeholder; the user applies
// them (as they stand in the editor, edits included) or saves them. Applying mints the token through ARM, puts it in
// the Secret in memory only, sends every object with server-side apply and watches the pods come up. The token is in
// no editor, file, log line or message.
import * as vscode from 'vscode';
import type { AzureData } from '../azure/armService.ts';
import { describePods, watchReleasePods } from '../azure/podProgress.ts';
import { describeExpiry } from '../azure/tokens.ts';
import { applyManifests, type ApplyResult } from '../kubernetes/apply.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import type { PodSummary } from '../kubernetes/gateways.ts';
import type { Logger } from '../extensionLog.ts';
import { gatewayManifests, manifestsYaml, type Manifest } from '../manifests/gatewayManifests.ts';
import { objectsFromReviewedYaml, withToken } from '../manifests/review.ts';
import type { KubeDeployContext } from './deployToKubernetesWizard.ts';
import { DEPLOY_K8S_TITLE, manifestOptions } from './deployToKubernetesWizard.ts';
import { expiryAfterDays } from './generateTokenWizard.ts';
import { InvalidInputError } from './wizard.ts';

export const REVIEW_APPLY = 'Apply';
export const REVIEW_SAVE = 'Save YAML…';
const TAKE_OVER = 'Take Over the Fields';
const PODS_READY_MS = 180_000;

export interface ReviewDependencies {
  readonly data: AzureData;
  readonly kubernetes: KubernetesClients;
  readonly log: Logger;
  now(): Date;
}

export interface ReviewOutcome {
  readonly applied: readonly string[];
  readonly pods: string;
}

/** Opens the review editor, then applies or saves as the user chooses; undefined when they walk away. */
export async function reviewAndApply(deps: ReviewDependencies, c: KubeDeployContext): Promise<ReviewOutcome | undefined> {
  const options = manifestOptions(c);
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: manifestsYaml(gatewayManifests(options, { kind: 'placeholder' })) });
  await vscode.window.showTextDocument(document, { preview: false });
  for (;;) {
    const choice = await vscode.window.showInformationMessage(
      `Review the manifests of gateway ${c.gatewayName ?? ''} for ${c.kubeContext ?? ''}/${c.namespace ?? ''}. The token stays a placeholder here; Apply mints one and puts it only into the Secret on the cluster.`,
      REVIEW_APPLY, REVIEW_SAVE,
    );
    if (choice === REVIEW_SAVE) {
      await saveYaml(document.getText(), c);
      continue;
    }
    if (choice !== REVIEW_APPLY) return undefined;
    const reviewed = objectsFromReviewedYaml(document.getText());
    if (!reviewed.ok) {
      void vscode.window.showErrorMessage(`Arc APIM Gateway: ${reviewed.error}`);
      continue;
    }
    return applyReviewed(deps, c, reviewed.objects, reviewed.secretIndex);
  }
}

async function saveYaml(text: string, c: KubeDeployContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Save the gateway manifests (without the token)',
    filters: { YAML: ['yaml', 'yml'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${c.name ?? 'gateway'}.yaml`) } : {}),
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  void vscode.window.showInformationMessage(`Saved to ${target.fsPath}. The Secret holds the placeholder "GatewayKey <token>": put a token from "Generate Gateway Token…" there before applying it yourself.`);
}

async function applyReviewed(deps: ReviewDependencies, c: KubeDeployContext, objects: Manifest[], secretIndex: number): Promise<ReviewOutcome | undefined> {
  const namespaceObject: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: c.namespace ?? '' } };
  const all = c.namespaceExists ? objects : [namespaceObject, ...objects];
  const secret = all.indexOf(objects[secretIndex]!);
  let force = false;
  for (;;) {
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: DEPLOY_K8S_TITLE, cancellable: true },
      async (progress, cancel) => {
        const controller = new AbortController();
        const listener = cancel.onCancellationRequested(() => controller.abort());
        try {
          progress.report({ message: 'minting a gateway token' });
          const expiry = expiryAfterDays(deps.now(), 30);
          const token = await deps.data.generateGatewayToken(c.gatewayId ?? '', 'primary', expiry, { signal: controller.signal });
          const client = await deps.kubernetes.forContext(c.kubeContext ?? '');
          c.applying = true;
          const result = await applyManifests(client, withToken(all, secret, token.reveal()), {
            force,
            onProgress: (step) => {
              deps.log.info(`server-side apply: ${step}`);
              progress.report({ message: step });
            },
          }, controller.signal);
          if (!result.ok) return { result };
          const pods = await podsComingUp(deps, c, (text) => progress.report({ message: `pods: ${text}` }), controller.signal);
          deps.log.info(`deployed ${c.name ?? ''} to ${c.kubeContext ?? ''}/${c.namespace ?? ''}; token ${describeExpiry(expiry, deps.now())}`);
          return { result, pods };
        } finally {
          listener.dispose();
        }
      },
    );
    const result: ApplyResult = outcome.result;
    if (result.ok) return { applied: result.applied, pods: outcome.pods ?? '' };
    deps.log.warn(`apply refused (${result.kind}): ${result.message}`);
    if (result.kind === 'conflict' && !force) {
      const choice = await vscode.window.showWarningMessage(`Arc APIM Gateway: ${result.message}`, TAKE_OVER);
      if (choice !== TAKE_OVER) return undefined;
      force = true;
      continue;
    }
    throw new InvalidInputError(result.applied.length > 0 ? `${result.message} (already applied: ${result.applied.join(', ')})` : result.message);
  }
}

/** Watches the pods until every replica is ready or three minutes pass; the last summary is the answer. */
async function podsComingUp(deps: ReviewDependencies, c: KubeDeployContext, report: (text: string) => void, signal: AbortSignal): Promise<string> {
  let last = 'no pods yet';
  let done!: () => void;
  const finished = new Promise<void>((resolve) => { done = resolve; });
  const watch = await watchReleasePods(deps.kubernetes, c.kubeContext ?? '', c.namespace ?? '', c.name ?? '', (text: string, pods: PodSummary[]) => {
    last = text;
    report(text);
    if (pods.filter((p) => p.ready).length >= (c.replicas ?? 1)) done();
  });
  const timer = setTimeout(done, PODS_READY_MS);
  signal.addEventListener('abort', done, { once: true });
  try {
    await finished;
  } finally {
    clearTimeout(timer);
    watch.dispose();
  }
  return last || describePods([]);
}
