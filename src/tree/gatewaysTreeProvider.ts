import * as vscode from 'vscode';
import type { Logger } from '../logging.ts';
import { Disposable } from '../util/disposable.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { MessageNode, type TreeNode } from './items.ts';

/**
 * The Gateways view. Roots come from a function so new sources (Azure, in a later slice) join without changing
 * this class; every expansion goes through one error handler that turns failures into an error item.
 */
export class GatewaysTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly roots: () => TreeNode[];
  private readonly log: Logger;

  constructor(roots: () => TreeNode[], log: Logger) {
    super();
    this.roots = roots;
    this.log = log;
  }

  refresh(node?: TreeNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.roots();
    if (!node.getChildren) return [];
    try {
      return await node.getChildren();
    } catch (error) {
      this.log.error(`Loading ${node.id} failed`, error);
      return [new MessageNode(node.id, `Failed to load: ${safeErrorMessage(error)}`, 'error')];
    }
  }
}
