// Arc side of the Azure tree: an Arc-enabled cluster → its API Management gateway extension(s) → the gateway's pods
// (live) and Service, read from the cluster through the kubeconfig context that plays it. The pods and Service are
// the Kubernetes side's own nodes (gatewayNodes.ts), so they behave the same in both halves of the tree.
import * as vscode from 'vscode';
import { describeSettingStyle, isGatewayExtensionType, serviceTypeOf, settingStyleOf } from '../azure/gatewayExtension.ts';
import type { ArcClusterInfo, ClusterExtensionInfo } from '../azure/models.ts';
import { describeExpiry } from '../azure/tokens.ts';
import { Commands, ContextValues } from '../constants.ts';
import { apiStatus, type KubeContextClient } from '../kubernetes/client.ts';
import { describeClusterError } from '../kubernetes/discovery.ts';
import { describeGatewayDeployment } from '../kubernetes/gateways.ts';
import type { KubeDeployment } from '../kubernetes/types.ts';
import type { FollowTarget } from '../logSessions/followSession.ts';
import { actionNode, dataOrThrow, errorNode, type ArmNode, type AzureTreeContext } from './azureBase.ts';
import { GatewayDeploymentNode } from './gatewayNodes.ts';
import { MessageNode, type TreeNode } from './items.ts';
import { matchKubeContext } from '../azure/kubeContexts.ts';
import { extensionVersionText } from './descriptions.ts';
import { arcClusterTooltip, extensionTooltip } from './tooltips.ts';
import { forgetJoins, joinOfExtension, type ExtensionJoin } from './extensionJoin.ts';
import { readDeployment } from '../kubernetes/resources.ts';

export class ArcClusterNode implements ArmNode {
  readonly id: string;
  readonly armId: string;
  readonly parent: TreeNode | undefined;
  readonly cluster: ArcClusterInfo;
  private readonly tree: AzureTreeContext;
  private extensions: Promise<GatewayExtensionNode[]> | undefined;
  private readonly nodes = new Map<string, GatewayExtensionNode>();

  constructor(tree: AzureTreeContext, parent: TreeNode | undefined, cluster: ArcClusterInfo) {
    this.tree = tree;
    this.parent = parent;
    this.cluster = cluster;
    this.armId = cluster.id;
    this.id = `azure/arc:${cluster.id.toLowerCase()}`;
  }

  get name(): string {
    return this.cluster.name;
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.cluster;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.azureArcCluster;
    const connected = c.connectivityStatus === 'Connected';
    item.iconPath = new vscode.ThemeIcon('server-environment', connected ? new vscode.ThemeColor('testing.iconPassed') : new vscode.ThemeColor('disabledForeground'));
    item.description = [c.connectivityStatus ?? 'unknown', c.kubernetesVersion ? `v${c.kubernetesVersion}` : undefined, c.distribution].filter(Boolean).join(' · ');
    // Every value comes from ARM: escaped by arcClusterTooltip.
    item.tooltip = new vscode.MarkdownString(arcClusterTooltip(c));
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    let nodes: GatewayExtensionNode[];
    try {
      nodes = await this.extensionNodes();
    } catch (error) {
      return [errorNode(this.id, error)];
    }
    const children: TreeNode[] = [];
    if (this.cluster.connectivityStatus !== 'Connected') {
      children.push(new MessageNode(this.id, `The cluster is ${this.cluster.connectivityStatus ?? 'not connected'}: Arc cannot install or report extensions until its agents reconnect`, 'info'));
    }
    if (nodes.length === 0) {
      children.push(new MessageNode(this.id, 'No API Management gateway extension', 'empty'));
      children.push(actionNode(this.id, 'Deploy APIM Gateway…', Commands.deployGatewayToArc, this));
    }
    return [...children, ...nodes];
  }

