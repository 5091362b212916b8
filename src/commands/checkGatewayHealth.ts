import * as vscode from 'vscode';
import { parseApimGatewayId, parseArcExtensionId } from '../azure/armIds.ts';
import { matchKubeContext } from '../azure/kubeContexts.ts';
import type { ClusterExtensionInfo } from '../azure/models.ts';
import type { DeploymentRef, GatewayBinding } from '../azure/records.ts';
import { Commands } from '../constants.ts';
import { healthDriver } from '../healthCheck/controller.ts';
import type { HealthHandle } from '../panels/healthPanel.ts';
import { armGatewayFor } from './armGateway.ts';
import { armTarget, runningGatewayTarget, type RunningGatewayTarget } from './targets.ts';
import { azureChooseKubeContext } from './azure/chooseKubeContext.ts';
import { pickContext, pickGatewayDeployment } from './gatewayPicker.ts';
import { defineCommand, type CommandServices } from './types.ts';

const TITLE = 'Check Gateway Health';

interface Start {
  target?: DeploymentRef;
  binding?: GatewayBinding;
  extension?: ClusterExtensionInfo;
}

/**
 * "Check Gateway Health": every check of src/health for one gateway Deployment — from its node, an Arc gateway
 * extension, an APIM gateway (the Deployment known to run it) or the palette — in the Gateway Health view, with fixes.
 * Returns the view's handle (integration tests drive it).
 */
export const checkGatewayHealth = defineCommand({
  id: Commands.checkGatewayHealth,
  changes: [],
  target: ([arg]) => runningGatewayTarget(arg),
  run: async (services, arg) => {
    const start = await startOf(services, arg);
    const target = start.target ?? (await pickTarget(services));
    if (!target) return undefined;
    const key = `${target.context}/${target.namespace}/${target.deployment}`;
    const open = services.health.get(key);
    if (open) {
      open.reveal();
      void open.recheck();
      return open satisfies HealthHandle;
    }
    if (start.binding) await services.azure.records.setGatewayFor(target, start.binding);
    // Known or learnt without asking: a health check must not stop to ask which gateway this is.
    let binding = start.binding ?? (await armGatewayFor(services, services.azure.prompter.get(), target, { ask: false, title: TITLE }).catch(() => undefined));
    const panel = services.health.open({
      extensionUri: services.context.extensionUri,
      key,
      label: `Deployment ${target.namespace}/${target.deployment} (${target.context})`,
      title: `Health: ${target.deployment}`,
      log: services.log.child('health'),
      driver: healthDriver({
        services,
        target,
        binding: () => (binding ??= services.azure.records.gatewayFor(target)),
        ...(start.extension ? { extension: start.extension } : {}),
      }),
    });
    void panel.recheck();
    return panel satisfies HealthHandle;
  },
});

async function startOf(services: CommandServices, arg: RunningGatewayTarget): Promise<Start> {
  if (arg.kind === 'deployment') return { target: arg.deployment };
  if (arg.kind === 'palette') return {};
  const { id } = arg;
  const extension = parseArcExtensionId(id);
  if (extension.ok) return extensionStart(services, id, extension.value.cluster.id, extension.value.cluster.name);
  const gateway = parseApimGatewayId(id);
  if (gateway.ok) {
    const binding: GatewayBinding = { serviceId: gateway.value.service.id, gatewayId: gateway.value.id, gatewayName: gateway.value.name };
    const bound = services.azure.records.deploymentsBoundTo(binding.gatewayId);
    return bound.length === 1 ? { target: bound[0]!, binding } : { binding };
  }
  throw new Error(`${TITLE} needs a gateway Deployment, an API Management gateway or a gateway extension, not ${id}`);
}

/** The Deployment an Arc gateway extension installed: named after the extension, in its namespace. */
async function extensionStart(services: CommandServices, extensionId: string, clusterId: string, clusterName: string): Promise<Start> {
  const extension = await services.azure.data().getClusterExtension(extensionId);
  if (!extension?.namespace) throw new Error(`Extension ${extension?.name ?? extensionId} names no namespace.`);
  const summary = await services.kubeconfig.read();
  const matched = summary.ok ? matchKubeContext(clusterName, summary.value.contexts, services.azure.records.kubeContextFor(clusterId)) : undefined;
  const context = matched ?? ((await azureChooseKubeContext.run(services, armTarget(clusterId))) as string | undefined);
  if (!context) throw new vscode.CancellationError();
  return { target: { context, namespace: extension.namespace, deployment: extension.name }, extension };
}

async function pickTarget(services: CommandServices): Promise<DeploymentRef | undefined> {
  const choice = await pickContext(services, `${TITLE} (1/2): cluster context`);
  const picked = choice ? await pickGatewayDeployment(services, choice, `${TITLE} (2/2): gateway`) : undefined;
  return picked?.deployment !== undefined ? { context: picked.context, namespace: picked.namespace, deployment: picked.deployment } : undefined;
}
