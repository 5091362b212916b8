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
  target: ([arg]) => armTarget(arg),
  run: async (services, item) => {
    const azure = services.azure;
    const gateway = item.gateway();
    const service = gateway ? gateway.service : item.service();
    const context: DeleteGatewayContext = gateway ? { gatewayId: gateway.id, serviceId: service?.id, serviceName: service?.name } : service ? { serviceId: service.id, serviceName: service.name } : {};
    try {
      await runWizard(deleteGatewayWizard(azure.data(), azure.account, azure.records), context, azure.prompter.get());
    } finally {
      if (context.confirmed && context.serviceId) {
        azure.refreshResources(context.serviceId);
        if (context.gateway) services.log.info(`$ ${deleteGatewayCommand(context.gateway.id)}  → ${context.done ? 'deleted' : 'not finished'}`);
        services.tree.refresh();
      }
    }
    if (context.done) void vscode.window.showInformationMessage(`Deleted self-hosted gateway ${context.gateway?.name ?? ''}.`);
    return context.done === true;
  },
});
