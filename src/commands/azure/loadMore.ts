import { Commands } from '../../constants.ts';
import { defineCommand } from '../types.ts';

interface LoadMoreItem {
  readonly parent: { loadMore(): Promise<void> };
}

/** The "Load more…" item of a paged list (LoadMoreNode): fetches the next page into the same list. */
export const azureLoadMore = defineCommand({
  id: Commands.azureLoadMore,
  changes: [],
  // Read by shape, not class: a test bundle or another caller may hold its own copy of the node class.
  target: ([arg]): LoadMoreItem['parent'] | undefined => {
    const parent = (arg as Partial<LoadMoreItem> | undefined)?.parent;
    return typeof parent?.loadMore === 'function' ? parent : undefined;
  },
  run: async (_services, parent) => {
    if (!parent) throw new Error('Load more runs on a "Load more…" item of the Gateways view.');
    await parent.loadMore();
  },
});
