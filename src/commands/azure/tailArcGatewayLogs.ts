import * as vscode from 'vscode';
import { parseArcExtensionId } from '../../azure/armIds.ts';
import { isGatewayExtensionType } from '../../azure/gatewayExtension.ts';
import { matchKubeContext } from '../../azure/kubeContexts.ts';
import { Commands } from '../../constants.ts';
import { pickArcCluster } from '../../wizards/pickers.ts';
import { defineCommand } from '../types.ts';
import { azureChooseKubeContext } from './chooseKubeContext.ts';
import { armTarget } from '../targets.ts';

/**
 * Tail Gateway Logs for an Arc-enabled cluster (or one of its gateway extensions): finds the gateway extension and
 * the kubeconfig context that reaches the cluster (asking once when none is named like it), then hands the
 * Deployment to "Tail Gateway Logs".
 */
export const azureTailArcGatewayLogs = defineCommand({
  id: Commands.azureTailArcGatewayLogs,
  changes: [],
  target: ([arg]) => armTarget(arg),
  run: async (services, item) => {
    const azure = services.azure;
    const prompter = azure.prompter.get();
    const title = 'Tail Gateway Logs';
    const data = azure.data();
    const cluster = item.cluster() ?? (await pickArcCluster(prompter, data, azure.account, title, { step: 1, totalSteps: 2 }));
    const id = item.id;
    const named = id ? parseArcExtensionId(id) : undefined;
    const extensions = (await data.listClusterExtensions(cluster.id)).filter((e) => isGatewayExtensionType(e.extensionType) && (!named?.ok || e.name === named.value.name));
    const extension =
      extensions.length === 1
        ? extensions[0]
        : await prompter.pick({ id: 'extension', title, placeholder: 'Gateway extension', items: extensions.map((e) => ({ label: e.name, description: e.namespace, value: e })), emptyMessage: `No API Management gateway extension on ${cluster.name}.` });
    if (!extension?.namespace) throw new Error(`Extension ${extension?.name ?? ''} names no namespace.`);
    const summary = await services.kubeconfig.read();
    const matched = summary.ok ? matchKubeContext(cluster.name, summary.value.contexts, azure.records.kubeContextFor(cluster.id)) : undefined;
    const context = matched ?? ((await azureChooseKubeContext.run(services, armTarget({ armId: cluster.id }))) as string | undefined);
    if (!context) return undefined;
    return vscode.commands.executeCommand(Commands.tailGatewayLogs, { followTarget: { context, namespace: extension.namespace, deployment: extension.name } });
  },
});
