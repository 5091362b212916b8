// The Kubernetes side of the Gateways tree below a kubeconfig context: namespaces that hold gateways → gateway
// Deployments → their pods (live) and the Services in front of them. contextValues are listed in README.md.
import * as vscode from 'vscode';
import { ContextValues } from '../constants.ts';
import type { KubeContextClient, KubernetesClients } from '../kubernetes/client.ts';
import { describeClusterError, discoverGateways } from '../kubernetes/discovery.ts';
import {
  describeGatewayDeployment,
  servicesForDeployment,
  summarizePod,
  type GatewayDeploymentInfo,
  type GatewayServiceInfo,
  type PodSummary,
} from '../kubernetes/gateways.ts';
import { ListWatch } from '../kubernetes/listWatch.ts';
import { deploymentSelector } from '../kubernetes/selectors.ts';
import type { KubeDeployment, KubePod } from '../kubernetes/types.ts';
import type { Logger } from '../extensionLog.ts';
import type { FollowTarget } from '../logSessions/followSession.ts';
import { Disposable } from '../util/disposable.ts';
import { safeErrorMessage } from '../util/errors.ts';
import type { TokenExpiryWatch } from '../rotation/expiryWatch.ts';
import { MessageNode, type TreeNode } from './items.ts';
import { gatewayImageText } from './descriptions.ts';
import { deploymentTooltip } from './tooltips.ts';
import { collectionPaths, listDeployments, listServices } from '../kubernetes/resources.ts';

/** What Kubernetes nodes need from the tree: cluster access and a way to redraw themselves when a watch reports. */
export interface KubernetesTreeContext {
  readonly kube: KubernetesClients;
  redraw(node: TreeNode): void;
  readonly log: Logger;
  /** Gateway health, when checked (key `context/namespace/deployment`): the badge, and re-checks when pods change. */
  readonly health?: HealthBadges;
  /** The running tokens' expiries (src/rotation/expiryWatch.ts); absent in tests that do not need it. */
  readonly expiry?: TokenExpiryWatch;
}

export interface HealthBadges {
  /** The last check's outcome, and who to redraw when it changes. */
  badge(key: string, redraw: () => void): { overall: string; problems: number } | undefined;
  podsChanged(key: string): void;
}

/** Children of a kubeconfig context: its gateways, grouped by namespace. */
export async function gatewayNamespaces(tree: KubernetesTreeContext, parentId: string, context: string, defaultNamespace: string | undefined): Promise<TreeNode[]> {
  let client: KubeContextClient;
  let found;
  try {
    client = await tree.kube.forContext(context);
    found = await discoverGateways(client, defaultNamespace);
  } catch (error) {
    tree.log.warn(`listing gateways in ${context} failed: ${safeErrorMessage(error)}`);
    return [new MessageNode(parentId, safeErrorMessage(describeClusterError(context, error)), 'error')];
  }
  const nodes: TreeNode[] = [];
  if (found.onlyNamespace) {
    nodes.push(new MessageNode(parentId, `Listing every namespace is not allowed; showing namespace ${found.onlyNamespace}`, 'info'));
  }
  if (found.byNamespace.size === 0) {
    nodes.push(new MessageNode(parentId, 'No API Management gateway found (image azure-api-management/gateway or its Helm chart)', 'empty'));
    return nodes;
  }
  for (const [namespace, gateways] of found.byNamespace) {
    nodes.push(new GatewayNamespaceNode(tree, client, parentId, context, namespace, gateways));
  }
  return nodes;
}

/** A namespace that holds at least one gateway. */
export class GatewayNamespaceNode implements TreeNode {
  readonly id: string;
  readonly context: string;
  readonly namespace: string;
  private readonly tree: KubernetesTreeContext;
  private readonly client: KubeContextClient;
  private gateways: GatewayDeploymentInfo[] | undefined;

