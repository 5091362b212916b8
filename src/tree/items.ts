import * as vscode from 'vscode';
import { ContextValues } from '../constants.ts';

/** A node of the Gateways tree: small, with a stable id and a precise contextValue. */
export interface TreeNode {
  readonly id: string;
  /** The node above, where known: lets TreeView.reveal() find the way to a node (the Azure side sets it). */
  readonly parent?: TreeNode | undefined;
  getTreeItem(): vscode.TreeItem;
  getChildren?(): Promise<TreeNode[]>;
  /** Refresh was asked for this node: forget cached data, so the next getChildren reads the cluster again. */
  invalidate?(): void;
  /** The user collapsed the node: stop live work (watches) until it is expanded again. */
  collapsed?(): void;
  /** The node left the tree (its parent was reloaded): release everything it holds. */
  dispose?(): void;
}

export type MessageKind = 'info' | 'error' | 'empty';

/** Messages, errors and empty states shown inside the tree instead of in pop-ups. */
export class MessageNode implements TreeNode {
  readonly id: string;
  private readonly text: string;
  readonly kind: MessageKind;
  private readonly command: vscode.Command | undefined;
  private readonly tooltip: string | undefined;

  constructor(parentId: string, text: string, kind: MessageKind = 'info', command?: vscode.Command, tooltip?: string) {
    this.text = text;
    this.kind = kind;
    this.command = command;
    this.tooltip = tooltip;
    this.id = `${parentId}/message:${text}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = `${ContextValues.message};${this.kind}`;
    item.iconPath = new vscode.ThemeIcon(
      this.kind === 'error' ? 'error' : this.kind === 'empty' ? 'circle-slash' : 'info',
      this.kind === 'error' ? new vscode.ThemeColor('errorForeground') : undefined,
    );
    if (this.command) item.command = this.command;
    item.tooltip = this.tooltip ?? this.text;
    return item;
  }
}
