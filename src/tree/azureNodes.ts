// The Azure side of the Gateways tree, from the top: "Azure" (cloud, credential, sign-in state) → subscriptions (the
// user's selection) → "Arc-enabled Kubernetes" and "API Management". Every node loads on its own, so VS Code's
// concurrent expansions run concurrently; a subscription starts both its lists the moment it is expanded.
import * as vscode from 'vscode';
import type { SubscriptionInfo, ApimServiceInfo, ArcClusterInfo, Page } from '../azure/models.ts';
import { Commands, ContextValues } from '../constants.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { ApimServiceNode } from './azureApimNodes.ts';
import { ArcClusterNode, type GatewayExtensionNode } from './azureArcNodes.ts';
import { actionNode, dataOrThrow, errorNode, PagedListNode, type ArmNode, type AzureTreeContext } from './azureBase.ts';
import { MessageNode, type TreeNode } from './items.ts';
import type { ApimGatewayNode } from './azureApimNodes.ts';

export class AzureRootNode implements TreeNode {
  readonly id = 'azure';
  readonly parent = undefined;
  private readonly tree: AzureTreeContext;
  private subscriptions: Promise<{ all: number; shown: SubscriptionNode[] }> | undefined;
  private readonly nodes = new Map<string, SubscriptionNode>();
  private shownCount: { all: number; shown: number } | undefined;

  constructor(tree: AzureTreeContext) {
    this.tree = tree;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Azure', vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.contextValue = ContextValues.azureRoot;
    item.iconPath = new vscode.ThemeIcon('azure');
    const cloud = this.tree.account.cloud();
    const credential = this.tree.account.credentialKind() === 'azureCli' ? 'Azure CLI' : 'VS Code account';
    const count = this.shownCount && this.shownCount.shown !== this.shownCount.all ? `${this.shownCount.shown} of ${this.shownCount.all} subscriptions` : undefined;
    item.description = [cloud.ok ? cloud.value.displayName : 'settings problem', credential, count].filter(Boolean).join(' · ');
    item.tooltip = cloud.ok ? `${cloud.value.displayName}: ${cloud.value.resourceManagerEndpoint}\nSigned in with: ${credential}` : cloud.error;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const cloud = this.tree.account.cloud();
    if (!cloud.ok) {
      return [new MessageNode(this.id, cloud.error, 'error', { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['arcApimGateway.azure'] })];
    }
    const state = await this.tree.account.signInState();
    if (state.kind === 'signedOut') {
      this.tree.log.info(`not signed in: ${state.message}`);
      return [new MessageNode(this.id, 'Sign in to Azure…', 'info', { command: Commands.azureSignIn, title: 'Sign in to Azure' }, state.message)];
    }
    if (state.kind === 'error') return [new MessageNode(this.id, `Signing in failed: ${safeErrorMessage(state.message)}`, 'error')];
    let loaded;
    try {
      loaded = await this.loadSubscriptions();
    } catch (error) {
      this.subscriptions = undefined;
      return [errorNode(this.id, error)];
    }
    if (loaded.all === 0) return [new MessageNode(this.id, 'No subscription in this account', 'empty')];
    if (loaded.shown.length === 0) {
      return [new MessageNode(this.id, 'None of the selected subscriptions is available', 'empty'), actionNode(this.id, 'Select Subscriptions…', Commands.azureSelectSubscriptions, this)];
    }
    return loaded.shown;
  }

  private loadSubscriptions(): Promise<{ all: number; shown: SubscriptionNode[] }> {
    this.subscriptions ??= (async () => {
      const all = await dataOrThrow(this.tree).listSubscriptions();
      const selected = this.tree.account.selectedSubscriptions();
      const wanted = selected ? new Set(selected.map((s) => s.toLowerCase())) : undefined;
      const shown = all.filter((s) => !wanted || wanted.has(s.subscriptionId.toLowerCase()));
      const previous = this.shownCount;
      this.shownCount = { all: all.length, shown: shown.length };
      if (previous?.all !== all.length || previous.shown !== shown.length) setTimeout(() => this.tree.redraw(this), 0);
      return {
        all: all.length,
        shown: shown.map((s) => {
          let node = this.nodes.get(s.subscriptionId.toLowerCase());
          if (!node) {
            node = new SubscriptionNode(this.tree, this, s);
            this.nodes.set(s.subscriptionId.toLowerCase(), node);
          }
          return node;
        }),
      };
    })();
    return this.subscriptions;
  }

  invalidate(): void {
    this.subscriptions = undefined;
    this.nodes.clear();
  }

  /** The subscription node for an id, if that subscription is shown. */
  async subscription(subscriptionId: string): Promise<SubscriptionNode | undefined> {
    await this.getChildren();
    return this.nodes.get(subscriptionId.toLowerCase());
  }

