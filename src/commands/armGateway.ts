// Which APIM gateway a cluster Deployment runs: the link between the Kubernetes side (logs, requests) and the ARM
// side (APIs, protocols, keys) that diagnosis needs. Remembered per Deployment once known; learnt without asking
// from a deployment made by this extension (its Arc extension sits in that namespace on the cluster bound to that
// kubeconfig context); otherwise asked once, when the user started something that needs it.
import { parseApimGatewayId, parseArcExtensionId } from '../azure/armIds.ts';
import type { DeploymentRef, GatewayBinding } from '../azure/records.ts';
import { pickApimService, pickGateway } from '../wizards/pickers.ts';
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
  if (learnt) {
    await records.setGatewayFor(ref, learnt);
    return learnt;
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
