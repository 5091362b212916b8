import * as vscode from 'vscode';
import { safeErrorMessage } from '../util/errors.ts';
import { checkGatewayHealth } from './checkGatewayHealth.ts';
import { openLogFile } from './openLogFile.ts';
import { openLogsInEditor } from './openLogsInEditor.ts';
import { refresh } from './refresh.ts';
import { rotateGatewayToken } from './rotateGatewayToken.ts';
import { updateGatewayExtension } from './updateGatewayExtension.ts';
import { sendTestRequest } from './sendTestRequest.ts';
import { showLog } from './showLog.ts';
import { tailGatewayLogs } from './tailGatewayLogs.ts';
import type { CommandServices, RegisteredCommand } from './types.ts';
import { assignApis } from './azure/assignApis.ts';
import { azureChooseKubeContext } from './azure/chooseKubeContext.ts';
import { copyConfigurationEndpoint } from './azure/copyConfigurationEndpoint.ts';
import { createGateway } from './azure/createGateway.ts';
import { deleteGateway } from './azure/deleteGateway.ts';
import { deployGatewayToArc } from './azure/deployGateway.ts';
import { generateGatewayToken } from './azure/generateToken.ts';
import { azureLoadMore } from './azure/loadMore.ts';
import { removeApis } from './azure/removeApis.ts';
import { azureSelectSubscriptions } from './azure/selectSubscriptions.ts';
import { azureSignIn } from './azure/signIn.ts';
import { azureTailArcGatewayLogs } from './azure/tailArcGatewayLogs.ts';
import { uninstallGatewayExtension } from './azure/uninstallGatewayExtension.ts';
import { copyDockerRunCommand } from './copyDockerRun.ts';
import { deployGatewayToKubernetes } from './deployToKubernetes.ts';
import { uninstallGatewayFromKubernetes } from './uninstallFromKubernetes.ts';

/** The one table of commands. package.json's contributes.commands must list exactly these ids (a test checks). */
export const commandTable: readonly RegisteredCommand[] = [
  showLog, refresh, tailGatewayLogs, openLogFile, openLogsInEditor, sendTestRequest,
  // Azure (src/commands/azure/)
  azureSignIn, azureSelectSubscriptions, azureLoadMore, azureChooseKubeContext, azureTailArcGatewayLogs,
  createGateway, generateGatewayToken, copyConfigurationEndpoint, deployGatewayToArc, assignApis, removeApis,
  uninstallGatewayExtension, deleteGateway,
  checkGatewayHealth,
  // Plain Kubernetes and Docker
  deployGatewayToKubernetes, uninstallGatewayFromKubernetes, copyDockerRunCommand,
  rotateGatewayToken, updateGatewayExtension,
];

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  return commandTable.map((command) =>
    vscode.commands.registerCommand(command.id, (...args: unknown[]) => runCommand(services, command, args)),
  );
}

/** Every command gets the same handling: logged, cancellation is quiet, any other failure is shown once. */
async function runCommand(services: CommandServices, command: RegisteredCommand, args: unknown[]): Promise<unknown> {
  const started = Date.now();
  services.log.debug(`${command.id} started`);
  try {
    const result = await command.invoke(services, args);
    services.log.debug(`${command.id} finished in ${Date.now() - started} ms`);
    return result;
  } catch (error) {
    if (error instanceof vscode.CancellationError) {
      services.log.info(`${command.id} cancelled`);
      return undefined;
    }
    services.log.error(`${command.id} failed`, error);
    void vscode.window.showErrorMessage(`Arc APIM Gateway: ${safeErrorMessage(error)}`, 'Show Log').then((choice) => {
      if (choice) services.output.show(true);
    });
    return undefined;
  }
}