  /** The tree node of a cluster's gateway extension, freshly loaded (for reveal after a deployment). */
  async locateExtension(clusterId: string, subscriptionId: string, extensionId: string): Promise<{ cluster: ArcClusterNode; extension: GatewayExtensionNode | undefined } | undefined> {
    const sub = await this.subscription(subscriptionId);
    const cluster = await sub?.arc.findChild(clusterId);
    if (!cluster) return undefined;
    cluster.invalidate();
    const extensions = await cluster.extensionNodes();
    return { cluster, extension: extensions.find((e) => e.armId.toLowerCase() === extensionId.toLowerCase()) };
  }

  /** The tree node of an APIM gateway, if its subscription and service are shown. */
  async locateGateway(serviceId: string, subscriptionId: string, gatewayId: string): Promise<{ service: ApimServiceNode; gateway: ApimGatewayNode | undefined } | undefined> {
    const sub = await this.subscription(subscriptionId);
    const service = await sub?.apim.findChild(serviceId);
    if (!service) return undefined;
    return { service, gateway: await service.findChild(gatewayId) };
  }
}

export class SubscriptionNode implements ArmNode {
  readonly id: string;
  readonly armId: string;
  readonly parent: AzureRootNode;
  readonly subscription: SubscriptionInfo;
  readonly arc: ArcGroupNode;
  readonly apim: ApimGroupNode;

  constructor(tree: AzureTreeContext, parent: AzureRootNode, subscription: SubscriptionInfo) {
    this.parent = parent;
    this.subscription = subscription;
    this.armId = `/subscriptions/${subscription.subscriptionId}`;
    this.id = `azure/sub:${subscription.subscriptionId.toLowerCase()}`;
    this.arc = new ArcGroupNode(tree, this);
    this.apim = new ApimGroupNode(tree, this);
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.subscription;
    const item = new vscode.TreeItem(s.displayName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.azureSubscription;
    item.iconPath = new vscode.ThemeIcon('key');
    item.description = s.state && s.state !== 'Enabled' ? s.state : undefined;
    item.tooltip = `Subscription ${s.displayName}\n${s.subscriptionId}${s.tenantId ? `\nTenant ${s.tenantId}` : ''}`;
    return item;
  }

  getChildren(): Promise<TreeNode[]> {
    // Both lists start now, side by side; each group shows its count when it arrives.
    void this.arc.load().then(() => this.arc.redrawSelf());
    void this.apim.load().then(() => this.apim.redrawSelf());
    return Promise.resolve([this.arc, this.apim]);
  }

  invalidate(): void {
    this.arc.invalidate();
    this.apim.invalidate();
  }
}

export class ArcGroupNode extends PagedListNode<ArcClusterInfo, ArcClusterNode> {
  readonly id: string;
  private readonly subscriptionId: string;

  constructor(tree: AzureTreeContext, parent: SubscriptionNode) {
    super(tree, parent);
    this.subscriptionId = parent.subscription.subscriptionId;
    this.id = `${parent.id}/arc`;
  }

  protected fetch(next: string | undefined): Promise<Page<ArcClusterInfo>> {
    return dataOrThrow(this.tree).listArcClusters(this.subscriptionId, next);
  }

  protected makeNode(item: ArcClusterInfo): ArcClusterNode {
    return new ArcClusterNode(this.tree, this, item);
  }

  protected emptyNodes(): TreeNode[] {
    return [new MessageNode(this.id, 'No Azure Arc-enabled Kubernetes cluster in this subscription', 'empty')];
  }

  redrawSelf(): void {
    this.tree.redraw(this);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Arc-enabled Kubernetes', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.azureArcGroup;
    item.iconPath = new vscode.ThemeIcon('server-environment');
    const count = this.countText();
    item.description = count === undefined ? undefined : `${count} cluster${count === '1' ? '' : 's'}`;
    return item;
  }
}

export class ApimGroupNode extends PagedListNode<ApimServiceInfo, ApimServiceNode> {
  readonly id: string;
  private readonly subscriptionId: string;

  constructor(tree: AzureTreeContext, parent: SubscriptionNode) {
    super(tree, parent);
    this.subscriptionId = parent.subscription.subscriptionId;
    this.id = `${parent.id}/apim`;
  }

  protected fetch(next: string | undefined): Promise<Page<ApimServiceInfo>> {
    return dataOrThrow(this.tree).listApimServices(this.subscriptionId, next);
  }

  protected makeNode(item: ApimServiceInfo): ApimServiceNode {
    return new ApimServiceNode(this.tree, this, item);
  }

  protected emptyNodes(): TreeNode[] {
    return [new MessageNode(this.id, 'No API Management service in this subscription', 'empty')];
  }

  redrawSelf(): void {
    this.tree.redraw(this);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('API Management', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.azureApimGroup;
    item.iconPath = new vscode.ThemeIcon('cloud');
    const count = this.countText();
    item.description = count === undefined ? undefined : `${count} service${count === '1' ? '' : 's'}`;
    return item;
  }
}
