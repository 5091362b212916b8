import * as vscode from 'vscode';
import { gatewayApisWizard, type GatewayApisContext } from '../../wizards/gatewayApisWizard.ts';
import { gatewayApiCommand } from '../../rotation/equivalents.ts';
import { runWizard } from '../../wizards/wizard.ts';
import type { CommandServices } from '../types.ts';
import type { ArmTarget } from '../targets.ts';

/** Shared by Assign APIs and Remove APIs: the target, the wizard, the change, the log and the message. */
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
    // After a failure part-way, what was done is logged and shown as much as what was not.
    if (context.done && context.gatewayId) {
      const done = new Set(context.done);
      for (const api of context.apis ?? []) services.log.info(`$ ${gatewayApiCommand(context.gatewayId, api, mode)}  → ${done.has(api) ? (mode === 'assign' ? 'assigned' : 'removed') : 'not done'}`);
      if (context.done.length > 0) services.changes.fire({ kind: mode === 'assign' ? 'apisAssigned' : 'apisRemoved', gatewayId: context.gatewayId, apis: [...context.done] });
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

