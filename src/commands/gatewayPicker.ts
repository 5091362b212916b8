// The palette's way to a gateway when a command runs without a tree node: a kubeconfig context, then one of the
// gateway Deployments found in it (the way the Gateways tree finds them). Shared by every command that needs one.
import * as vscode from 'vscode';
import type { KubeContextClient } from '../kubernetes/client.ts';
import { discoverGateways } from '../kubernetes/discovery.ts';
import type { FollowTarget } from '../logSessions/followSession.ts';
import { safeErrorMessage } from '../util/errors.ts';
import type { CommandServices } from './types.ts';

export interface GatewayDeployment {
  readonly namespace: string;
  readonly name: string;
  readonly image: string;
  readonly replicas: number;
  readonly ready: number;
}

export interface ContextChoice {
  readonly context: string;
  /** The context's default namespace: searched when listing all namespaces is forbidden. */
  readonly namespace: string | undefined;
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

/** QuickPick items for the kubeconfig's contexts, the current one marked. Throws when there is nothing to pick. */
export async function contextItems(services: CommandServices): Promise<(vscode.QuickPickItem & ContextChoice)[]> {
  const summary = await services.kubeconfig.read();
  if (!summary.ok) throw new Error(summary.error);
  const { contexts, currentContext } = summary.value;
  if (contexts.length === 0) throw new Error(`No contexts in the kubeconfig (${services.kubeconfig.describe()})`);
  return contexts.map((c) => ({
    label: c.name,
    description: [c.name === currentContext ? 'current' : undefined, c.cluster].filter(Boolean).join(' · '),
    context: c.name,
    namespace: c.namespace,
  }));
}

/**
 * The kubeconfig context a palette command works in: the only one without asking, else picked. Undefined when the
 * user closed the picker; throws when the kubeconfig has none.
 */
export async function pickContext(services: CommandServices, title: string): Promise<ContextChoice | undefined> {
  const items = await contextItems(services);
  if (items.length === 1) return items[0];
  return vscode.window.showQuickPick(items, { title, placeHolder: 'The kubeconfig context of the cluster the gateway runs in' });
}

/** The only item of a list, or undefined when there are none or several: what a palette picker need not ask about. */
export function onlyChoice<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

interface TargetPick extends vscode.QuickPickItem {
  readonly target: FollowTarget;
}

/**
 * A gateway Deployment of `choice.context`, picked in a QuickPick that opens at once and fills in while the cluster
 * answers; closing it cancels the listing. When the cluster has exactly one, it is the answer without a click.
 */
export async function pickGatewayDeployment(services: CommandServices, choice: ContextChoice, title: string): Promise<FollowTarget | undefined> {
  const { context } = choice;
  const quickPick = vscode.window.createQuickPick<TargetPick>();
  quickPick.title = title;
  quickPick.placeholder = `Gateway Deployments in ${context}`;
  quickPick.busy = true;
  quickPick.show();
  const controller = new AbortController();
  try {
    const found = listGatewayDeployments(await services.kubernetes.forContext(context), controller.signal, choice.namespace);
    let settle: (target: FollowTarget | undefined) => void = () => undefined;
    const chosen = new Promise<FollowTarget | undefined>((resolve) => {
      settle = resolve;
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
        const only = onlyChoice(deployments);
        if (only) {
          settle({ context, namespace: only.namespace, deployment: only.name });
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
        quickPick.hide();
        services.log.error(`listing gateway Deployments in ${context} failed`, error);
        void vscode.window.showErrorMessage(`Arc APIM Gateway: could not list Deployments in ${context}: ${safeErrorMessage(error)}`);
      },
    );
    return await chosen;
  } finally {
    controller.abort();
    quickPick.dispose();
  }
}
