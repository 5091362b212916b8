// What the resource-provider modules share: the world, paging size, the extension operation engine, and ARM's own
// lookups (subscription, resource group) that run before any provider sees a request.
import type { KubeApiServer } from '../k8s/server.ts';
import type { AzureSubscription } from '../world/model.ts';
import type { World } from '../world/world.ts';
import type { ExtensionEngine } from './extensions.ts';
import { ArmError } from './http.ts';

export interface ArmContext {
  readonly world: World;
  /** Items per page of every list (ARM's are larger; small pages make clients prove they follow nextLink). */
  readonly pageSize: () => number;
  readonly extensions: ExtensionEngine;
  /** The Kubernetes emulator that plays one Arc cluster, when attached. */
  readonly kube: KubeApiServer | undefined;
  /** Lower-cased resource id of the Arc cluster the Kubernetes emulator plays. */
  readonly kubeClusterId: string | undefined;
}

export function findSubscription(world: World, subscriptionId: string): AzureSubscription | undefined {
  for (const s of world.azureSubscriptions.values()) if (s.subscriptionId.toLowerCase() === subscriptionId.toLowerCase()) return s;
  return undefined;
}

export function requireSubscription(world: World, subscriptionId: string): AzureSubscription {
  const subscription = findSubscription(world, subscriptionId);
  if (!subscription) {
    // ARM answers a malformed id differently from an unknown one; both are 404s the SDKs surface as RestError.
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(subscriptionId);
    throw uuid
      ? new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`)
      : new ArmError(400, 'InvalidSubscriptionId', `The provided subscription identifier '${subscriptionId}' is malformed or invalid.`);
  }
  return subscription;
}

/**
 * The world has no resource-group entity: a group exists when something in it does, keyed with the case it was
 * created with (ARM returns the stored case whatever the request used).
 */
export function resourceGroupsOf(world: World, subscriptionId: string): Map<string, { name: string; location: string }> {
  const groups = new Map<string, { name: string; location: string }>();
  const sub = subscriptionId.toLowerCase();
  for (const c of world.arcClusters.values()) {
    if (c.subscriptionId.toLowerCase() === sub && !groups.has(c.resourceGroup.toLowerCase())) groups.set(c.resourceGroup.toLowerCase(), { name: c.resourceGroup, location: c.location });
  }
  for (const s of world.services.values()) {
    if (s.subscriptionId.toLowerCase() === sub && !groups.has(s.resourceGroup.toLowerCase())) groups.set(s.resourceGroup.toLowerCase(), { name: s.resourceGroup, location: s.location });
  }
  return groups;
}

export function requireResourceGroup(world: World, subscriptionId: string, resourceGroup: string): { name: string; location: string } {
  const group = resourceGroupsOf(world, subscriptionId).get(resourceGroup.toLowerCase());
  if (!group) throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
  return group;
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
