import * as vscode from 'vscode';
import { describeExpiry } from '../../azure/tokens.ts';
import { Commands } from '../../constants.ts';
import { generateTokenWizard, type GenerateTokenContext } from '../../wizards/generateTokenWizard.ts';
import { runWizard } from '../../wizards/wizard.ts';
import { defineCommand } from '../types.ts';
import { armTarget } from '../targets.ts';

/**
 * Generate Gateway Token: the token goes to the clipboard in the form gateway configurations expect
 * (`GatewayKey <token>`) and nowhere else — the message shows only its expiry.
 */
export const generateGatewayToken = defineCommand({
  id: Commands.generateGatewayToken,
  changes: [],
  target: ([arg]) => armTarget(arg),
  run: async (services, item) => {
    const gateway = item.gateway();
    const service = gateway ? undefined : item.service();
    const azure = services.azure;
    const context: GenerateTokenContext = gateway ? { gatewayId: gateway.id, gatewayName: gateway.name, serviceId: gateway.service.id } : service ? { serviceId: service.id } : {};
    await runWizard(generateTokenWizard(azure.data(), azure.account, azure.now), context, azure.prompter.get());
    const token = context.token;
    if (!token) return undefined;
    try {
      await vscode.env.clipboard.writeText(token.revealForGatewayConfig());
    } catch (error) {
      // The token is not shown as a fallback: a new one is a click away, a leaked one is not undone.
      throw new Error(`The token was generated but could not be copied to the clipboard (${error instanceof Error ? error.message : String(error)}); generate another one.`, { cause: error });
    }
    services.log.info(`gateway token for ${token.gatewayName} (${token.keyType} key) copied to the clipboard; expires ${token.expiry.toISOString()}`);
    void vscode.window.showInformationMessage(
      `Token for gateway ${token.gatewayName} (${token.keyType} key) copied to the clipboard as "GatewayKey …". It ${describeExpiry(token.expiry, azure.now())} (${token.expiry.toUTCString()}).`,
    );
    return { gatewayName: token.gatewayName, keyType: token.keyType, expiry: token.expiry };
  },
});
