import * as vscode from 'vscode';
import { ContextValues } from '../constants.ts';
import type { KubeconfigSource } from '../kubernetes/kubeconfigSource.ts';
import { watchGatewayDeployments } from '../kubernetes/discovery.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { GatewayNamespaceNode, gatewayNamespaces, type KubernetesTreeContext } from './gatewayNodes.ts';
import { MessageNode, type TreeNode } from './items.ts';

/** "Kubernetes": the clusters of the user's kubeconfig, where gateways run with or without Arc. */
export class KubernetesRootNode implements TreeNode {
  readonly id = 'kubernetes';
  private readonly source: KubeconfigSource;
  private readonly tree: KubernetesTreeContext;

  constructor(source: KubeconfigSource, tree: KubernetesTreeContext) {
    this.source = source;
    this.tree = tree;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Kubernetes', vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.contextValue = ContextValues.kubernetesRoot;
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.description = this.source.describe();
    item.tooltip = `Contexts from ${this.source.paths().join(', ')}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const summary = await this.source.read();
    if (!summary.ok) return [new MessageNode(this.id, summary.error, 'error')];
    if (summary.value.contexts.length === 0) {
      return [new MessageNode(this.id, 'No contexts in the kubeconfig', 'empty')];
    }
    return summary.value.contexts.map(
      (ctx) => new KubeContextNode(this.tree, ctx.name, ctx.cluster, ctx.namespace, ctx.name === summary.value.currentContext),
    );
  }

  invalidate(): void {
    // The kubeconfig may have changed on disk (a new token, a new context): read it again on the next call.
    this.tree.kube.reset();
  }
}

/**
 * A kubeconfig context. Its children are the namespaces that hold gateways, not every namespace: a cluster has
 * dozens of system namespaces and a gateway lives in one or two, so one cluster-wide list of Deployments answers
 * the question the user opens the node with ("where are my gateways?") in a single request.
 */
export class KubeContextNode implements TreeNode {
  readonly id: string;
  readonly contextName: string;
  private readonly cluster: string;
  private readonly namespace: string | undefined;
  private readonly current: boolean;
  private readonly tree: KubernetesTreeContext;
  /** While the context is expanded: gateway Deployments appearing or going in any namespace redraw it. */
  private watch: { dispose(): void } | undefined;
  private shown: string | undefined;

  constructor(tree: KubernetesTreeContext, contextName: string, cluster: string, namespace: string | undefined, current: boolean) {
    this.tree = tree;
    this.contextName = contextName;
    this.cluster = cluster;
    this.namespace = namespace;
    this.current = current;
    this.id = `kubernetes/context:${contextName}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.contextName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.kubeContext;
    item.iconPath = new vscode.ThemeIcon(this.current ? 'pass-filled' : 'circle-large-outline');
    item.description = [this.current ? 'current' : undefined, this.namespace].filter(Boolean).join(' · ');
    item.tooltip = `Context ${this.contextName} → cluster ${this.cluster}`;
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const nodes = await gatewayNamespaces(this.tree, this.id, this.contextName, this.namespace);
    this.shown = nodes.flatMap((n) => (n instanceof GatewayNamespaceNode ? n.gatewayKeys() : [])).sort().join(',');
    if (!this.watch && !nodes.some((n) => n instanceof MessageNode && n.kind === 'error')) void this.startWatch(nodes);
    return nodes;
  }

  private async startWatch(nodes: TreeNode[]): Promise<void> {
    const only = nodes.find((n) => n instanceof MessageNode && n.kind === 'info') ? (this.namespace || 'default') : undefined;
    try {
      const client = await this.tree.kube.forContext(this.contextName);
      if (this.watch) return;
      this.watch = watchGatewayDeployments(client, only, (signature) => {
        if (this.shown !== undefined && signature !== this.shown) this.tree.redraw(this);
      }, (error, retry) => this.tree.log.debug(`gateway watch ${this.contextName}: ${safeErrorMessage(error)} (retry in ${retry} ms)`));
    } catch (error) {
      this.tree.log.debug(`gateway watch ${this.contextName}: ${safeErrorMessage(error)}`);
    }
  }

  invalidate(): void {
    this.stop();
  }

  collapsed(): void {
    this.stop();
  }

  dispose(): void {
    this.stop();
  }

  private stop(): void {
    this.watch?.dispose();
    this.watch = undefined;
  }
}
