// The gateway on a Docker host (self-hosted-gateway-deploy-docker): a `docker run` command that names an env file,
// and the env file's contents with the token as a placeholder. The token never goes on a command line, where shell
// history and `ps` would keep it. Pure: no `vscode`, no Node built-ins.
import { GATEWAY_IMAGE_REPOSITORY, TOKEN_PLACEHOLDER, type LogFormat } from './gatewayManifests.ts';

export const ENV_FILE = 'env.conf';

/** A container name Docker accepts: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
export function dockerContainerName(gatewayName: string): string {
  const cleaned = gatewayName.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '');
  return cleaned || 'apim-gateway';
}

export function dockerRunCommand(gatewayName: string, imageTag: string): string {
  return `docker run -d -p 80:8080 -p 443:8081 --name ${dockerContainerName(gatewayName)} --env-file ${ENV_FILE} ${GATEWAY_IMAGE_REPOSITORY}:${imageTag}`;
}

export function dockerEnvFile(options: { gatewayName: string; configurationEndpoint: string; logFormat: LogFormat }): string {
  return [
    `# ${ENV_FILE} for the self-hosted gateway ${options.gatewayName}. Replace ${TOKEN_PLACEHOLDER} with a token from "Generate Gateway Token…";`,
    '# keep this file private: it holds the gateway token.',
    `config.service.endpoint=${options.configurationEndpoint}`,
    `config.service.auth=GatewayKey ${TOKEN_PLACEHOLDER}`,
    `gateway.name=${options.gatewayName}`,
    `telemetry.logs.std=${options.logFormat}`,
    'runtime.deployment.artifact.source=Arc APIM Gateway for VS Code',
    'runtime.deployment.mechanism=EnvFile',
    'runtime.deployment.orchestrator.type=Docker',
    '',
  ].join('\n');
}
