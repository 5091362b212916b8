import * as vscode from 'vscode';
import { gatewayApisWizard, type GatewayApisContext } from '../../wizards/gatewayApisWizard.ts';
import { gatewayApiCommand } from '../../rotation/equivalents.ts';
import { runWizard } from '../../wizards/wizard.ts';
import type { CommandServices } from '../types.ts';
import type { ArmTarget } from '../targets.ts';

/** Shared by Assign APIs and Remove APIs: the target, the wizard, the refresh and the message. */
export async function runGatewayApis(services: CommandServices, item: ArmTarget, mode: 'assign' | 'remove'): Promise<string[] | undefined> {
  const azure = services.azure;
  const gateway = item.gateway();
  const service = gateway ? undefined : item.service();
  const context: GatewayApisContext = gateway
    ? { gatewayId: gateway.id, gatewayName: gateway.name, serviceId: gateway.service.id, ...(item.apiName() ? { preselected: item.apiName() } : {}) }
    : service
      ? { serviceId: service.id }
      : {};
  try {
    await runWizard(gatewayApisWizard(azure.data(), azure.account, mode), context, azure.prompter.get());
  } finally {
    if (context.done && context.done.length > 0 && context.gatewayId) {
      azure.refreshResources(context.gatewayId);
      for (const api of context.done) services.log.info(`$ ${gatewayApiCommand(context.gatewayId, api, mode)}  → ${mode === 'assign' ? 'assigned' : 'removed'}`);
    }
  }
  const done = context.done ?? [];
  void vscode.window.showInformationMessage(
    mode === 'assign'
      ? `Assigned ${done.join(', ')} to gateway ${context.gatewayName ?? ''}. The gateway picks it up at its next configuration poll (about 10 s).`
      : `Removed ${done.join(', ')} from gateway ${context.gatewayName ?? ''}.`,
  );
  return done;
}

