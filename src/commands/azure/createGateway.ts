import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import { createGatewayCommand } from '../../rotation/equivalents.ts';
import { createGatewayWizard, type CreateGatewayContext } from '../../wizards/createGatewayWizard.ts';
import { runWizard } from '../../wizards/wizard.ts';
import { defineCommand } from '../types.ts';
import { armTarget } from '../targets.ts';

/** Create Self-Hosted Gateway: from an APIM service (tree or Azure Resources explorer) or the palette. */
export const createGateway = defineCommand({
  id: Commands.createGateway,
  changes: ['gatewayCreated'],
  target: ([arg]) => armTarget(arg),
  run: async (services, item) => {
    const service = item.service();
    const azure = services.azure;
    const context: CreateGatewayContext = service ? { serviceId: service.id, serviceName: service.name } : {};
    await runWizard(createGatewayWizard(azure.data(), azure.account), context, azure.prompter.get());
    const created = context.created;
    if (!created) return undefined;
    services.log.info(`$ ${createGatewayCommand(created.id, { name: context.locationName ?? '', city: context.city, countryOrRegion: context.countryOrRegion }, context.description)}  → created`);
    services.changes.fire({ kind: 'gatewayCreated', gatewayId: created.id });
    void vscode.window.showInformationMessage(`Created self-hosted gateway ${created.name} in ${context.serviceName ?? created.serviceId}.`, 'Deploy to Arc Cluster…', 'Generate Token…').then((choice) => {
      if (choice === 'Deploy to Arc Cluster…') void vscode.commands.executeCommand(Commands.deployGatewayToArc, undefined, { gatewayId: created.id });
      else if (choice === 'Generate Token…') void vscode.commands.executeCommand(Commands.generateGatewayToken, { armId: created.id });
    });
    return created;
  },
});
