// What a command was run on, as the target it needs: a tree item of ours, an Azure Resources explorer item, an id
// string — or nothing (palette), in which case the command asks. An argument that names the wrong kind of resource is
// refused with the reason, before anything is called. ARM ids are parsed by src/azure/armIds.ts only.
import { gatewayApiName, parseApimGatewayId, parseApimGatewayItemId, parseApimServiceId, parseArcClusterId, parseArcExtensionId, type ApimGatewayRef, type ApimServiceRef, type ArcClusterRef, type ArcExtensionRef } from '../azure/armIds.ts';
import { armIdOf } from '../azure/explorerItems.ts';
import type { DeploymentRef, GatewayBinding } from '../azure/records.ts';
import type { TestRequestForm } from '../contract/testRequest.ts';
import type { FollowTarget } from '../logSessions/followSession.ts';
import { GatewayDeploymentNode, GatewayNamespaceNode } from '../tree/gatewayNodes.ts';
import type { TreeNode } from '../tree/items.ts';
import { KubeContextNode } from '../tree/kubernetesNodes.ts';
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
  return id ? gatewayApiName(id) : undefined;
}

/** Where Send Test Request was started: a Deployment (or one of its Services), an APIM gateway / API / operation, an APIM service, or nothing (palette). */
export type TestRequestTarget =
  | { readonly kind: 'deployment'; readonly target: DeploymentRef; readonly service?: string; readonly prefill: Partial<TestRequestForm> }
  | { readonly kind: 'gateway'; readonly binding: GatewayBinding; readonly prefill: Partial<TestRequestForm> }
  | { readonly kind: 'apimService'; readonly serviceId: string; readonly prefill: Partial<TestRequestForm> }
  | { readonly kind: 'palette'; readonly prefill: Partial<TestRequestForm> };

/**
 * Send Test Request's target from: our Deployment node (context, namespace, name) or Service node (its id ends in
 * `/deployment:<name>/service:<name>`), a plain DeploymentRef with an optional `form` (the logs view's "send again",
 * tests), an ARM id or item (our Azure tree, the Azure Resources explorer) of a gateway, API, operation or APIM service.
 */
export function testRequestTarget(arg: unknown): TestRequestTarget {
  if (typeof arg === 'string') return armTestRequestTarget(arg, {});
  if (typeof arg !== 'object' || arg === null) return { kind: 'palette', prefill: {} };
  const a = arg as { context?: unknown; namespace?: unknown; name?: unknown; service?: { namespace?: unknown; name?: unknown }; deployment?: unknown; id?: unknown; form?: unknown };
  const prefill = (typeof a.form === 'object' && a.form !== null ? a.form : {}) as Partial<TestRequestForm>;
  if (typeof a.context === 'string') {
    if (a.service && typeof a.service === 'object' && typeof a.service.namespace === 'string' && typeof a.service.name === 'string' && typeof a.id === 'string') {
      const m = /\/deployment:([^/]+)\/service:[^/]+$/.exec(a.id);
      if (m?.[1]) return { kind: 'deployment', target: { context: a.context, namespace: a.service.namespace, deployment: m[1] }, service: a.service.name, prefill: { ...prefill, service: a.service.name } };
    }
    if (typeof a.namespace === 'string' && typeof a.name === 'string') return { kind: 'deployment', target: { context: a.context, namespace: a.namespace, deployment: a.name }, prefill };
    if (typeof a.namespace === 'string' && typeof a.deployment === 'string') return { kind: 'deployment', target: { context: a.context, namespace: a.namespace, deployment: a.deployment }, prefill };
  }
  const armId = armIdOf(arg);
  return armId !== undefined ? armTestRequestTarget(armId, prefill) : { kind: 'palette', prefill };
}

function armTestRequestTarget(id: string, prefill: Partial<TestRequestForm>): TestRequestTarget {
  const item = parseApimGatewayItemId(id);
  if (item.ok) {
    const { gateway, api, operation } = item.value;
    return { kind: 'gateway', binding: { serviceId: gateway.service.id, gatewayId: gateway.id, gatewayName: gateway.name }, prefill: { ...(api ? { api } : {}), ...(operation ? { operation } : {}), ...prefill } };
  }
  const service = parseApimServiceId(id);
  return service.ok ? { kind: 'apimService', serviceId: service.value.id, prefill } : { kind: 'palette', prefill };
}

