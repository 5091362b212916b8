import * as vscode from 'vscode';
import { configurationEndpoint } from '../azure/tokens.ts';
import { Commands } from '../constants.ts';
import { dockerEnvFile, dockerRunCommand, ENV_FILE } from '../manifests/docker.ts';
import { checkImageTag } from '../manifests/validation.ts';
import { existingGatewayPrompts, type ExistingGatewayChoice } from '../wizards/pickers.ts';
import { DEFAULT_IMAGE_TAG } from '../wizards/deployToKubernetesWizard.ts';
import { runWizard, type WizardDefinition } from '../wizards/wizard.ts';
import { dockerTarget } from './targets.ts';
import { defineCommand } from './types.ts';

const TITLE = 'Copy docker run Command';
const OPEN_ENV = `Open ${ENV_FILE}`;

interface DockerContext extends ExistingGatewayChoice {
  imageTag?: string;
  endpoint?: string;
}

/**
 * Copy docker run Command: the gateway on a Docker host. The command (to the clipboard) names an env file; the env
 * file's contents open separately with the token as a placeholder, so no token is ever on a command line.
 */
export const copyDockerRunCommand = defineCommand({
  id: Commands.copyDockerRunCommand,
  changes: [],
  target: ([arg]) => dockerTarget(arg),
  run: async (services, { gateway, service }) => {
    const azure = services.azure;
    const data = azure.data();
    const context: DockerContext = gateway ? { gatewayId: gateway.id, gatewayName: gateway.name, serviceId: gateway.service.id } : service ? { serviceId: service.id } : {};
    const wizard: WizardDefinition<DockerContext> = {
      title: TITLE,
      prompts: [
        ...existingGatewayPrompts<DockerContext>(data, azure.account, TITLE),
        {
          prompt: async (c, p, position) => {
            c.imageTag = await p.input({ id: 'imageTag', title: TITLE, prompt: 'Gateway image tag', value: DEFAULT_IMAGE_TAG, validate: checkImageTag, ...position });
          },
        },
      ],
      check: (c) => (!c.gatewayId ? 'No API Management gateway was chosen.' : checkImageTag(c.imageTag ?? '')),
      execute: [{
        title: 'Reading the configuration endpoint',
        execute: async (c, _progress, signal) => {
          const info = await data.getApimService(c.serviceId ?? '', { signal });
          c.endpoint = configurationEndpoint({ name: info.name, managementApiUrl: info.managementApiUrl });
        },
      }],
    };
    await runWizard(wizard, context, azure.prompter.get());
    const command = dockerRunCommand(context.gatewayName ?? '', context.imageTag ?? DEFAULT_IMAGE_TAG);
    await vscode.env.clipboard.writeText(command);
    services.log.info(`docker run command for ${context.gatewayName ?? ''} copied to the clipboard`);
    const choice = await vscode.window.showInformationMessage(
      `Copied: ${command}. It reads the settings and the token from ${ENV_FILE}, never from the command line.`, OPEN_ENV,
    );
    if (choice === OPEN_ENV) {
      const content = dockerEnvFile({ gatewayName: context.gatewayName ?? '', configurationEndpoint: context.endpoint ?? '', logFormat: 'text' });
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'properties', content }), { preview: false });
    }
    return command;
  },
});
