import * as vscode from 'vscode';
import { Commands } from '../constants.ts';
import { describeObject, deleteManifests, installedObjects } from '../kubernetes/apply.ts';
import { MANAGED_BY, objectNames } from '../manifests/gatewayManifests.ts';
import { kubectlDeleteCommand } from '../rotation/equivalents.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { InvalidInputError } from '../wizards/wizard.ts';
import { contextItems, pickGatewayDeployment } from './gatewayPicker.ts';
import { deploymentNodeTarget } from './targets.ts';
import { defineCommand } from './types.ts';

const TITLE = 'Uninstall Gateway from Kubernetes';

/**
 * Uninstall Gateway from Kubernetes…: deletes what "Deploy APIM Gateway to Kubernetes…" applied (Deployment, Service,
 * ConfigMap, Secret carrying its managed-by label), after a confirmation that lists what goes and what stays.
 */
export const uninstallGatewayFromKubernetes = defineCommand({
  id: Commands.uninstallGatewayFromKubernetes,
  changes: ['kubernetesUninstalled'],
  target: ([arg]) => deploymentNodeTarget(arg),
  run: async (services, node) => {
    let target: { context: string; namespace: string; deployment?: string | undefined } | undefined = node;
    if (!target) {
      const contexts = await contextItems(services);
      const choice = await vscode.window.showQuickPick(contexts, { title: TITLE, placeHolder: 'kubeconfig context' });
      if (!choice) throw new vscode.CancellationError();
      target = await pickGatewayDeployment(services, choice, TITLE);
    }
    if (!target?.deployment) throw new vscode.CancellationError();
    const { context, namespace } = target;
    const deployment = target.deployment;
    const client = await services.kubernetes.forContext(context);
    const signal = new AbortController().signal;
    const objects = await installedObjects(client, namespace, MANAGED_BY, objectNames(deployment), signal);
    if (!objects) {
      throw new InvalidInputError(`Deployment ${namespace}/${deployment} was not deployed by "Deploy APIM Gateway to Kubernetes…" (no app.kubernetes.io/managed-by=${MANAGED_BY}): remove it with the tool that installed it. Nothing was deleted.`);
    }
    const confirmed = await services.azure.prompter.get().confirm({
      id: 'uninstallFromKubernetes',
      message: `Uninstall gateway ${deployment} from ${context}?`,
      detail: `Deleted: ${objects.map(describeObject).join(', ')}.\nKept: namespace ${namespace} and everything else in it, and the gateway resource in API Management with its APIs (delete it with "Delete Gateway…").`,
      action: 'Uninstall',
    });
    if (!confirmed) return false;
    const equivalent = kubectlDeleteCommand(namespace, objects.map((o) => ({ kind: o.kind, name: o.metadata.name })));
    let deleted: string[];
    try {
      deleted = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: TITLE }, async (progress) => {
        progress.report({ message: `deleting ${objects.length} objects` });
        return deleteManifests(client, objects, signal);
      });
    } catch (error) {
      services.log.info(`$ ${equivalent}  → failed: ${safeErrorMessage(error)}`);
      // Some objects may be gone already: the tree reads the namespace again.
      services.changes.fire({ kind: 'kubernetesUninstalled', kube: { context, namespace, deployment } });
      throw error;
    }
    services.log.info(`$ ${equivalent}  → deleted ${deleted.join(', ')}`);
    services.changes.fire({ kind: 'kubernetesUninstalled', kube: { context, namespace, deployment } });
    void vscode.window.showInformationMessage(`Uninstalled ${deployment} from ${context}: deleted ${deleted.join(', ')}.`);
    return deleted;
  },
});
