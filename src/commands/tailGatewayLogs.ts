import * as vscode from 'vscode';
import { Commands } from '../constants.ts';
import type { KubeContextClient } from '../kubernetes/client.ts';
import { discoverGateways } from '../kubernetes/discovery.ts';
import { createDeploymentLogSession, type FollowTarget } from '../logs/followSession.ts';
import type { GatewayLogsPanelHandle } from '../panels/gatewayLogsPanel.ts';
import { logsMaxEntries } from '../panels/logSettings.ts';
import type { CommandDefinition, CommandServices } from './types.ts';

/**
 * What a Gateways tree node for a gateway Deployment or pod hands this command (the node's `followTarget`); a
 * FollowTarget itself is accepted too, so tests and other commands can call it directly.
 */
export interface FollowableNode {
  readonly followTarget: FollowTarget;
}

/**
 * "Tail Gateway Logs": every pod of a gateway Deployment (or one pod) followed live in the Gateway Logs view. From the
 * palette: a kubeconfig context, then one of the gateway Deployments found in it.
 */
export const tailGatewayLogs: CommandDefinition = {
  id: Commands.tailGatewayLogs,
  run: async (services, arg) => {
    const target = followTargetOf(arg) ?? (await pickTarget(services));
    if (!target) return undefined;
    return tail(services, target);
  },
};

export function followTargetOf(arg: unknown): FollowTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const candidate = 'followTarget' in arg ? (arg as FollowableNode).followTarget : arg;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const t = candidate as Partial<FollowTarget>;
  if (typeof t.context !== 'string' || typeof t.namespace !== 'string') return undefined;
  if (typeof t.deployment !== 'string' && typeof t.pod !== 'string' && typeof t.labelSelector !== 'string') return undefined;
  return candidate as FollowTarget;
}

function describeTarget(target: FollowTarget): string {
  const what = target.deployment ?? target.pod ?? target.labelSelector ?? '';
  return `${target.namespace}/${what}`;
}

async function tail(services: CommandServices, target: FollowTarget): Promise<GatewayLogsPanelHandle> {
  const maxEntries = logsMaxEntries(services.log);
  const what = describeTarget(target);
  const kind = target.deployment ? 'deployment' : target.pod ? 'pod' : 'selector';
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Connecting to ${what} (${target.context})`, cancellable: true },
    (_progress, token) =>
      services.logPanels.show({
        key: `${kind}:${target.context}/${what}`,
        title: `${what} (${target.context})`,
        maxEntries,
        createSession: () =>
          cancellable(
            createDeploymentLogSession(target, { clients: services.kubernetes, log: services.log.child('follow') }, { maxEntries }),
            token,
          ),
      }),
  );
}

/** The session factory takes no token: if the user cancels first, the session that arrives later is closed at once. */
async function cancellable<T extends vscode.Disposable | { dispose(): unknown }>(work: Promise<T>, token: vscode.CancellationToken): Promise<T> {
  let listener: vscode.Disposable | undefined;
  const cancelled = new Promise<never>((_resolve, reject) => {
    listener = token.onCancellationRequested(() => reject(new vscode.CancellationError()));
  });
  try {
    return await Promise.race([work, cancelled]);
  } catch (error) {
    if (token.isCancellationRequested) void work.then((late) => late.dispose(), () => undefined);
    throw error;
  } finally {
    listener?.dispose();
  }
}

interface TargetPick extends vscode.QuickPickItem {
  readonly target: FollowTarget;
}

async function pickTarget(services: CommandServices): Promise<FollowTarget | undefined> {
  const summary = await services.kubeconfig.read();
  if (!summary.ok) throw new Error(summary.error);
  const contexts = summary.value.contexts;
  if (contexts.length === 0) throw new Error(`No contexts in the kubeconfig (${services.kubeconfig.describe()})`);
  const contextPick = await vscode.window.showQuickPick(
    contexts.map((c) => ({
      label: c.name,
      description: [c.name === summary.value.currentContext ? 'current' : undefined, c.cluster].filter(Boolean).join(' · '),
      context: c.name,
      namespace: c.namespace,
    })),
    { title: 'Tail Gateway Logs (1/2): cluster context', placeHolder: 'The kubeconfig context of the cluster the gateway runs in' },
  );
  if (!contextPick) return undefined;
  const context = contextPick.context;

  const quickPick = vscode.window.createQuickPick<TargetPick>();
  quickPick.title = 'Tail Gateway Logs (2/2): gateway';
  quickPick.placeholder = `Gateway Deployments in ${context}`;
  quickPick.busy = true;
  quickPick.show();
  const controller = new AbortController();
  try {
    const found = listGatewayDeployments(await services.kubernetes.forContext(context), controller.signal, contextPick.namespace);
    const chosen = new Promise<FollowTarget | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.target));
      quickPick.onDidHide(() => resolve(undefined));
    });
    void found.then(
      (deployments) => {
        quickPick.busy = false;
        if (deployments.length === 0) {
          quickPick.placeholder = `No gateway Deployment (image …/azure-api-management/gateway, or its Helm chart) in ${context}`;
          return;
        }
        quickPick.items = deployments.map((d) => ({
          label: d.name,
          description: d.namespace,
          detail: `${d.ready}/${d.replicas} ready · ${d.image}`,
          target: { context, namespace: d.namespace, deployment: d.name },
        }));
      },
      (error: unknown) => {
        quickPick.busy = false;
        quickPick.placeholder = `Could not list Deployments in ${context}`;
        quickPick.hide();
        services.log.error(`listing gateway Deployments in ${context} failed`, error);
        void vscode.window.showErrorMessage(`Arc APIM Gateway: could not list Deployments in ${context}: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    return await chosen;
  } finally {
    controller.abort();
    quickPick.dispose();
  }
}

export interface GatewayDeployment {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  readonly replicas: number;
  readonly ready: number;
}

/**
 * The gateway Deployments of one context for a picker, found the way the Gateways tree finds them (image or chart
 * labels; the context's own namespace when listing all of them is forbidden).
 */
export async function listGatewayDeployments(client: KubeContextClient, signal?: AbortSignal, fallbackNamespace?: string): Promise<GatewayDeployment[]> {
  const found = await discoverGateways(client, fallbackNamespace, signal);
  const out: GatewayDeployment[] = [];
  for (const gateways of found.byNamespace.values()) {
    for (const g of gateways) {
      out.push({ namespace: g.namespace, name: g.name, image: g.image ?? 'image not set', replicas: g.desired, ready: g.ready });
    }
  }
  return out;
}
