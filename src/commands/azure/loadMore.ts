import { Commands } from '../../constants.ts';
import type { CommandDefinition } from '../types.ts';

interface LoadMoreItem {
  readonly parent: { loadMore(): Promise<void> };
}

/** The "Load more…" item of a paged list (LoadMoreNode): fetches the next page into the same list. */
export const azureLoadMore: CommandDefinition = {
  id: Commands.azureLoadMore,
  run: async (_services, arg) => {
    // Read by shape, not class: a test bundle or another caller may hold its own copy of the node class.
    const parent = (arg as Partial<LoadMoreItem> | undefined)?.parent;
    if (typeof parent?.loadMore !== 'function') throw new Error('Load more runs on a "Load more…" item of the Gateways view.');
    await parent.loadMore();
  },
};