  constructor(tree: KubernetesTreeContext, client: KubeContextClient, parentId: string, context: string, namespace: string, gateways: GatewayDeploymentInfo[]) {
    this.tree = tree;
    this.client = client;
    this.context = context;
    this.namespace = namespace;
    this.gateways = gateways;
    this.id = `${parentId}/ns:${namespace}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.namespace, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.contextValue = ContextValues.gatewayNamespace;
    item.iconPath = new vscode.ThemeIcon('symbol-namespace');
    const count = this.gateways?.length;
    item.description = count === undefined ? 'namespace' : `namespace · ${count} gateway${count === 1 ? '' : 's'}`;
    item.tooltip = `Namespace ${this.namespace} in ${this.context}`;
    return item;
  }

  invalidate(): void {
    this.gateways = undefined;
  }

  /** `namespace/name` of the gateways this node was made with. */
  gatewayKeys(): string[] {
    return (this.gateways ?? []).map((g) => `${this.namespace}/${g.name}`);
  }

  async getChildren(): Promise<TreeNode[]> {
    if (!this.gateways) {
      try {
        this.gateways = (await listDeployments(this.client, this.namespace)).map(describeGatewayDeployment).filter((g): g is GatewayDeploymentInfo => g !== undefined);
      } catch (error) {
        return [new MessageNode(this.id, describeClusterError(this.context, error), 'error')];
      }
    }
    if (this.gateways.length === 0) return [new MessageNode(this.id, 'No gateway in this namespace any more', 'empty')];
    return this.gateways.map((g) => new GatewayDeploymentNode(this.tree, this.client, this.id, this.context, g));
  }
}

/**
 * A gateway Deployment. While expanded it watches its own status and its pods, so replica counts and pod states are
 * live; the watches stop when it is collapsed or leaves the tree.
 */
export class GatewayDeploymentNode implements TreeNode {
  readonly id: string;
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
  /** For "Tail Gateway Logs" and other commands run on this node. */
  readonly followTarget: FollowTarget;
  private info: GatewayDeploymentInfo;
  private readonly tree: KubernetesTreeContext;
  private readonly client: KubeContextClient;
  private live: LiveDeployment | undefined;

  constructor(tree: KubernetesTreeContext, client: KubeContextClient, parentId: string, context: string, info: GatewayDeploymentInfo) {
    this.tree = tree;
    this.client = client;
    this.context = context;
    this.namespace = info.namespace;
    this.name = info.name;
    this.info = info;
    this.id = `${parentId}/deployment:${info.name}`;
    this.followTarget = { context, namespace: info.namespace, deployment: info.name };
  }

  get gateway(): GatewayDeploymentInfo {
    return this.live?.info ?? this.info;
  }

  private get healthKey(): string {
    return `${this.context}/${this.namespace}/${this.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const g = this.gateway;
    const item = new vscode.TreeItem(g.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.gatewayDeployment;
    const healthy = g.ready >= g.desired && g.desired > 0;
    item.iconPath = new vscode.ThemeIcon(
      'server-process',
      g.desired === 0 ? new vscode.ThemeColor('disabledForeground') : healthy ? new vscode.ThemeColor('testing.iconPassed') : new vscode.ThemeColor('testing.iconQueued'),
    );
    const health = this.tree.health?.badge(this.healthKey, () => this.tree.redraw(this));
    const badge = health ? ` · ${health.overall === 'healthy' ? '✓ healthy' : health.overall === 'unknown' ? 'health not known' : `✗ ${health.overall}${health.problems > 0 ? ` (${health.problems})` : ''}`}` : '';
    // The running token's expiry, read from the cluster in the background; the node redraws when it arrives.
    const key = { context: this.context, namespace: this.namespace, deployment: this.name };
    this.tree.expiry?.refresh(this.client, key, () => this.tree.redraw(this));
    const expiry = this.tree.expiry?.label(key);
    item.description = `${g.ready}/${g.desired} ready${g.tag ? ` · ${gatewayImageText(g.tag)}` : ''}${expiry ? ` · ${expiry}` : ''}${badge}`;
    // Names, image and release come from the cluster: escaped by deploymentTooltip, no theme icons.
    item.tooltip = new vscode.MarkdownString(deploymentTooltip(g, this.context));
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    if (!this.live) {
      const live = new LiveDeployment(this.client, this.namespace, this.name, () => {
        this.tree.redraw(this);
        this.tree.health?.podsChanged(this.healthKey);
      }, this.tree.log);
      this.live = live;
      try {
        await live.start();
      } catch (error) {
        live.dispose();
        this.live = undefined;
        return [new MessageNode(this.id, describeClusterError(this.context, error), 'error')];
      }
    }
    const live = this.live;
    if (!live.deployment) return [new MessageNode(this.id, 'The Deployment no longer exists', 'empty')];
    const nodes: TreeNode[] = live.pods().map((pod) => new GatewayPodNode(this.id, this.context, this.namespace, this.name, summarizePod(pod)));
    if (nodes.length === 0) nodes.push(new MessageNode(this.id, 'No pods', 'empty'));
    if (live.servicesError) nodes.push(new MessageNode(this.id, `Services: ${live.servicesError}`, 'error'));
    for (const service of live.services) nodes.push(new GatewayServiceNode(this.id, this.context, service));
    return nodes;
  }

  invalidate(): void {
    this.stop();
    // A refresh (after a rotation, or the title-bar Refresh) reads the running token again.
    this.tree.expiry?.forget({ context: this.context, namespace: this.namespace, deployment: this.name });
  }

  collapsed(): void {
    this.stop();
  }

  dispose(): void {
    this.stop();
  }

  private stop(): void {
    this.live?.dispose();
    this.live = undefined;
  }
}

/** The watched state behind an expanded Deployment node. */
class LiveDeployment extends Disposable {
  deployment: KubeDeployment | undefined;
  services: GatewayServiceInfo[] = [];
  servicesError: string | undefined;
  private readonly podsByName = new Map<string, KubePod>();
  private readonly client: KubeContextClient;
  private readonly namespace: string;
  private readonly name: string;
  private readonly changed: () => void;
  private readonly log: Logger;
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: KubeContextClient, namespace: string, name: string, changed: () => void, log: Logger) {
    super();
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.changed = changed;
    this.log = log;
    this.register({ dispose: () => this.redrawTimer !== undefined && clearTimeout(this.redrawTimer) });
  }

  get info(): GatewayDeploymentInfo | undefined {
    return this.deployment ? describeGatewayDeployment(this.deployment) : undefined;
  }

  pods(): KubePod[] {
    return [...this.podsByName.values()].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  }

  async start(): Promise<void> {
    const deployments = this.register(
      new ListWatch<KubeDeployment>(this.client, collectionPaths.deployments(this.namespace), { fieldSelector: `metadata.name=${this.name}` }, {
        replace: (items) => {
          this.deployment = items[0];
          this.scheduleRedraw();
        },
        event: (type, d) => {
          this.deployment = type === 'DELETED' ? undefined : d;
          this.scheduleRedraw();
        },
        error: (error, retry) => this.log.warn(`deployment watch ${this.namespace}/${this.name}: ${safeErrorMessage(error)} (retry in ${retry} ms)`),
      }),
    );
    const [deployment] = await deployments.start();
    this.deployment = deployment;
    if (!deployment) return;
    const pods = this.register(
      new ListWatch<KubePod>(this.client, collectionPaths.pods(this.namespace), { labelSelector: deploymentSelector(deployment) }, {
        replace: (items) => {
          this.podsByName.clear();
          for (const p of items) this.podsByName.set(p.metadata?.name ?? '', p);
          this.scheduleRedraw();
        },
        event: (type, p) => {
          const podName = p.metadata?.name ?? '';
          if (type === 'DELETED') this.podsByName.delete(podName);
          else this.podsByName.set(podName, p);
          this.scheduleRedraw();
        },
        error: (error, retry) => this.log.warn(`pod watch ${this.namespace}/${this.name}: ${safeErrorMessage(error)} (retry in ${retry} ms)`),
      }),
    );
    const [initialPods, services] = await Promise.all([
      pods.start(),
      listServices(this.client, this.namespace).then(
        (items) => ({ ok: true as const, list: { items } }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    ]);
    for (const p of initialPods) this.podsByName.set(p.metadata?.name ?? '', p);
    if (services.ok) this.services = servicesForDeployment(deployment, services.list.items ?? []);
    else this.servicesError = safeErrorMessage(services.error);
  }

  private scheduleRedraw(): void {
    // Pod updates come in bursts (scheduled, creating, started, ready): one redraw per burst.
    if (this.redrawTimer !== undefined || this.isDisposed) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      if (!this.isDisposed) this.changed();
    }, 50);
  }
}

export class GatewayPodNode implements TreeNode {
  readonly id: string;
  readonly context: string;
  readonly namespace: string;
  readonly deployment: string;
  readonly pod: PodSummary;
  /** For "Tail Gateway Logs" on one pod. */
  readonly followTarget: FollowTarget;

