// The Gateway Health view's driver: gathers the input (gather.ts), runs the engine (src/health), and acts on fixes
// through the commands that already exist — Rotate Gateway Token for the view's Deployment, Assign APIs, Tail
// Gateway Logs. Fixes that would change the cluster or the extension without such a command say how instead.
import * as vscode from 'vscode';
import type { ClusterExtensionInfo } from '../azure/models.ts';
import type { DeploymentRef, GatewayBinding } from '../azure/records.ts';
import type { CommandServices } from '../commands/types.ts';
import { Commands } from '../constants.ts';
import { runHealthChecks } from '../health/index.ts';
import type { HealthFix } from '../health/types.ts';
import type { HealthDriver, HealthRun } from '../panels/healthPanel.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { gatherHealthInput } from './gather.ts';

export interface HealthScope {
  readonly services: CommandServices;
  readonly target: DeploymentRef;
  /** The APIM gateway the Deployment runs, when known. */
  binding(): GatewayBinding | undefined;
  /** The Arc extension that installed it, when the check started from one. */
  readonly extension?: ClusterExtensionInfo;
}

export async function runCheck(scope: HealthScope, signal: AbortSignal): Promise<HealthRun> {
  const { services, target } = scope;
  const notes: string[] = [];
  const binding = scope.binding();
  const azureReady = services.azure.account.data().ok;
  if (!binding) notes.push(azureReady ? 'Not linked to an API Management gateway: the APIs, their protocols and the token\'s gateway are not checked against Azure.' : 'Azure is not set up: the checks that need API Management are not known.');
  const kube = await services.kubernetes.forContext(target.context);
  const input = await gatherHealthInput(
    { kube, signal, now: services.azure.now, ...(binding && azureReady ? { azure: { data: services.azure.data(), binding, ...(scope.extension ? { extension: scope.extension } : {}) } } : {}) },
    { namespace: target.namespace, deployment: target.deployment },
  );
  return { report: runHealthChecks(input), notes };
}

export async function applyHealthFix(scope: HealthScope, fix: HealthFix): Promise<{ recheck: boolean }> {
  const { target } = scope;
  const binding = scope.binding();
  switch (fix.id) {
    case 'open-token-wizard':
      // Rotate in place: a new token written where this Deployment reads it, the pods rolled, then checked again.
      await vscode.commands.executeCommand(Commands.rotateGatewayToken, { ...(binding ? { gatewayId: binding.gatewayId } : {}), ...target });
      return { recheck: true };
    case 'assign-api':
    case 'assign-apis':
      if (!binding) throw new Error('Link this Deployment to its API Management gateway first (Send Test Request or Tail Gateway Logs asks which one)');
      await vscode.commands.executeCommand(Commands.assignApis, { armId: binding.gatewayId });
      return { recheck: true };
    case 'open-logs':
      await vscode.commands.executeCommand(Commands.tailGatewayLogs, { followTarget: { context: target.context, namespace: target.namespace, pod: fix.pod } });
      return { recheck: false };
    case 'update-gateway': {
      const how = fix.via === 'arc-extension' && scope.extension
        ? `az k8s-extension update --cluster-type connectedClusters --cluster-name <cluster> --resource-group <rg> --name ${scope.extension.name} --configuration-settings image.tag=${fix.version}`
        : `kubectl --context ${target.context} -n ${target.namespace} set image deployment/${target.deployment} *=mcr.microsoft.com/azure-api-management/gateway:${fix.version}`;
      const choice = await vscode.window.showInformationMessage(`Update the gateway to ${fix.version}: ${how}`, 'Copy Command');
      if (choice) await vscode.env.clipboard.writeText(how);
      return { recheck: false };
    }
  }
}

export function healthDriver(scope: HealthScope): HealthDriver {
  return {
    check: (signal) => runCheck(scope, signal),
    applyFix: async (fix) => {
      try {
        return await applyHealthFix(scope, fix);
      } catch (error) {
        if (error instanceof vscode.CancellationError) throw error;
        throw new Error(`${fix.label}: ${safeErrorMessage(error)}`, { cause: error });
      }
    },
  };
}
