// What the Azure commands share: the account, what is remembered about resources, the wizards' prompter and the
// Azure side of the tree (to reveal what a command made; what it changed reaches the tree as a Change, src/changes.ts).
import type * as vscode from 'vscode';
import type { AzureAccount } from '../azure/account.ts';
import type { AzureData } from '../azure/armService.ts';
import { GatewayFactsCache } from '../azure/gatewayFacts.ts';
import type { AzureRecords } from '../azure/records.ts';
import type { Logger } from '../extensionLog.ts';
import type { AzureRootNode } from '../tree/azureNodes.ts';
import type { GatewaysTreeProvider } from '../tree/gatewaysTreeProvider.ts';
import type { TreeNode } from '../tree/items.ts';
import type { PrompterHolder } from '../wizards/prompter.ts';

export interface AzureServices {
  readonly account: AzureAccount;
  readonly records: AzureRecords;
  readonly prompter: PrompterHolder;
  readonly root: AzureRootNode;
  /** A gateway's configuration as diagnosis reads it, cached for a few seconds. */
  readonly facts: GatewayFactsCache;
  /** The ARM data source; throws (shown by the command wrapper) when the settings do not describe a usable cloud. */
  data(): AzureData;
  /** Shows a node in the Gateways view, expanding its ancestors. */
  reveal(node: TreeNode, options?: { expand?: boolean | number; select?: boolean; focus?: boolean }): Promise<void>;
  now(): Date;
}

export function createAzureServices(options: {
  account: AzureAccount;
  records: AzureRecords;
  prompter: PrompterHolder;
  root: AzureRootNode;
  tree: () => GatewaysTreeProvider;
  view: () => vscode.TreeView<TreeNode> | undefined;
  log: Logger;
}): AzureServices {
  const { account, root } = options;
  const data = (): AzureData => {
    const result = account.data();
    if (!result.ok) throw new Error(result.error);
    return result.value;
  };
  return {
    account,
    records: options.records,
    prompter: options.prompter,
    root,
    data,
    facts: new GatewayFactsCache(data, options.records),
    reveal: async (node, revealOptions) => {
      const view = options.view();
      if (!view) return;
      try {
        await view.reveal(node, { expand: revealOptions?.expand ?? true, select: revealOptions?.select ?? true, focus: revealOptions?.focus ?? false });
      } catch (error) {
        // Revealing is a courtesy: the resource exists whether or not the view can show it right now.
        options.log.debug(`reveal ${node.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    now: () => new Date(),
  };
}