/** A gateway Deployment of the Kubernetes half: its tree node (`context`, `namespace`, `name`) or a reference (`deployment`). */
export function deploymentRefOf(arg: unknown): DeploymentRef | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { context?: unknown; namespace?: unknown; name?: unknown; deployment?: unknown };
  if (typeof a.context !== 'string' || typeof a.namespace !== 'string') return undefined;
  const deployment = typeof a.deployment === 'string' ? a.deployment : typeof a.name === 'string' ? a.name : undefined;
  return deployment ? { context: a.context, namespace: a.namespace, deployment } : undefined;
}

/**
 * Check Gateway Health's and Rotate Gateway Token's target: a gateway Deployment, else the ARM id an item or string
 * names (or the `gatewayId` of the expiry warning's and the diagnosis fix's argument), whose kind the command tells
 * apart (it takes an Arc gateway extension or an APIM gateway), else nothing (palette).
 */
export type RunningGatewayTarget =
  | { readonly kind: 'deployment'; readonly deployment: DeploymentRef }
  | { readonly kind: 'arm'; readonly id: string }
  | { readonly kind: 'palette' };

export function runningGatewayTarget(arg: unknown): RunningGatewayTarget {
  const deployment = deploymentRefOf(arg);
  if (deployment) return { kind: 'deployment', deployment };
  const hint = typeof arg === 'object' && arg !== null ? (arg as { gatewayId?: unknown }).gatewayId : undefined;
  const id = typeof hint === 'string' ? hint : armIdOf(arg);
  return id === undefined ? { kind: 'palette' } : { kind: 'arm', id };
}

/** Deploy APIM Gateway to Kubernetes…: a kubeconfig context or namespace of the tree, an APIM gateway, or nothing. */
export interface KubeDeployTarget {
  readonly kubeContext?: string;
  readonly namespace?: string;
  readonly gateway?: ApimGatewayRef;
}

export function kubeDeployTarget(arg: unknown): KubeDeployTarget {
  if (arg instanceof KubeContextNode) return { kubeContext: arg.contextName };
  if (arg instanceof GatewayNamespaceNode) return { kubeContext: arg.context, namespace: arg.namespace };
  const gateway = gatewayTarget(arg);
  return gateway ? { gateway } : {};
}

/** Copy docker run Command: an APIM gateway, else an APIM service (its gateway is asked), else nothing. */
export function dockerTarget(arg: unknown): { readonly gateway?: ApimGatewayRef; readonly service?: ApimServiceRef } {
  const gateway = gatewayTarget(arg);
  if (gateway) return { gateway };
  const service = serviceTarget(arg);
  return service ? { service } : {};
}

/** Uninstall Gateway from Kubernetes…: the gateway Deployment node it was run on, or nothing (it asks). */
export function deploymentNodeTarget(arg: unknown): DeploymentRef | undefined {
  return arg instanceof GatewayDeploymentNode ? { context: arg.context, namespace: arg.namespace, deployment: arg.name } : undefined;
}

/** No target: the command acts on everything, or asks. */
export const noTarget = (): undefined => undefined;

/**
 * An Azure command's target: the ARM resource a tree or explorer item (or an id string) names, read as the kind the
 * command asks for. Each reader refuses an id of the wrong kind with the reason (InvalidInputError); undefined when the
 * command was run without an item (palette).
 */
export interface ArmTarget {
  readonly id: string | undefined;
  cluster(): ArcClusterRef | undefined;
  extension(): ArcExtensionRef | undefined;
  service(): ApimServiceRef | undefined;
  gateway(): ApimGatewayRef | undefined;
  /** The API a tree item stands for (`…/gateways/<g>/apis/<api>`), if it is one. */
  apiName(): string | undefined;
}

export function armTarget(arg: unknown): ArmTarget {
  return {
    id: armIdOf(arg),
    cluster: () => clusterTarget(arg),
    extension: () => extensionTarget(arg),
    service: () => serviceTarget(arg),
    gateway: () => gatewayTarget(arg),
    apiName: () => apiNameOf(arg),
  };
}

/** Gateway log commands: a Deployment or pod node (its `followTarget`), or a FollowTarget itself (tests, other commands). */
export function followTargetOf(arg: unknown): FollowTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const candidate = 'followTarget' in arg ? (arg as { followTarget: unknown }).followTarget : arg;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const t = candidate as Partial<FollowTarget>;
  if (typeof t.context !== 'string' || typeof t.namespace !== 'string') return undefined;
  if (typeof t.deployment !== 'string' && typeof t.pod !== 'string' && typeof t.labelSelector !== 'string') return undefined;
  return candidate as FollowTarget;
}

/** A tree node (refresh from a node's inline action), or undefined (view title, palette). */
export function treeNodeOf(value: unknown): TreeNode | undefined {
  return typeof value === 'object' && value !== null && 'getTreeItem' in value ? (value as TreeNode) : undefined;
}
