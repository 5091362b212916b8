import * as vscode from 'vscode';
import type { Logger } from '../extensionLog.ts';
import { Disposable } from '../util/disposable.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { MessageNode, type TreeNode } from './items.ts';

/**
 * The Gateways view. Roots come from a function so new sources (Azure, in a later slice) join without changing
 * this class; every expansion goes through one error handler that turns failures into an error item.
 *
 * Nodes may hold live work (a gateway Deployment watches its pods). The provider remembers the children it handed
 * out per parent, so a node that leaves the tree — its parent reloaded, the view disposed — is disposed with
 * everything below it, and a collapse is passed on so watches stop while nobody looks.
 */
export class GatewaysTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly roots: () => TreeNode[];
  private readonly log: Logger;
  /** Children last returned per parent id ('' for the roots). */
  private readonly children = new Map<string, TreeNode[]>();

  constructor(roots: () => TreeNode[], log: Logger) {
    super();
    this.roots = roots;
    this.log = log;
    this.register({ dispose: () => this.disposeChildren('') });
  }

  /** Reloads one node (its cached data is dropped first) or, without one, the whole tree. */
  refresh(node?: TreeNode): void {
    if (node) node.invalidate?.();
    else for (const list of this.children.values()) for (const child of list) child.invalidate?.();
    this.changed.fire(node);
  }

  /** Every node the view was given and still holds (what a change made from here may have to reload). */
  loadedNodes(): TreeNode[] {
    return [...this.children.values()].flat();
  }

  /** Lets a node ask for its own redraw (live status) without dropping its cache. */
  redraw(node: TreeNode): void {
    if (!this.isDisposed) this.changed.fire(node);
  }

  /** Wires a TreeView's collapse events to the nodes. */
  attach(view: vscode.TreeView<TreeNode>): vscode.Disposable {
    return view.onDidCollapseElement((event) => {
      try {
        event.element.collapsed?.();
      } catch (error) {
        this.log.error(`collapsing ${event.element.id} failed`, error);
      }
    });
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  /** For TreeView.reveal(): nodes that know their parent can be revealed (with their ancestors expanded). */
  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const key = node?.id ?? '';
    let result: TreeNode[];
    if (!node) result = this.roots();
    else if (!node.getChildren) result = [];
    else {
      try {
        result = await node.getChildren();
      } catch (error) {
        this.log.error(`Loading ${node.id} failed`, error);
        result = [new MessageNode(node.id, `Failed to load: ${safeErrorMessage(error)}`, 'error')];
      }
    }
    this.replaceChildren(key, result);
    return result;
  }

  private replaceChildren(key: string, next: TreeNode[]): void {
    const previous = this.children.get(key) ?? [];
    this.children.set(key, next);
    const kept = new Set(next);
    for (const old of previous) if (!kept.has(old)) this.disposeNode(old);
  }

  private disposeNode(node: TreeNode): void {
    this.disposeChildren(node.id);
    try {
      node.dispose?.();
    } catch (error) {
      this.log.error(`disposing ${node.id} failed`, error);
    }
  }

  private disposeChildren(key: string): void {
    const list = this.children.get(key);
    this.children.delete(key);
    for (const child of list ?? []) this.disposeNode(child);
  }
}
