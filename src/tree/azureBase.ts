// Building blocks of the Azure side of the Gateways tree: what every Azure node needs (AzureTreeContext), a list that
// loads page by page with a "Load more…" item, and the message items for errors, empty states and actions.
import * as vscode from 'vscode';
import type { AzureAccount } from '../azure/account.ts';
import type { AzureData } from '../azure/armService.ts';
import type { AzureRecords } from '../azure/records.ts';
import { Commands, ContextValues } from '../constants.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import type { KubeconfigSource } from '../kubernetes/kubeconfigSource.ts';
import type { Logger } from '../extensionLog.ts';
import type { Page } from '../azure/models.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { MessageNode, type TreeNode } from './items.ts';

export interface AzureTreeContext {
  readonly account: AzureAccount;
  readonly records: AzureRecords;
  readonly kube: KubernetesClients;
  readonly kubeconfig: KubeconfigSource;
  /** Redraw a node (its description changed) without dropping what it loaded. */
  redraw(node: TreeNode): void;
  readonly log: Logger;
  now(): Date;
}

/** A node that stands for an ARM resource: commands run on it read `armId` (see src/azure/explorerItems.ts). */
export interface ArmNode extends TreeNode {
  readonly armId: string;
  readonly parent: TreeNode | undefined;
}

/** The data source, or the settings problem that keeps it from existing (shown as an error item). */
export function dataOrThrow(tree: AzureTreeContext): AzureData {
  const data = tree.account.data();
  if (!data.ok) throw new Error(data.error);
  return data.value;
}

export function errorNode(parentId: string, error: unknown): MessageNode {
  return new MessageNode(parentId, safeErrorMessage(error), 'error');
}

/** A clickable item that starts a command on its parent ("Deploy APIM Gateway…" under a cluster without one). */
export function actionNode(parentId: string, label: string, command: string, target: TreeNode): MessageNode {
  return new MessageNode(parentId, label, 'info', { command, title: label, arguments: [target] });
}

/**
 * A list loaded from ARM a page at a time. Children are kept (same objects across redraws, so expansion state,
 * reveal() and live watches below them survive); `invalidate` forgets everything; `loadMore` appends the next page.
 * The first page starts loading as soon as anyone asks (`load()`), so a parent can start its lists in parallel.
 */
export abstract class PagedListNode<T extends { id: string }, N extends TreeNode> implements TreeNode {
  abstract readonly id: string;
  readonly parent: TreeNode | undefined;
  protected readonly tree: AzureTreeContext;
  private items: T[] | undefined;
  private next: string | undefined;
  private error: unknown;
  private loading: Promise<void> | undefined;
  private readonly nodes = new Map<string, N>();
  private generation = 0;

  constructor(tree: AzureTreeContext, parent: TreeNode | undefined) {
    this.tree = tree;
    this.parent = parent;
  }

  protected abstract fetch(next: string | undefined): Promise<Page<T>>;
  protected abstract makeNode(item: T): N;
  /** Children when the list is empty (an empty-state message, maybe an action). */
  protected abstract emptyNodes(): TreeNode[];
  abstract getTreeItem(): vscode.TreeItem;

  /** Items loaded so far, or undefined before the first page arrived. */
  protected get loaded(): readonly T[] | undefined {
    return this.items;
  }

  protected get hasMore(): boolean {
    return this.next !== undefined;
  }

  /** "3", "50+" — for descriptions. */
  protected countText(): string | undefined {
    if (!this.items) return undefined;
    return `${this.items.length}${this.next ? '+' : ''}`;
  }

  load(): Promise<void> {
    if (this.items || this.error !== undefined) return Promise.resolve();
    if (!this.loading) {
      const generation = this.generation;
      this.loading = this.fetch(undefined).then(
        (page) => {
          if (generation !== this.generation) return;
          this.items = page.items;
          this.next = page.next;
        },
        (error: unknown) => {
          if (generation !== this.generation) return;
          this.error = error;
        },
      ).finally(() => {
        if (generation === this.generation) this.loading = undefined;
      });
    }
    return this.loading;
  }

  async getChildren(): Promise<TreeNode[]> {
    await this.load();
    if (this.error !== undefined) return [errorNode(this.id, this.error)];
    const items = this.items ?? [];
    if (items.length === 0) return this.emptyNodes();
    const children: TreeNode[] = items.map((item) => {
      let node = this.nodes.get(item.id.toLowerCase());
      if (!node) {
        node = this.makeNode(item);
        this.nodes.set(item.id.toLowerCase(), node);
      }
      return node;
    });
    if (this.next) children.push(new LoadMoreNode(this));
    return children;
  }

  /** The next page, appended; the node redraws itself. */
  async loadMore(): Promise<void> {
    if (!this.next || !this.items) return;
    const generation = this.generation;
    const page = await this.fetch(this.next);
    if (generation !== this.generation) return;
    const known = new Set(this.items.map((i) => i.id.toLowerCase()));
    this.items.push(...page.items.filter((i) => !known.has(i.id.toLowerCase())));
    this.next = page.next;
    this.tree.redraw(this);
  }

  /** Children made so far, without loading anything. */
  knownChildren(): N[] {
    return [...this.nodes.values()];
  }

  /** Finds a child for an id, loading further pages while there are any. */
  async findChild(armId: string): Promise<N | undefined> {
    await this.load();
    const wanted = armId.toLowerCase();
    for (;;) {
      await this.getChildren();
      const node = this.nodes.get(wanted);
      if (node) return node;
      if (!this.next) return undefined;
      await this.loadMore();
    }
  }

  invalidate(): void {
    this.generation++;
    this.items = undefined;
    this.next = undefined;
    this.error = undefined;
    this.loading = undefined;
    this.nodes.clear();
  }
}

export class LoadMoreNode implements TreeNode {
  readonly id: string;
  readonly parent: PagedListNode<{ id: string }, TreeNode>;

  constructor(parent: PagedListNode<{ id: string }, TreeNode>) {
    this.parent = parent;
    this.id = `${parent.id}/loadMore`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = ContextValues.azureLoadMore;
    item.iconPath = new vscode.ThemeIcon('more');
    item.command = { command: Commands.azureLoadMore, title: 'Load more', arguments: [this] };
    return item;
  }
}