  /** The gateway extensions, loaded once until refreshed; the same node objects across calls. */
  extensionNodes(): Promise<GatewayExtensionNode[]> {
    this.extensions ??= dataOrThrow(this.tree)
      .listClusterExtensions(this.cluster.id)
      .then((list) => {
        const gateways = list.filter((e) => isGatewayExtensionType(e.extensionType)).sort((a, b) => a.name.localeCompare(b.name));
        const keep = new Set(gateways.map((e) => e.id.toLowerCase()));
        for (const key of [...this.nodes.keys()]) if (!keep.has(key)) this.nodes.delete(key);
        return gateways.map((e) => {
          let node = this.nodes.get(e.id.toLowerCase());
          if (node) node.update(e);
          else {
            node = new GatewayExtensionNode(this.tree, this, e);
            this.nodes.set(e.id.toLowerCase(), node);
          }
          return node;
        });
      });
    const pending = this.extensions;
    pending.catch(() => {
      if (this.extensions === pending) this.extensions = undefined;
    });
    return pending;
  }

  /** Extension nodes made so far, without loading anything. */
  knownChildren(): GatewayExtensionNode[] {
    return [...this.nodes.values()];
  }

  invalidate(): void {
    this.extensions = undefined;
    // Extension nodes stay (their live pod watches are the provider's to dispose when they leave the tree); their
    // data is replaced on the next load.
    for (const node of this.nodes.values()) node.invalidate();
  }
}

/**
 * The Microsoft.ApiManagement.Gateway extension on a cluster: ARM's view (provisioning state, version, settings,
 * statuses) and, through the matching kubeconfig context, the gateway's own pods and Service.
 */
export class GatewayExtensionNode implements ArmNode {
  readonly id: string;
  readonly armId: string;
  readonly parent: ArcClusterNode;
  private info: ClusterExtensionInfo;
  private readonly tree: AzureTreeContext;
  private deployment: GatewayDeploymentNode | undefined;
  private context: string | undefined;
  /** The APIM gateway this extension runs, once read (its settings, a record, or its running token). */
  private join: ExtensionJoin | undefined;
  private joining = false;

  constructor(tree: AzureTreeContext, parent: ArcClusterNode, info: ClusterExtensionInfo) {
    this.tree = tree;
    this.parent = parent;
    this.info = info;
    this.armId = info.id;
    this.id = `azure/ext:${info.id.toLowerCase()}`;
  }

  get extension(): ClusterExtensionInfo {
    return this.info;
  }

  get clusterName(): string {
    return this.parent.name;
  }

  /** For "Tail Gateway Logs": known once the cluster's kubeconfig context is. */
  get followTarget(): FollowTarget | undefined {
    return this.context && this.info.namespace ? { context: this.context, namespace: this.info.namespace, deployment: this.info.name } : undefined;
  }

  update(info: ClusterExtensionInfo): void {
    this.info = info;
  }

  /** "rb-azure-apim / rb-arc-gateway", or the service alone when the token could not be read. */
  get apimGateway(): string | undefined {
    const j = this.join;
    if (!j?.serviceName) return undefined;
    return j.gatewayName ? `${j.serviceName} / ${j.gatewayName}` : `${j.serviceName} / gateway not known`;
  }

  /** Reads the join in the background and redraws this node when it arrives. */
  private readJoin(): void {
    if (this.join || this.joining) return;
    this.joining = true;
    void joinOfExtension(this.tree, this.info).then((join) => {
      this.joining = false;
      this.join = join;
      if (join.serviceName) this.tree.redraw(this);
    });
  }

