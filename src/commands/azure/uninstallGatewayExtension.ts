import * as vscode from 'vscode';
import { namesExtension } from '../../azure/armIds.ts';
import { Commands } from '../../constants.ts';
import { uninstallExtensionWizard, type UninstallContext } from '../../wizards/removeResources.ts';
import { uninstallCommand } from '../../rotation/equivalents.ts';
import { runWizard } from '../../wizards/wizard.ts';
import { defineCommand } from '../types.ts';
import { armTarget } from '../targets.ts';

/** Uninstall Gateway Extension: run on the extension (or a cluster: then pick one of its gateway extensions). */
export const uninstallGatewayExtension = defineCommand({
  id: Commands.uninstallGatewayExtension,
  changes: ['extensionUninstalled'],
  target: ([arg]) => armTarget(arg),
  run: async (services, item) => {
    const azure = services.azure;
    const id = item.id;
    const extension = id && namesExtension(id) ? item.extension() : undefined;
    const cluster = extension ? extension.cluster : item.cluster();
    const context: UninstallContext = extension ? { extensionId: extension.id, clusterId: cluster?.id, clusterName: cluster?.name } : cluster ? { clusterId: cluster.id, clusterName: cluster.name } : {};
    try {
      await runWizard(uninstallExtensionWizard(azure.data(), azure.account, azure.records), context, azure.prompter.get());
    } finally {
      if (context.confirmed && context.extension) {
        services.log.info(`$ ${uninstallCommand(context.extension.id)}  → ${context.done ? 'uninstalled' : 'not finished'}`);
        // Both halves: the APIM gateway's deployment and the Kubernetes Deployment go with the extension (the
        // extension's state is read again after a failure too).
        services.changes.fire({ kind: 'extensionUninstalled', extensionId: context.extension.id });
      }
    }
    if (context.done) void vscode.window.showInformationMessage(`Uninstalled ${context.extension?.name ?? 'the extension'} from ${context.clusterName ?? 'the cluster'}.`);
    return context.done === true;
  },
});
