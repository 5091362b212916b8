import * as vscode from 'vscode';
import type { DeploymentRef, GatewayBinding } from '../azure/records.ts';
import { Commands } from '../constants.ts';
import { discoverGateways } from '../kubernetes/discovery.ts';
import type { TestRequestHandle } from '../panels/testRequestPanel.ts';
import { openTestRequest, TEST_REQUEST_TITLE as TITLE, testRequestKey, type TestRequestStart } from '../requests/controller.ts';
import { defaultForm } from '../requests/form.ts';
import { pickGateway } from '../wizards/pickers.ts';
import type { Prompter } from '../wizards/prompter.ts';
import { onlyChoice } from './gatewayPicker.ts';
import { testRequestTarget, type TestRequestTarget } from './targets.ts';
import { defineCommand, type CommandServices } from './types.ts';

/**
 * "Send Test Request": opens (or shows) the Test Request view of a gateway Deployment — from its Deployment or Service
 * node, an APIM gateway, API or service node (ours or the Azure Resources explorer's), or the palette (context →
 * gateway). The view's controller (src/requests/controller.ts) does the rest. Returns the view's handle (tests drive it).
 */
export const sendTestRequest = defineCommand({
  id: Commands.sendTestRequest,
  changes: [],
  target: ([arg]) => testRequestTarget(arg),
  run: async (services, target): Promise<TestRequestHandle> => {
    const prompter = services.azure.prompter.get();
    const start = await resolve(services, prompter, target);
    const open = services.testRequests.get(testRequestKey(start.target));
    if (open) {
      if (Object.keys(start.prefill).length) open.setForm(defaultForm(open.context, { ...open.form, ...start.prefill }));
      open.reveal();
      return open;
    }
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${TITLE}: reading ${start.target.deployment}…`, cancellable: true }, async (_progress, token) => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      try {
        const controller = await openTestRequest(services.testRequestDeps, start, abort.signal);
        return services.testRequests.open({ extensionUri: services.context.extensionUri, controller, log: services.log.child('testRequest') });
      } finally {
        listener.dispose();
      }
    });
  },
});

/** The Deployment to test, and the APIM gateway it runs when the start says so. */
async function resolve(services: CommandServices, prompter: Prompter, target: TestRequestTarget): Promise<TestRequestStart> {
  if (target.kind === 'deployment') return { target: target.target, ...(target.service ? { service: target.service } : {}), prefill: target.prefill };
  let binding: GatewayBinding | undefined = target.kind === 'gateway' ? target.binding : undefined;
  if (target.kind === 'apimService') {
    // An API Management service (our tree or the Azure Resources explorer): which of its gateways.
    const gateway = await pickGateway(prompter, services.azure.data(), target.serviceId, TITLE, { step: 1, totalSteps: 1 }, { allowNew: false });
    if (typeof gateway !== 'symbol') binding = { serviceId: gateway.serviceId, gatewayId: gateway.id, gatewayName: gateway.name };
  }
  // The one Deployment known to run this APIM gateway, if exactly one is; else asked.
  const bound = binding ? services.azure.records.deploymentsBoundTo(binding.gatewayId) : [];
  const deployment = bound.length === 1 && bound[0] ? bound[0] : await pickTarget(services, prompter);
  return { target: deployment, ...(binding ? { binding } : {}), prefill: target.prefill };
}

async function pickTarget(services: CommandServices, prompter: Prompter): Promise<DeploymentRef> {
  const summary = await services.kubeconfig.read();
  if (!summary.ok) throw new Error(summary.error);
  // Only one context, or one gateway Deployment in it: nothing to ask (gatewayPicker.ts does the same for the others).
  const context =
    onlyChoice(summary.value.contexts) ??
    (await prompter.pick({
      id: 'kubeContext',
      title: TITLE,
      placeholder: 'The kubeconfig context of the cluster the gateway runs in',
      emptyMessage: `No contexts in the kubeconfig (${services.kubeconfig.describe()})`,
      items: summary.value.contexts.map((c) => ({ label: c.name, description: c.name === summary.value.currentContext ? 'current' : c.cluster, value: c })),
    }));
  const client = await services.kubernetes.forContext(context.name);
  const items = await discoverGateways(client, context.namespace).then((found) =>
    [...found.byNamespace.values()].flat().map((g) => ({ label: g.name, description: g.namespace, value: { context: context.name, namespace: g.namespace, deployment: g.name } })),
  );
  return onlyChoice(items)?.value ?? prompter.pick({ id: 'gatewayDeployment', title: TITLE, placeholder: `Gateway Deployments in ${context.name}`, emptyMessage: `No gateway Deployment in ${context.name}`, items });
}
