import { Commands } from '../constants.ts';
import type { TreeNode } from '../tree/items.ts';
import type { CommandDefinition } from './types.ts';

export const refresh: CommandDefinition = {
  id: Commands.refresh,
  // From a node's inline action the node comes as the argument; from the view title or palette, refresh everything.
  run: ({ tree }, node) => tree.refresh(isTreeNode(node) ? node : undefined),
};

function isTreeNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && 'getTreeItem' in value;
}
