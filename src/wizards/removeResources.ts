// "Uninstall Gateway Extension" and "Delete Gateway": destructive, so each ends its questions with a modal dialog that
// names what will be lost, read fresh from ARM. Deleting a gateway sends If-Match with the ETag read for that dialog:
// a gateway changed in the meantime (by someone else, by the portal) is not deleted.
import type { AzureAccount } from '../azure/account.ts';
import { armErrorStatus, type AzureData } from '../azure/armService.ts';
import { isGatewayExtensionType } from '../azure/gatewayExtension.ts';
import type { ApiInfo, ClusterExtensionInfo, GatewayInfo } from '../azure/models.ts';
import type { AzureRecords } from '../azure/records.ts';
import { parseArcExtensionId } from '../azure/armIds.ts';
import { existingGatewayPrompts, pickArcCluster } from './pickers.ts';
import type { PickItem } from './prompter.ts';
import { type WizardDefinition } from './wizard.ts';
import * as vscode from 'vscode';

export interface UninstallContext {
  clusterId?: string;
  clusterName?: string;
  extensionId?: string;
  extension?: ClusterExtensionInfo;
  confirmed?: boolean;
  done?: boolean;
}

export function uninstallExtensionWizard(data: AzureData, account: AzureAccount, records: AzureRecords): WizardDefinition<UninstallContext> {
  const title = 'Uninstall Gateway Extension';
  return {
    title,
    prompts: [
      {
        shouldPrompt: (c) => c.extensionId === undefined && c.clusterId === undefined,
        prompt: async (c, p, position) => {
          const cluster = await pickArcCluster(p, data, account, title, position);
          c.clusterId = cluster.id;
          c.clusterName = cluster.name;
        },
      },
      {
        shouldPrompt: (c) => c.extensionId === undefined,
        prompt: async (c, p, position) => {
          const items = data.listClusterExtensions(c.clusterId ?? '').then((list) =>
            list
              .filter((e) => isGatewayExtensionType(e.extensionType))
              .map((e): PickItem<ClusterExtensionInfo> => ({ label: e.name, description: [e.provisioningState, e.namespace].filter(Boolean).join(' · '), value: e })),
          );
          const extension = await p.pick({ id: 'extension', title, placeholder: 'Gateway extension to uninstall', items, emptyMessage: `No API Management gateway extension on ${c.clusterName ?? 'this cluster'}.`, ...position });
          c.extensionId = extension.id;
        },
      },
      {
        prompt: async (c, p) => {
          const extension = await data.getClusterExtension(c.extensionId ?? '');
          const ref = parseArcExtensionId(c.extensionId ?? '');
          const name = ref.ok ? ref.value.name : (c.extensionId ?? '');
          const cluster = ref.ok ? ref.value.cluster.name : (c.clusterName ?? 'the cluster');
          if (!extension) throw new Error(`Extension ${name} no longer exists on ${cluster}.`);
          c.extension = extension;
          const gateway = records.deploymentOfExtension(extension.id)?.gatewayId.split('/').pop();
          c.confirmed = await p.confirm({
            id: 'confirmUninstall',
            message: `Uninstall ${extension.name} from ${cluster}?`,
            detail:
              `Deleted in namespace ${extension.namespace ?? '?'}: the gateway's Deployment and pods, its Service, ConfigMap and Secret (with its token). Requests through this gateway stop.\n\n` +
              `Kept: the namespace, and ${gateway ? `the self-hosted gateway ${gateway}` : 'the self-hosted gateway resource'} in API Management with its API assignments.`,
            action: 'Uninstall',
          });
          if (!c.confirmed) throw new vscode.CancellationError();
        },
      },
    ],
    check: (c) => (!c.extensionId ? 'No extension was chosen.' : c.confirmed ? undefined : 'The uninstall was not confirmed.'),
    execute: [
      {
        title: 'Uninstalling the extension',
        execute: async (c, progress, signal) => {
          await data.uninstallClusterExtension(c.extensionId ?? '', { signal, onStatus: (s) => progress.report(`ARM ${s}`) });
          await records.forgetExtension(c.extensionId ?? '');
          c.done = true;
        },
      },
    ],
  };
}

export interface DeleteGatewayContext {
  serviceId?: string;
  serviceName?: string;
  gatewayId?: string;
  gateway?: GatewayInfo;
  confirmed?: boolean;
  done?: boolean;
}

export function deleteGatewayWizard(data: AzureData, account: AzureAccount, records: AzureRecords): WizardDefinition<DeleteGatewayContext> {
  const title = 'Delete Gateway';
  return {
    title,
    prompts: [
      ...existingGatewayPrompts<DeleteGatewayContext>(data, account, title),
      {
        prompt: async (c, p) => {
          const [gateway, apis] = await Promise.all([data.getGateway(c.gatewayId ?? ''), data.listGatewayApis(c.gatewayId ?? '').catch((): ApiInfo[] => [])]);
          if (!gateway) throw new Error(`Gateway ${c.gatewayId?.split('/').pop() ?? ''} no longer exists.`);
          c.gateway = gateway;
          const deployments = records.deploymentsOf(gateway.id).map((r) => {
            const ref = parseArcExtensionId(r.extensionId);
            return ref.ok ? `${ref.value.name} on ${ref.value.cluster.name}` : r.extensionId;
          });
          c.confirmed = await p.confirm({
            id: 'confirmDelete',
            message: `Delete self-hosted gateway ${gateway.name}${c.serviceName ? ` from ${c.serviceName}` : ''}?`,
            detail:
              `Lost: the gateway resource, its keys and every token made from them, ${apis.length === 0 ? 'no API assignment' : `its assignment of ${apis.length} API${apis.length === 1 ? '' : 's'} (${apis.map((a) => a.name).join(', ')})`}, and its hostname configurations.\n\n` +
              (deployments.length > 0
                ? `Deployed from here to: ${deployments.join(', ')}. Those gateways keep serving their last configuration until restarted, then fail; uninstall them too.`
                : 'Gateways deployed with its tokens keep serving their last configuration until restarted, then fail.'),
            action: 'Delete',
          });
          if (!c.confirmed) throw new vscode.CancellationError();
        },
      },
    ],
    check: (c) => (!c.gateway ? 'No gateway was chosen.' : !c.gateway.etag ? 'The gateway was read without an ETag; refresh and try again.' : c.confirmed ? undefined : 'The delete was not confirmed.'),
    execute: [
      {
        title: 'Deleting the gateway',
        execute: async (c, _progress, signal) => {
          try {
            await data.deleteGateway(c.gateway?.id ?? '', c.gateway?.etag ?? '', { signal });
          } catch (error) {
            if (armErrorStatus(error) === 412) {
              throw new Error(`Gateway ${c.gateway?.name ?? ''} changed after it was shown to you; nothing was deleted. Look at it again and retry.`, { cause: error });
            }
            throw error;
          }
          await records.forgetGateway(c.gateway?.id ?? '');
          c.done = true;
        },
      },
    ],
  };
}
