// The Test Request side of the composition root: the diagnosis facts service every diagnosing place shares, and what
// the Test Request controller (src/requests/controller.ts) gets from the editor — questions, notices, the clipboard,
// the token wizard — so the controller itself stays free of `vscode`.
import * as vscode from 'vscode';
import { armGatewayFor } from '../commands/armGateway.ts';
import type { CommandServices } from '../commands/types.ts';
import { Commands } from '../constants.ts';
import type { Logger } from '../extensionLog.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import type { TestRequestDeps } from '../requests/controller.ts';
import { DiagnosisFactsService } from '../requests/diagnosisFacts.ts';
import type { AzureServices } from './azureServices.ts';

export function createDiagnosisFacts(kubernetes: KubernetesClients, azure: AzureServices, log: Logger): DiagnosisFactsService {
  return new DiagnosisFactsService({ kubernetes, arm: () => azure.facts, log: log.child('diagnosis') });
}

/** `services()` is the command services the binding question needs (built after this). */
export function createTestRequestDeps(kubernetes: KubernetesClients, azure: AzureServices, facts: DiagnosisFactsService, log: Logger, services: () => CommandServices): TestRequestDeps {
  return {
    kubernetes,
    facts,
    log,
    prompter: () => azure.prompter.get(),
    azure: {
      usable: () => azure.account.data().ok,
      data: () => azure.data(),
      facts: azure.facts,
      remember: (target, binding) => azure.records.setGatewayFor(target, binding),
    },
    changed: (change) => services().changes.fire(change),
    bindingFor: (target, options) => armGatewayFor(services(), azure.prompter.get(), target, options),
    ui: {
      notify: (message) => void vscode.window.showInformationMessage(message),
      copyToClipboard: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
      rotateToken: async (gateway, deployment) => {
        await vscode.commands.executeCommand(Commands.rotateGatewayToken, { gatewayId: gateway, ...deployment });
      },
      isCancellation: (error) => error instanceof vscode.CancellationError,
      cancellation: () => new vscode.CancellationError(),
    },
  };
}
