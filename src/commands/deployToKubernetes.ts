import * as vscode from 'vscode';
import { Commands } from '../constants.ts';
import { deployToKubernetesWizard, type KubeDeployContext } from '../wizards/deployToKubernetesWizard.ts';
import { reviewAndApply } from '../wizards/reviewAndApply.ts';
import { runWizard } from '../wizards/wizard.ts';
import { kubeDeployTarget } from './targets.ts';
import { defineCommand } from './types.ts';

/**
 * Deploy APIM Gateway to Kubernetes…: run on a kubeconfig context or a namespace of the Gateways tree, on an APIM
 * gateway, or from the palette. The wizard asks what the target did not say, the manifests open for review, and
 * Apply sends them with server-side apply (field manager arc-apim-gateway).
 */
export const deployGatewayToKubernetes = defineCommand({
  id: Commands.deployGatewayToKubernetes,
  changes: ['kubernetesDeployed'],
  target: ([arg]) => kubeDeployTarget(arg),
  run: async (services, { kubeContext, namespace, gateway }) => {
    const azure = services.azure;
    const context: KubeDeployContext = {};
    if (kubeContext !== undefined) Object.assign(context, { kubeContext, ...(namespace !== undefined ? { namespace } : {}) });
    if (gateway) Object.assign(context, { gatewayId: gateway.id, gatewayName: gateway.name, serviceId: gateway.service.id, serviceName: gateway.service.name });
    const data = azure.data();
    const wizard = deployToKubernetesWizard({
      data,
      account: azure.account,
      kubeconfig: async () => {
        const summary = await services.kubeconfig.read();
        if (!summary.ok) throw new Error(summary.error);
        return summary.value;
      },
      client: (name) => services.kubernetes.forContext(name),
    });
    await runWizard(wizard, context, azure.prompter.get());
    let outcome;
    try {
      outcome = await reviewAndApply({ data, kubernetes: services.kubernetes, log: services.log, now: azure.now }, context);
      // Test requests and diagnosis on this Deployment know its APIM gateway without asking.
      if (outcome) {
        await azure.records.setGatewayFor(
          { context: context.kubeContext ?? '', namespace: context.namespace ?? '', deployment: context.name ?? '' },
          { serviceId: context.serviceId ?? '', gatewayId: context.gatewayId ?? '', gatewayName: context.gatewayName ?? '' },
        );
      }
    } finally {
      // Applied, or refused part-way (some objects may be in): the tree reads the namespace again.
      if (context.applying) {
        services.changes.fire({
          kind: 'kubernetesDeployed',
          kube: { context: context.kubeContext ?? '', namespace: context.namespace ?? '', deployment: context.name ?? '' },
          ...(context.gatewayId ? { gatewayId: context.gatewayId } : {}),
        });
      }
    }
    if (!outcome) return undefined;
    void vscode.window.showInformationMessage(
      `Gateway ${context.gatewayName ?? ''} deployed to ${context.kubeContext ?? ''} as ${context.name ?? ''} in namespace ${context.namespace ?? ''}: ${outcome.pods}.`,
    );
    return { applied: outcome.applied, pods: outcome.pods };
  },
});
