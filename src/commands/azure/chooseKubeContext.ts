import { Commands } from '../../constants.ts';
import { pickArcCluster } from '../../wizards/pickers.ts';
import { defineCommand } from '../types.ts';
import { armTarget } from '../targets.ts';

/**
 * Choose Kubernetes Context for Cluster…: which kubeconfig context reaches an Arc-enabled cluster (for its pods and
 * Service), when none is named like it. Remembered in globalState (the context's name only).
 */
export const azureChooseKubeContext = defineCommand({
  id: Commands.azureChooseKubeContext,
  changes: ['kubeContextChosen'],
  target: ([arg]) => armTarget(arg),
  run: async (services, item) => {
    const azure = services.azure;
    const prompter = azure.prompter.get();
    const title = 'Choose Kubernetes Context for Cluster';
    const target = item.cluster();
    const cluster = target ?? (await pickArcCluster(prompter, azure.data(), azure.account, title, { step: 1, totalSteps: 2 }));
    const summary = await services.kubeconfig.read();
    if (!summary.ok) throw new Error(summary.error);
    const remembered = azure.records.kubeContextFor(cluster.id);
    const context = await prompter.pick({
      id: 'kubeContext',
      title,
      placeholder: `kubeconfig context that reaches ${cluster.name}`,
      items: summary.value.contexts.map((c) => ({ label: c.name, description: `cluster ${c.cluster}${c.name === remembered ? ' · current choice' : ''}`, detail: c.file, value: c.name })),
      emptyMessage: `No context in ${services.kubeconfig.describe()}.`,
      ...(target ? {} : { step: 2, totalSteps: 2 }),
    });
    await azure.records.setKubeContext(cluster.id, context);
    services.changes.fire({ kind: 'kubeContextChosen', clusterId: cluster.id });
    return context;
  },
});
