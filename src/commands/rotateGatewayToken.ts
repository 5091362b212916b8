import * as vscode from 'vscode';
import { parseArcExtensionId } from '../azure/armIds.ts';
import type { ChangeOf } from '../changes.ts';
import { Commands } from '../constants.ts';
import { describeTokenExpiry } from '../diagnosis/expiry.ts';
import { regenerateKeyCommand } from '../rotation/equivalents.ts';
import { candidateForDeployment, candidateForExtension, candidatesForGateway, type ResolveDeps } from '../rotation/resolve.ts';
import { rotateTokenWizard, ROTATE_TITLE, type RotateContext } from '../wizards/rotateTokenWizard.ts';
import { selectedSubscriptions } from '../wizards/pickers.ts';
import { runWizard } from '../wizards/wizard.ts';
import { gatewayTarget, runningGatewayTarget } from './targets.ts';
import { defineCommand, type CommandServices } from './types.ts';

/**
 * Rotate Gateway Token…: a new token written where the running gateway reads it, the pods rolled without an outage,
 * and the result verified from the cluster. From an APIM gateway, an Arc extension, a gateway Deployment, the expiry
 * warning, the diagnosis fix, or the palette.
 */
export const rotateGatewayToken = defineCommand({
  id: Commands.rotateGatewayToken,
  // A Deployment (tree node or reference), or an Arc extension or APIM gateway (ARM id, item, gatewayId): told apart below.
  changes: ['tokenRotated'],
  target: ([arg]) => runningGatewayTarget(arg),
  run: async (services, arg) => {
    const azure = services.azure;
    const data = azure.data();
    const deps = await resolveDeps(services);
    const context: RotateContext = {};
    const kube = arg.kind === 'deployment' ? arg.deployment : undefined;
    const id = arg.kind === 'arm' ? arg.id : undefined;
    const parsedExtension = id ? parseArcExtensionId(id) : undefined;
    const extension = parsedExtension?.ok ? parsedExtension.value : undefined;
    // Anything else must name a gateway (a wrong kind of resource is refused with the rule, before any call).
    const gateway = kube || extension || id === undefined ? undefined : gatewayTarget(id);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Finding where the gateway token lives…' }, async () => {
      if (kube) context.candidate = await candidateForDeployment(deps, kube);
      else if (extension) {
        const info = await data.getClusterExtension(extension.id);
        if (!info) throw new Error(`The extension ${extension.name} no longer exists on ${extension.cluster.name}`);
        context.candidate = await candidateForExtension(deps, info);
      } else if (gateway) {
        Object.assign(context, { gatewayId: gateway.id, gatewayName: gateway.name, serviceId: gateway.service.id, serviceName: gateway.service.name });
        const found = await candidatesForGateway(deps, gateway.id);
        if (found.length === 1) context.candidate = found[0];
        else context.candidates = found;
      }
    });
    if (context.candidate?.gatewayId && !context.gatewayId) Object.assign(context, { gatewayId: context.candidate.gatewayId, gatewayName: context.candidate.gatewayName });
    const record = (command: string, outcome: string): void => services.log.info(`$ ${command}  → ${outcome}`);
    try {
      await runWizard(rotateTokenWizard({ data, account: azure.account, kube: services.kubernetes, now: azure.now, record, candidatesFor: (id) => candidatesForGateway(deps, id) }), context, azure.prompter.get());
      const done = context.outcome;
      const store = context.candidate?.store;
      // The gateway node shows the recorded expiry: recorded before the tree hears of the change.
      if (done && store?.kind === 'arc' && context.gatewayId) {
        await azure.records.recordDeployment({ gatewayId: context.gatewayId, extensionId: store.extensionId, tokenExpiry: done.expiry.toISOString(), keyType: done.keyType, deployedAt: azure.now().toISOString() });
      }
    } finally {
      // Once writing started, something may have changed even when a step failed.
      if (context.writing) services.changes.fire(rotatedChange(context));
    }
    const outcome = context.outcome;
    if (!outcome) return undefined;
    const candidate = context.candidate!;
    const expiry = describeTokenExpiry(outcome.expiry, azure.now());
    services.log.info(`rotated the token of ${context.gatewayName ?? '?'} on ${candidate.label} in ${(outcome.elapsedMs / 1000).toFixed(1)} s; the new one ${expiry}${outcome.problems.length ? `; problems: ${outcome.problems.join(' ')}` : ''}`);
    if (outcome.problems.length > 0) {
      void vscode.window.showWarningMessage(`The token of ${context.gatewayName ?? 'the gateway'} was replaced, but: ${outcome.problems.join(' ')}${outcome.recovery ? ` ${outcome.recovery}` : ''}`, 'Show Log').then((c) => c && services.output.show(true));
      return outcome;
    }
    // Not awaited: the command is done; the offer stays until the user answers or dismisses it.
    void offerRegenerate(services, context, expiry).catch((error: unknown) => {
      services.log.error('regenerating the other key failed', error);
      void vscode.window.showErrorMessage(`Regenerating the key failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return outcome;
  },
});

async function offerRegenerate(services: CommandServices, context: RotateContext, expiry: string): Promise<void> {
  const outcome = context.outcome!;
  const other = outcome.keyType === 'primary' ? 'secondary' : 'primary';
  const action = `Regenerate ${other} key…`;
  const choice = await vscode.window.showInformationMessage(
    `${context.candidate?.label ?? 'The gateway'} now runs a ${outcome.keyType}-key token that ${expiry}; ${outcome.sync?.detail ?? ''}`, action,
  );
  if (choice !== action || !context.gatewayId) return;
  const ok = await services.azure.prompter.get().confirm({
    id: 'regenerateKey',
    message: `Regenerate the ${other} key of gateway ${context.gatewayName ?? ''}?`,
    detail: `Every token made from the ${other} key stops working at once — including tokens other deployments of this gateway may still run, and any token you copied earlier. Tokens from the ${outcome.keyType} key (the one just deployed) are not affected.`,
    action: 'Regenerate',
  });
  if (!ok) return;
  await services.azure.data().regenerateGatewayKey(context.gatewayId, other);
  services.log.info(`$ ${regenerateKeyCommand(context.gatewayId, other)}  → regenerated`);
  void vscode.window.showInformationMessage(`The ${other} key of ${context.gatewayName ?? 'the gateway'} was regenerated: tokens made from it no longer work.`);
}

function rotatedChange(context: RotateContext): ChangeOf<'tokenRotated'> {
  const store = context.candidate?.store;
  const kube = context.candidate?.kube;
  return {
    kind: 'tokenRotated',
    ...(context.gatewayId ? { gatewayId: context.gatewayId } : {}),
    ...(store?.kind === 'arc' ? { extensionId: store.extensionId } : {}),
    ...(kube ? { kube: { context: kube.context, namespace: kube.namespace, deployment: kube.deployment } } : {}),
  };
}

async function resolveDeps(services: CommandServices): Promise<ResolveDeps> {
  const summary = await services.kubeconfig.read();
  const azure = services.azure;
  return {
    data: azure.data(),
    records: azure.records,
    kube: services.kubernetes,
    contexts: summary.ok ? summary.value.contexts : [],
    subscriptionIds: async () => (await selectedSubscriptions(azure.data(), azure.account)).map((s) => s.subscriptionId),
  };
}

export const ROTATE_COMMAND_TITLE = `${ROTATE_TITLE}…`;
