import * as vscode from 'vscode';
import { Commands } from '../constants.ts';
import { createDeploymentLogSession, type FollowTarget } from '../logSessions/followSession.ts';
import type { TaggedEntry } from '../logSessions/session.ts';
import type { GatewayLogsPanelHandle } from '../panels/gatewayLogsPanel.ts';
import { logsMaxEntries, logsMaxLineLength } from '../panels/logSettings.ts';
import { formFromRecord } from '../requests/form.ts';
import { pickContext, pickGatewayDeployment } from './gatewayPicker.ts';
import { explainRecord } from './recordDiagnosis.ts';
import { followTargetOf } from './targets.ts';
import { defineCommand, type CommandServices } from './types.ts';

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
export const tailGatewayLogs = defineCommand({
  id: Commands.tailGatewayLogs,
  changes: [],
  target: ([arg]) => followTargetOf(arg),
  run: async (services, given) => {
    const target = given ?? (await pickTarget(services));
    if (!target) return undefined;
    return tail(services, target);
  },
});

function describeTarget(target: FollowTarget): string {
  const what = target.deployment ?? target.pod ?? target.labelSelector ?? '';
  return `${target.namespace}/${what}`;
}

async function tail(services: CommandServices, target: FollowTarget): Promise<GatewayLogsPanelHandle> {
  const maxEntries = logsMaxEntries(services.log);
  const what = describeTarget(target);
  const kind = target.deployment ? 'deployment' : target.pod ? 'pod' : 'selector';
  // "Why did this fail?" looks the Deployment's gateway up in Azure (asking once which one, if need be).
  const source = target.deployment ? { context: target.context, namespace: target.namespace, deployment: target.deployment } : undefined;
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Connecting to ${what} (${target.context})`, cancellable: true },
    (_progress, token) =>
      services.logPanels.show({
        key: `${kind}:${target.context}/${what}`,
        title: `${what} (${target.context})`,
        maxEntries,
        explain: (entry, progress, signal, events) => explainRecord(services, entry, source, { ask: true, progress, signal, events }),
        ...(source ? { resend: (entry: TaggedEntry) => void vscode.commands.executeCommand(Commands.sendTestRequest, { ...source, form: formFromRecord(entry.kind === 'request' ? entry.request : undefined) }) } : {}),
        createSession: () =>
          cancellable(
            createDeploymentLogSession(target, { clients: services.kubernetes, log: services.log.child('follow') }, { maxEntries, maxLineLength: logsMaxLineLength(services.log) }),
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

async function pickTarget(services: CommandServices): Promise<FollowTarget | undefined> {
  const choice = await pickContext(services, 'Tail Gateway Logs (1/2): cluster context');
  return choice ? pickGatewayDeployment(services, choice, 'Tail Gateway Logs (2/2): gateway') : undefined;
}
