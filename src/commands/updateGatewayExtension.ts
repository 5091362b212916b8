import * as vscode from 'vscode';
import { parseArcExtensionId } from '../azure/armIds.ts';
import { armIdOf } from '../azure/explorerItems.ts';
import { matchKubeContext } from '../azure/kubeContexts.ts';
import { Commands } from '../constants.ts';
import { updateExtensionWizard, type UpdateContext } from '../wizards/updateExtensionWizard.ts';
import { runWizard } from '../wizards/wizard.ts';
import { defineCommand } from './types.ts';

/**
 * Update Gateway Extension…: change an installed Arc gateway extension's settings in place (ARM PATCH), shown as a
 * diff first; the pods roll where the chart's pod template changed. Runs on the extension (or its deployment under
 * the APIM gateway); `preset` pre-answers the fields (the deploy wizard's "Update instead").
 */
export const updateGatewayExtension = defineCommand({
  id: Commands.updateGatewayExtension,
  changes: ['extensionUpdated'],
  target: ([arg, preset]) => ({ id: typeof arg === 'string' ? arg : armIdOf(arg), preset }),
  run: async (services, { id, preset }) => {
    const azure = services.azure;
    const ref = id ? parseArcExtensionId(id) : undefined;
    if (!ref?.ok) throw new Error(`Update Gateway Extension runs on an Arc gateway extension in the Gateways view${ref && !ref.ok ? `: ${ref.error}` : '.'}`);
    const data = azure.data();
    const extension = await data.getClusterExtension(ref.value.id);
    if (!extension) throw new Error(`The extension ${ref.value.name} no longer exists on ${ref.value.cluster.name}`);
    const summary = await services.kubeconfig.read();
    const kubeContext = summary.ok ? matchKubeContext(ref.value.cluster.name, summary.value.contexts, azure.records.kubeContextFor(ref.value.cluster.id)) : undefined;
    const context: UpdateContext = {
      extension,
      settings: {},
      ...(kubeContext && extension.namespace ? { kube: { context: kubeContext, namespace: extension.namespace, deployment: extension.name } } : {}),
    };
    if (preset && typeof preset === 'object' && Array.isArray((preset as { fields?: unknown }).fields)) context.fields = (preset as { fields: UpdateContext['fields'] }).fields;
    const record = (command: string, outcome: string): void => services.log.info(`$ ${command}  → ${outcome}`);
    try {
      await runWizard(updateExtensionWizard({ data, kube: services.kubernetes, record }), context, azure.prompter.get());
    } finally {
      // Once the PATCH was sent (ARM may have failed part-way, the pods may still be rolling), the tree reads it again.
      if (context.patching) services.changes.fire({ kind: 'extensionUpdated', extensionId: extension.id, ...(context.kube ? { kube: context.kube } : {}) });
    }
    void vscode.window.showInformationMessage(`${extension.name} updated (${context.updated?.provisioningState ?? '?'}): ${(context.diff ?? []).join('; ')}${context.rollout ? ` — ${context.rollout}` : ''}.`);
    return { diff: context.diff, provisioningState: context.updated?.provisioningState, rollout: context.rollout };
  },
});
