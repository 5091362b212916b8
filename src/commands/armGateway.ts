// Which APIM gateway a cluster Deployment runs: the link between the Kubernetes side (logs, requests) and the ARM
// side (APIs, protocols, keys) that diagnosis needs. Remembered per Deployment once known; learnt without asking
// from a deployment made by this extension (its Arc extension sits in that namespace on the cluster bound to that
// kubeconfig context); otherwise asked once, when the user started something that needs it.
import { parseApimGatewayId, parseArcExtensionId } from '../azure/armIds.ts';
import type { DeploymentRef, GatewayBinding } from '../azure/records.ts';
import { isGatewayExtensionType } from '../azure/gatewayExtension.ts';
import { findApimService, joinedGatewayId } from '../azure/gatewayJoin.ts';
import { matchKubeContext } from '../azure/kubeContexts.ts';
import type { ClusterExtensionInfo } from '../azure/models.ts';
import { joinOfExtension } from '../tree/extensionJoin.ts';
import { pickApimService, pickGateway, selectedSubscriptions } from '../wizards/pickers.ts';
import type { Prompter } from '../wizards/prompter.ts';
import type { CommandServices } from './types.ts';

export interface ArmGatewayOptions {
  /** Ask the user when it is not known (false: hovers and other places that must not prompt). */
  readonly ask: boolean;
  readonly title: string;
  readonly signal?: AbortSignal;
}

/**
 * Undefined when Azure is not set up; or, when not already known, not signed in, not asked, or the user said not now.
 */
export async function armGatewayFor(services: CommandServices, prompter: Prompter, ref: DeploymentRef, options: ArmGatewayOptions): Promise<GatewayBinding | undefined> {
  const { account, records } = services.azure;
  if (!account.data().ok) return undefined;
  // Known: no sign-in check here (with the Azure CLI credential that runs `az`, too slow for a hover); reading ARM
  // then fails if the user is signed out, and callers say so.
  const known = records.gatewayFor(ref);
  if (known) return known;
  if ((await account.signInState()).kind !== 'signedIn') return undefined;
  const learnt = await fromDeploymentRecords(services, ref, options.signal).catch((error: unknown) => {
    services.log.debug(`gateway of ${ref.deployment}: deployment records not usable (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  });
  const fromSettings = learnt ?? (await fromExtensionSettings(services, ref, options.signal).catch((error: unknown) => {
    services.log.debug(`gateway of ${ref.deployment}: extension settings not usable (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }));
  if (fromSettings) {
    await records.setGatewayFor(ref, fromSettings);
    return fromSettings;
  }
  if (!options.ask) return undefined;
  const source = await prompter.pick<'arm' | 'none'>({
    id: 'armGatewayBinding',
    title: options.title,
    placeholder: `Which API Management gateway does ${ref.deployment} (${ref.namespace}, ${ref.context}) run?`,
    emptyMessage: 'Nothing to pick',
    items: [
      { label: 'Pick its API Management service and gateway', detail: 'Remembered for this Deployment: APIs, protocols and keys then come from Azure', value: 'arm' },
      { label: 'Not now', detail: 'Type the path yourself; diagnosis works from the gateway’s logs only', value: 'none' },
    ],
  });
  if (source === 'none') return undefined;
  const data = services.azure.data();
  const apim = await pickApimService(prompter, data, account, options.title, { step: 1, totalSteps: 2 });
  const gateway = await pickGateway(prompter, data, apim.id, options.title, { step: 2, totalSteps: 2 }, { allowNew: false });
  if (typeof gateway === 'symbol') return undefined;
  const binding: GatewayBinding = { serviceId: apim.id, gatewayId: gateway.id, gatewayName: gateway.name };
  await records.setGatewayFor(ref, binding);
  return binding;
}

/**
 * The gateway the Arc extension behind this Deployment runs, as the Gateways tree joins them (src/tree/extensionJoin.ts:
 * the extension's endpoint setting names the service; the endpoint or the running token names the gateway) — so a
 * gateway installed anywhere (portal, az) is known without asking. The extension is the gateway extension in the
 * Deployment's namespace on an Arc cluster whose kubeconfig context is the Deployment's.
 */
async function fromExtensionSettings(services: CommandServices, ref: DeploymentRef, signal: AbortSignal | undefined): Promise<GatewayBinding | undefined> {
  const { account, records } = services.azure;
  const data = services.azure.data();
  const summary = await services.kubeconfig.read();
  if (!summary.ok) return undefined;
  const subscriptionIds = (await selectedSubscriptions(data, account)).map((s) => s.subscriptionId);
  const options = signal ? { signal } : undefined;
  const candidates: ClusterExtensionInfo[] = [];
  for (const subscriptionId of subscriptionIds) {
    let next: string | undefined;
    do {
      const page = await data.listArcClusters(subscriptionId, next, options);
      for (const cluster of page.items) {
        if (matchKubeContext(cluster.name, summary.value.contexts, records.kubeContextFor(cluster.id)) !== ref.context) continue;
        const extensions = await data.listClusterExtensions(cluster.id, options).catch(() => [] as ClusterExtensionInfo[]);
        candidates.push(...extensions.filter((e) => isGatewayExtensionType(e.extensionType) && e.namespace === ref.namespace));
      }
      next = page.next;
    } while (next);
  }
  // The chart names the Deployment after the extension (`<extension>` or `<extension>-azure-api-management-gateway`).
  const extension = onlyOne(candidates.filter((e) => ref.deployment === e.name || ref.deployment.startsWith(`${e.name}-`))) ?? onlyOne(candidates);
  if (!extension) return undefined;
  const tree = { account, records, kube: services.kubernetes, kubeconfig: services.kubeconfig, log: services.log, now: () => new Date(), redraw: () => undefined };
  const join = await joinOfExtension(tree, extension);
  if (!join.serviceName || !join.gatewayName) return undefined;
  const service = await findApimService(data, subscriptionIds, join.serviceName, signal);
  if (!service) return undefined;
  return { serviceId: service.id, gatewayId: joinedGatewayId(service, join.gatewayName), gatewayName: join.gatewayName };
}

function onlyOne<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

/** A gateway deployed from here as an Arc extension into this namespace of the cluster bound to this context. */
async function fromDeploymentRecords(services: CommandServices, ref: DeploymentRef, signal: AbortSignal | undefined): Promise<GatewayBinding | undefined> {
  const { records } = services.azure;
  const data = services.azure.data();
  const candidates: GatewayBinding[] = [];
  const seen = new Set<string>();
  for (const record of records.allDeployments()) {
    const ext = parseArcExtensionId(record.extensionId);
    const gateway = parseApimGatewayId(record.gatewayId);
    if (!ext.ok || !gateway.ok || seen.has(record.extensionId.toLowerCase())) continue;
    seen.add(record.extensionId.toLowerCase());
    if (records.kubeContextFor(ext.value.cluster.id) !== ref.context) continue;
    const extension = await data.getClusterExtension(record.extensionId, signal ? { signal } : undefined);
    if (extension?.namespace !== ref.namespace) continue;
    candidates.push({ serviceId: gateway.value.service.id, gatewayId: gateway.value.id, gatewayName: gateway.value.name });
  }
  // Two gateways deployed into one namespace is not something to guess between.
  return candidates.length === 1 ? candidates[0] : undefined;
}