  constructor(parentId: string, context: string, namespace: string, deployment: string, pod: PodSummary) {
    this.id = `${parentId}/pod:${pod.name}`;
    this.context = context;
    this.namespace = namespace;
    this.deployment = deployment;
    this.pod = pod;
    this.followTarget = { context, namespace, pod: pod.name };
  }

  getTreeItem(): vscode.TreeItem {
    const p = this.pod;
    const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = ContextValues.gatewayPod;
    item.iconPath = podIcon(p);
    const parts = [p.status, `${p.readyContainers}/${p.containers} ready`];
    if (p.restarts > 0) parts.push(`${p.restarts} restart${p.restarts === 1 ? '' : 's'}`);
    item.description = parts.join(' · ');
    const lines = [`Pod ${p.name} (${p.phase})`, `Status: ${p.status}${p.message ? ` — ${p.message}` : ''}`];
    if (p.restarts > 0) lines.push(`Restarts: ${p.restarts}${p.lastTermination ? ` (last: ${p.lastTermination})` : ''}`);
    if (p.podIP) lines.push(`IP: ${p.podIP}`);
    if (p.node) lines.push(`Node: ${p.node}`);
    item.tooltip = lines.join('\n');
    return item;
  }
}

function podIcon(p: PodSummary): vscode.ThemeIcon {
  if (p.status === 'Terminating') return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  if (p.status === 'Running' && p.ready) return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed'));
  if (p.status === 'Pending' || p.status === 'ContainerCreating' || p.status === 'PodInitializing' || p.status.startsWith('Init:')) return new vscode.ThemeIcon('loading~spin');
  if (p.status === 'Running') return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('testing.iconQueued'));
  return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
}

export class GatewayServiceNode implements TreeNode {
  readonly id: string;
  readonly context: string;
  readonly service: GatewayServiceInfo;

  constructor(parentId: string, context: string, service: GatewayServiceInfo) {
    this.id = `${parentId}/service:${service.name}`;
    this.context = context;
    this.service = service;
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.service;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = ContextValues.gatewayService;
    item.iconPath = new vscode.ThemeIcon('plug');
    item.description = [s.type, ...s.ports.map((p) => p.label)].join(' · ');
    const lines = [`Service ${s.name} (${s.type}${s.clusterIP && s.clusterIP !== 'None' ? `, ${s.clusterIP}` : ''})`];
    for (const p of s.ports) {
      lines.push(`${p.name ?? 'port'}: ${p.port} → ${typeof p.targetPort === 'string' ? `${p.targetPort} (${p.containerPort ?? 'unresolved'})` : p.targetPort}/${p.protocol}${p.nodePort ? `, node port ${p.nodePort}` : ''}${p.scheme ? `, ${p.scheme}` : ''}`);
    }
    if (s.external.length > 0) lines.push(`External: ${s.external.join(', ')}`);
    item.tooltip = lines.join('\n');
    return item;
  }
}
