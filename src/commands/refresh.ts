import { Commands } from '../constants.ts';
import { treeNodeOf } from './targets.ts';
import { defineCommand } from './types.ts';

export const refresh = defineCommand({
  id: Commands.refresh,
  changes: [],
  // From a node's inline action the node comes as the argument; from the view title or palette, refresh everything.
  target: ([node]) => treeNodeOf(node),
  run: ({ tree }, node) => tree.refresh(node),
});
