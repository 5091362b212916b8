import * as vscode from 'vscode';
import { apimGatewayId, arcExtensionId, parseApimGatewayId, parseArcClusterId } from '../../azure/armIds.ts';
import { matchKubeContext } from '../../azure/kubeContexts.ts';
import { watchReleasePods } from '../../azure/podProgress.ts';
import { describeExpiry } from '../../azure/tokens.ts';
import { Commands } from '../../constants.ts';
import { deployGatewayWizard, UpdateInsteadError, type DeployContext } from '../../wizards/deployGatewayWizard.ts';
import { runWizard } from '../../wizards/wizard.ts';
import { armTarget } from '../targets.ts';
import { defineCommand, type CommandServices } from '../types.ts';

/**
 * Deploy Gateway to Arc Cluster: run on an Arc cluster (our tree or the Azure Resources explorer), on a gateway, or
 * from the palette. Afterwards the extension is revealed in the Gateways tree with its pods coming up.
 */
export const deployGatewayToArc = defineCommand({
  id: Commands.deployGatewayToArc,
  changes: ['extensionDeployed', 'gatewayCreated'],
  // The second argument: one of our presets (`{ gatewayId }`), or the explorer's multi-selection array (ignored).
  target: ([arg, preset]) => ({ item: armTarget(arg), preset }),
  run: async (services, { item, preset }) => {
    const azure = services.azure;
    const context: DeployContext = {};
    const id = item.id;
    if (id) {
      const gateway = parseApimGatewayId(id);
      if (gateway.ok) {
        Object.assign(context, { gatewayId: gateway.value.id, gatewayName: gateway.value.name, serviceId: gateway.value.service.id, serviceName: gateway.value.service.name });
      } else {
        const cluster = parseArcClusterId(id);
        if (!cluster.ok) throw new Error(`Deploy Gateway to Arc Cluster runs on an Arc-enabled cluster or a self-hosted gateway: ${cluster.error}`);
        Object.assign(context, { clusterId: cluster.value.id, clusterName: cluster.value.name });
      }
    }
    // A second argument that is one of our presets (not the explorer's multi-selection array).
    if (preset && typeof preset === 'object' && !Array.isArray(preset) && typeof (preset as { gatewayId?: unknown }).gatewayId === 'string') {
      const gateway = parseApimGatewayId((preset as { gatewayId: string }).gatewayId);
      if (gateway.ok) Object.assign(context, { gatewayId: gateway.value.id, gatewayName: gateway.value.name, serviceId: gateway.value.service.id, serviceName: gateway.value.service.name });
    }

    const data = azure.data();
    const wizard = deployGatewayWizard({
      data,
      account: azure.account,
      now: azure.now,
      copy: async (text) => {
        await vscode.env.clipboard.writeText(text);
        void vscode.window.showInformationMessage('Copied the equivalent az k8s-extension create command (the token is written <token>).');
      },
      watchPods: (clusterId, clusterName, namespace, release, report) => podWatch(services, clusterId, clusterName, namespace, release, report),
      recorded: async (c) => {
        if (!c.clusterId || !c.extensionName || !c.tokenExpiry) return;
        await azure.records.recordDeployment({
          gatewayId: c.gatewayId ?? apimGatewayId({ id: c.serviceId ?? '' }, c.gatewayName ?? ''),
          extensionId: arcExtensionId({ id: c.clusterId }, c.extensionName),
          tokenExpiry: c.tokenExpiry.toISOString(),
          keyType: 'primary',
          deployedAt: azure.now().toISOString(),
        });
      },
    });
    try {
      await runWizard(wizard, context, azure.prompter.get());
    } catch (error) {
      if (error instanceof UpdateInsteadError) return vscode.commands.executeCommand(Commands.updateGatewayExtension, error.extensionId);
      if (error instanceof vscode.CancellationError && context.tokenExpiry) {
        // Cancelling stops our waiting, not ARM: the extension may still be installing.
        void vscode.window.showInformationMessage(`Stopped waiting. ARM goes on with ${context.extensionName ?? 'the extension'} on ${context.clusterName ?? 'the cluster'}; its state shows in the Gateways view.`);
      }
      throw error;
    } finally {
      if (context.equivalentCommand) services.log.info(`$ ${context.equivalentCommand}  → ${context.extension?.provisioningState ?? 'not finished'}`);
      // Success or failure, the cluster's extensions and the gateway's deployments changed (or may have).
      if (context.tokenExpiry && context.clusterId && context.extensionName) {
        services.changes.fire({
          kind: 'extensionDeployed',
          extensionId: arcExtensionId({ id: context.clusterId }, context.extensionName),
          ...(context.gatewayId ? { gatewayId: context.gatewayId } : {}),
        });
      } else if (context.gatewayCreated && context.gatewayId) {
        // Only the new gateway came to be (the install never started).
        services.changes.fire({ kind: 'gatewayCreated', gatewayId: context.gatewayId });
      }
    }
    const extension = context.extension;
    if (!extension || !context.clusterId) return undefined;
    services.log.info(`installed ${extension.name} (${extension.provisioningState ?? '?'}) on ${context.clusterName ?? context.clusterId}; token ${describeExpiry(context.tokenExpiry ?? azure.now(), azure.now())}`);
    await rememberBinding(services, context);
    await revealExtension(services, context.clusterId, extension.id);
    void vscode.window.showInformationMessage(
      `Gateway ${context.gatewayName ?? ''} deployed to ${context.clusterName ?? ''} as ${extension.name} in namespace ${context.namespace ?? ''} (${extension.provisioningState ?? 'unknown'}). Its token ${describeExpiry(context.tokenExpiry ?? azure.now(), azure.now())}.`,
    );
    return extension;
  },
});

