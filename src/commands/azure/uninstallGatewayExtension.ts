import * as vscode from 'vscode';
import { armIdOf } from '../../azure/explorerItems.ts';
import { Commands } from '../../constants.ts';
import { uninstallExtensionWizard, type UninstallContext } from '../../wizards/removeResources.ts';
import { uninstallCommand } from '../../rotation/equivalents.ts';
import { runWizard } from '../../wizards/wizard.ts';
import type { CommandDefinition } from '../types.ts';
import { clusterTarget, extensionTarget } from './targets.ts';

/** Uninstall Gateway Extension: run on the extension (or a cluster: then pick one of its gateway extensions). */
export const uninstallGatewayExtension: CommandDefinition = {
  id: Commands.uninstallGatewayExtension,
  run: async (services, arg) => {
    const azure = services.azure;
    const id = armIdOf(arg);
    const extension = id && /\/extensions\/[^/]+$/i.test(id) ? extensionTarget(arg) : undefined;
    const cluster = extension ? extension.cluster : clusterTarget(arg);
    const context: UninstallContext = extension ? { extensionId: extension.id, clusterId: cluster?.id, clusterName: cluster?.name } : cluster ? { clusterId: cluster.id, clusterName: cluster.name } : {};
    try {
      await runWizard(uninstallExtensionWizard(azure.data(), azure.account, azure.records), context, azure.prompter.get());
    } finally {
      if (context.confirmed && context.clusterId) {
        azure.refreshResources(context.clusterId);
        if (context.extension) services.log.info(`$ ${uninstallCommand(context.extension.id)}  → ${context.done ? 'uninstalled' : 'not finished'}`);
        // Both halves: the APIM gateway's deployment and the Kubernetes Deployment go with the extension.
        services.tree.refresh();
      }
    }
    if (context.done) void vscode.window.showInformationMessage(`Uninstalled ${context.extension?.name ?? 'the extension'} from ${context.clusterName ?? 'the cluster'}.`);
    return context.done === true;
  },
};
