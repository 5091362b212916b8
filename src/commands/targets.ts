// What a command was run on, as the ARM resource it needs: a tree item of ours, an Azure Resources explorer item, an
// id string — or nothing (palette), in which case the wizard asks. An argument that names the wrong kind of resource
// is refused with the reason, before anything is called.
import { parseApimGatewayId, parseApimServiceId, parseArcClusterId, parseArcExtensionId, type ApimGatewayRef, type ApimServiceRef, type ArcClusterRef, type ArcExtensionRef } from '../azure/armIds.ts';
import { armIdOf } from '../azure/explorerItems.ts';
import type { Result } from '../util/errors.ts';
import { InvalidInputError } from '../wizards/wizard.ts';

function target<T>(arg: unknown, parse: (id: string) => Result<T>): T | undefined {
  const id = armIdOf(arg);
  if (id === undefined) return undefined;
  const parsed = parse(id);
  if (!parsed.ok) throw new InvalidInputError(parsed.error);
  return parsed.value;
}

export const clusterTarget = (arg: unknown): ArcClusterRef | undefined => target(arg, parseArcClusterId);
export const extensionTarget = (arg: unknown): ArcExtensionRef | undefined => target(arg, parseArcExtensionId);
export const serviceTarget = (arg: unknown): ApimServiceRef | undefined => target(arg, parseApimServiceId);
export const gatewayTarget = (arg: unknown): ApimGatewayRef | undefined => target(arg, parseApimGatewayId);

/** The API a tree item stands for (`…/gateways/<g>/apis/<api>`), if it is one. */
export function apiNameOf(arg: unknown): string | undefined {
  const id = armIdOf(arg);
  return id ? /\/gateways\/[^/]+\/apis\/([^/]+)$/i.exec(id)?.[1] : undefined;
}