/** Pods of the release, watched through the kubeconfig context that plays the cluster (if one is known). */
async function podWatch(services: CommandServices, clusterId: string, clusterName: string, namespace: string, release: string, report: (text: string) => void): Promise<{ dispose(): unknown } | undefined> {
  const summary = await services.kubeconfig.read();
  if (!summary.ok) return undefined;
  const context = matchKubeContext(clusterName, summary.value.contexts, services.azure.records.kubeContextFor(clusterId));
  if (!context) return undefined;
  return watchReleasePods(services.kubernetes, context, namespace, release, (text) => report(text));
}

/** The chart's Deployment is named after the release: test requests and diagnosis on it need not ask its APIM gateway. */
async function rememberBinding(services: CommandServices, c: DeployContext): Promise<void> {
  const summary = await services.kubeconfig.read();
  if (!summary.ok || !c.clusterId || !c.clusterName || !c.gatewayId || !c.serviceId) return;
  const kubeContext = matchKubeContext(c.clusterName, summary.value.contexts, services.azure.records.kubeContextFor(c.clusterId));
  if (!kubeContext) return;
  await services.azure.records.setGatewayFor(
    { context: kubeContext, namespace: c.namespace ?? '', deployment: c.extensionName ?? '' },
    { serviceId: c.serviceId, gatewayId: c.gatewayId, gatewayName: c.gatewayName ?? '' },
  );
}

async function revealExtension(services: CommandServices, clusterId: string, extensionId: string): Promise<void> {
  const ref = parseArcClusterId(clusterId);
  if (!ref.ok) return;
  try {
    const found = await services.azure.root.locateExtension(clusterId, ref.value.subscriptionId, extensionId);
    if (!found) return;
    // The cluster node was reloaded by locate; the view must ask for its children again.
    services.tree.redraw(found.cluster);
    if (found.extension) await services.azure.reveal(found.extension, { expand: true, select: true, focus: false });
  } catch (error) {
    services.log.debug(`revealing ${extensionId}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
