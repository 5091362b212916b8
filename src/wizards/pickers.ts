// The resource pickers the wizards share: when a command runs from the palette (no tree item), the target is chosen
// from every selected subscription at once — lists load in parallel while the picker shows its busy bar.
import type { AzureAccount } from '../azure/account.ts';
import type { AzureData } from '../azure/armService.ts';
import type { ApiInfo, ApimServiceInfo, ArcClusterInfo, GatewayInfo, Page, SubscriptionInfo } from '../azure/models.ts';
import type { PickItem, Prompter } from './prompter.ts';
import type { PromptStep } from './wizard.ts';

export interface Position {
  step: number;
  totalSteps: number;
}

/** Every page of a list. */
export async function listAll<T>(fetch: (next: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  do {
    const page = await fetch(next);
    items.push(...page.items);
    next = page.next;
  } while (next);
  return items;
}

/** The subscriptions the user chose to see (all when no choice was made). */
export async function selectedSubscriptions(data: AzureData, account: AzureAccount): Promise<SubscriptionInfo[]> {
  const all = await data.listSubscriptions();
  const selected = account.selectedSubscriptions();
  if (!selected) return all;
  const wanted = new Set(selected.map((s) => s.toLowerCase()));
  return all.filter((s) => wanted.has(s.subscriptionId.toLowerCase()));
}

async function acrossSubscriptions<T>(data: AzureData, account: AzureAccount, list: (subscriptionId: string) => Promise<T[]>): Promise<Array<{ item: T; subscription: SubscriptionInfo }>> {
  const subscriptions = await selectedSubscriptions(data, account);
  const lists = await Promise.all(subscriptions.map(async (subscription) => (await list(subscription.subscriptionId)).map((item) => ({ item, subscription }))));
  return lists.flat();
}

export function pickArcCluster(prompter: Prompter, data: AzureData, account: AzureAccount, title: string, position: Position): Promise<ArcClusterInfo> {
  const items = acrossSubscriptions(data, account, (s) => listAll((next) => data.listArcClusters(s, next))).then((found) =>
    found
      .sort((a, b) => a.item.name.localeCompare(b.item.name))
      .map(({ item, subscription }): PickItem<ArcClusterInfo> => ({
        label: item.name,
        description: `${item.resourceGroup} · ${subscription.displayName}`,
        detail: [item.connectivityStatus, item.kubernetesVersion ? `Kubernetes ${item.kubernetesVersion}` : undefined, item.distribution].filter(Boolean).join(' · '),
        value: item,
      })),
  );
  return prompter.pick({ id: 'cluster', title, placeholder: 'Azure Arc-enabled Kubernetes cluster', items, emptyMessage: 'No Azure Arc-enabled Kubernetes cluster in the selected subscriptions.', ...position });
}

export function pickApimService(prompter: Prompter, data: AzureData, account: AzureAccount, title: string, position: Position): Promise<ApimServiceInfo> {
  const items = acrossSubscriptions(data, account, (s) => listAll((next) => data.listApimServices(s, next))).then((found) =>
    found
      .sort((a, b) => a.item.name.localeCompare(b.item.name))
      .map(({ item, subscription }): PickItem<ApimServiceInfo> => ({
        label: item.name,
        description: `${item.resourceGroup} · ${subscription.displayName}`,
        detail: [item.sku, item.location].filter(Boolean).join(' · '),
        value: item,
      })),
  );
  return prompter.pick({ id: 'apimService', title, placeholder: 'API Management service', items, emptyMessage: 'No API Management service in the selected subscriptions.', ...position });
}

export const NEW_GATEWAY = Symbol('new gateway');

export function pickGateway(prompter: Prompter, data: AzureData, serviceId: string, title: string, position: Position, options: { allowNew: boolean; prefer?: string | undefined }): Promise<GatewayInfo | typeof NEW_GATEWAY> {
  const prefer = options.prefer?.toLowerCase();
  // A gateway named after the cluster (`rb-arc-aks` → `rb-arc-aks-gateway`, `rb-arc-aks-apimgw`) comes first.
  const matches = (g: GatewayInfo): boolean => prefer !== undefined && (g.name.toLowerCase().startsWith(prefer) || prefer.startsWith(g.name.toLowerCase()));
  const items = listAll((next) => data.listGateways(serviceId, next)).then((gateways) => {
    const picks: PickItem<GatewayInfo | typeof NEW_GATEWAY>[] = gateways
      .sort((a, b) => Number(matches(b)) - Number(matches(a)) || a.name.localeCompare(b.name))
      .map((g) => ({ label: g.name, description: [g.locationData?.name, matches(g) ? 'named after this cluster' : undefined].filter(Boolean).join(' · '), detail: g.description, value: g, picked: matches(g) }));
    // Last, never the default: pressing Enter through the wizard must not create a second gateway.
    if (options.allowNew) picks.push({ label: '$(add) Create a new self-hosted gateway…', value: NEW_GATEWAY });
    return picks;
  });
  return prompter.pick({ id: 'gateway', title, placeholder: 'Self-hosted gateway', items, emptyMessage: 'This API Management service has no self-hosted gateway yet: create one first.', ...position });
}

export function apiPickItems(apis: readonly ApiInfo[], picked: (api: ApiInfo) => boolean = () => false): PickItem<ApiInfo>[] {
  return apis.map((a) => ({ label: a.displayName, description: `/${a.path ?? ''} · ${a.protocols.join(', ')}`, detail: a.name, value: a, picked: picked(a) }));
}

/** What a wizard that acts on an existing gateway has chosen. */
export interface ExistingGatewayChoice {
  serviceId?: string;
  serviceName?: string;
  gatewayId?: string;
  gatewayName?: string;
}

/**
 * The two steps every wizard acting on an existing gateway starts with: the APIM service (skipped when the command
 * came from a service or gateway node) and the gateway (skipped when it came from a gateway node).
 */
export function existingGatewayPrompts<C extends ExistingGatewayChoice>(data: AzureData, account: AzureAccount, title: string): PromptStep<C>[] {
  return [
    {
      shouldPrompt: (c) => c.gatewayId === undefined && c.serviceId === undefined,
      prompt: async (c, p, position) => {
        const service = await pickApimService(p, data, account, title, position);
        c.serviceId = service.id;
        c.serviceName = service.name;
      },
    },
    {
      shouldPrompt: (c) => c.gatewayId === undefined,
      prompt: async (c, p, position) => {
        const gateway = await pickGateway(p, data, c.serviceId ?? '', title, position, { allowNew: false });
        if (gateway === NEW_GATEWAY) return;
        c.gatewayId = gateway.id;
        c.gatewayName = gateway.name;
      },
    },
  ];
}
