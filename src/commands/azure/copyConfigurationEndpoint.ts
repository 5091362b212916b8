import * as vscode from 'vscode';
import { configurationEndpoint } from '../../azure/tokens.ts';
import { Commands } from '../../constants.ts';
import { pickApimService } from '../../wizards/pickers.ts';
import { defineCommand } from '../types.ts';
import { armTarget } from '../targets.ts';

/** Copy Configuration Endpoint: the v2 `https://<apim>.configuration.<domain>` of a service (not a secret). */
export const copyConfigurationEndpoint = defineCommand({
  id: Commands.copyConfigurationEndpoint,
  changes: [],
  target: ([arg]) => armTarget(arg),
  run: async (services, item) => {
    const azure = services.azure;
    const data = azure.data();
    const target = item.service();
    const service = target
      ? await data.getApimService(target.id)
      : await pickApimService(azure.prompter.get(), data, azure.account, 'Copy Configuration Endpoint', { step: 1, totalSteps: 1 });
    const endpoint = configurationEndpoint(service);
    await vscode.env.clipboard.writeText(endpoint);
    void vscode.window.showInformationMessage(`Copied the configuration endpoint of ${service.name}: ${endpoint}`);
    return endpoint;
  },
});