  getTreeItem(): vscode.TreeItem {
    const e = this.info;
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.azureGatewayExtension;
    const state = e.provisioningState ?? 'Unknown';
    item.iconPath =
      state === 'Succeeded'
        ? new vscode.ThemeIcon('extensions', new vscode.ThemeColor('testing.iconPassed'))
        : state === 'Failed' || state === 'Canceled'
          ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
          : new vscode.ThemeIcon('loading~spin');
    const style = settingStyleOf(e.configurationSettings);
    this.readJoin();
    const apim = this.apimGateway;
    item.description = [state, e.version ? extensionVersionText(e.version) : undefined, serviceTypeOf(e.configurationSettings), style === 'legacy' ? '2021 settings' : style === 'current' ? 'current settings' : 'no endpoint setting', apim ? `→ ${apim}` : undefined]
      .filter(Boolean)
      .join(' · ');
    const record = this.tree.records.deploymentOfExtension(e.id);
    // Every value comes from ARM: escaped by extensionTooltip.
    item.tooltip = new vscode.MarkdownString(
      extensionTooltip({
        name: e.name,
        ...(e.extensionType ? { extensionType: e.extensionType } : {}),
        clusterName: this.clusterName,
        state,
        ...(e.version ? { version: e.version } : {}),
        ...(e.releaseTrain ? { releaseTrain: e.releaseTrain } : {}),
        ...(e.namespace ? { namespace: e.namespace } : {}),
        serviceType: serviceTypeOf(e.configurationSettings),
        settings: describeSettingStyle(style),
        ...(apim ? { apimGateway: apim } : {}),
        ...(record ? { token: `Token (${record.keyType} key) ${describeExpiry(new Date(record.tokenExpiry), this.tree.now())}` } : {}),
      }),
    );
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const e = this.info;
    const nodes: TreeNode[] = [];
    if (e.provisioningState && e.provisioningState !== 'Succeeded') {
      nodes.push(new MessageNode(this.id, `ARM: ${e.provisioningState}`, e.provisioningState === 'Failed' || e.provisioningState === 'Canceled' ? 'error' : 'info'));
    }
    for (const status of e.statuses) {
      if (status.level === 'Information' && e.provisioningState === 'Succeeded') continue;
      nodes.push(new MessageNode(this.id, `${status.code ?? status.displayStatus ?? 'Status'}: ${status.message ?? ''}`, status.level === 'Error' ? 'error' : 'info'));
    }
    if (e.errorInfo) nodes.push(new MessageNode(this.id, `${e.errorInfo.code ?? 'Error'}: ${e.errorInfo.message ?? ''}`, 'error'));
    if (!e.namespace) return [...nodes, new MessageNode(this.id, 'The extension names no namespace', 'empty')];

    const context = await this.resolveContext();
    if (!context.ok) return [...nodes, context.node];
    this.context = context.name;
    if (!this.deployment) {
      let client: KubeContextClient;
      let found: KubeDeployment;
      try {
        client = await this.tree.kube.forContext(context.name);
        found = await readDeployment(client, e.namespace, e.name);
      } catch (error) {
        if (apiStatus(error) === 404) {
          return [...nodes, new MessageNode(this.id, `No Deployment ${e.name} in namespace ${e.namespace} (${context.name}) yet`, 'empty')];
        }
        return [...nodes, new MessageNode(this.id, describeClusterError(context.name, error), 'error')];
      }
      const info = describeGatewayDeployment(found);
      if (!info) return [...nodes, new MessageNode(this.id, `Deployment ${e.name} in ${e.namespace} does not run the gateway image`, 'info')];
      // The Deployment node watches pods and redraws itself; here it redraws this node, whose children they are.
      this.deployment = new GatewayDeploymentNode({ kube: this.tree.kube, log: this.tree.log, redraw: () => this.tree.redraw(this) }, client, this.id, context.name, info);
    }
    return [...nodes, ...(await this.deployment.getChildren())];
  }

  /** The kubeconfig context for this cluster: remembered, else one named like it, else an item asking for it. */
  private async resolveContext(): Promise<{ ok: true; name: string } | { ok: false; node: TreeNode }> {
    const cluster = this.parent.cluster;
    const summary = await this.tree.kubeconfig.read();
    const contexts = summary.ok ? summary.value.contexts : [];
    const name = matchKubeContext(cluster.name, contexts, this.tree.records.kubeContextFor(cluster.id));
    if (name) return { ok: true, name };
    const why = summary.ok ? `No kubeconfig context is named ${cluster.name}` : summary.error;
    return { ok: false, node: new MessageNode(this.id, `${why}: choose the context for this cluster…`, 'info', { command: Commands.azureChooseKubeContext, title: 'Choose Kubernetes Context', arguments: [this.parent] }) };
  }

  invalidate(): void {
    this.stop();
    this.join = undefined;
    forgetJoins(this.tree, this.info.id);
  }

  collapsed(): void {
    this.deployment?.collapsed();
  }

  dispose(): void {
    this.stop();
  }

  private stop(): void {
    this.deployment?.dispose();
    this.deployment = undefined;
  }
}
