import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import { deleteGatewayWizard, type DeleteGatewayContext } from '../../wizards/removeResources.ts';
import { deleteGatewayCommand } from '../../rotation/equivalents.ts';
import { runWizard } from '../../wizards/wizard.ts';
import { defineCommand } from '../types.ts';
import { armTarget } from '../targets.ts';

/** Delete Gateway: run on a self-hosted gateway (or a service: then pick one). */
export const deleteGateway = defineCommand({
  id: Commands.deleteGateway,
  changes: ['gatewayDeleted'],
  target: ([arg]) => armTarget(arg),
  run: async (services, item) => {
    const azure = services.azure;
    const gateway = item.gateway();
    const service = gateway ? gateway.service : item.service();
    const context: DeleteGatewayContext = gateway ? { gatewayId: gateway.id, serviceId: service?.id, serviceName: service?.name } : service ? { serviceId: service.id, serviceName: service.name } : {};
    try {
      await runWizard(deleteGatewayWizard(azure.data(), azure.account, azure.records), context, azure.prompter.get());
    } finally {
      if (context.confirmed && context.gateway) {
        services.log.info(`$ ${deleteGatewayCommand(context.gateway.id)}  → ${context.done ? 'deleted' : 'not finished'}`);
        // Even when ARM failed part-way the gateway may be gone: the tree reads it again either way.
        services.changes.fire({ kind: 'gatewayDeleted', gatewayId: context.gateway.id });
      }
    }
    if (context.done) void vscode.window.showInformationMessage(`Deleted self-hosted gateway ${context.gateway?.name ?? ''}.`);
    return context.done === true;
  },
});
