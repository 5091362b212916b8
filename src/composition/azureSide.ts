// The Azure half of the composition root, kept here so extension.ts stays a short list of parts: the account (cloud +
// credential from the settings), what is remembered about resources, the wizards' prompter, the Azure root of the
// Gateways tree, and the services the Azure commands get. Nothing here calls Azure: the SDKs load on the first
// expansion of the Azure root.
import type * as vscode from 'vscode';
import { createAzureServices, type AzureServices } from './azureServices.ts';
import { Settings } from '../constants.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import type { KubeconfigSource } from '../kubernetes/kubeconfigSource.ts';
import type { Logger } from '../extensionLog.ts';
import { AzureRootNode } from '../tree/azureNodes.ts';
import type { GatewaysTreeProvider } from '../tree/gatewaysTreeProvider.ts';
import type { TreeNode } from '../tree/items.ts';
import { PrompterHolder, VscodePrompter, type Prompter } from '../wizards/prompter.ts';
import { VscodeAzureAccount } from '../azure/account.ts';
import { AzureRecords } from '../azure/records.ts';

export interface AzureSide {
  readonly root: AzureRootNode;
  readonly services: AzureServices;
  /** For integration tests: answer the wizards' questions from a script for as long as the disposable lives. */
  usePrompter(prompter: Prompter): vscode.Disposable;
  readonly records: AzureRecords;
  /** Whether the Azure root belongs in the tree (see AzureAccount.inUse). */
  inUse(): boolean;
  /** Where VS Code keeps this extension's state and logs (integration tests search them for secrets). */
  readonly paths: { readonly globalStorage: string; readonly logs: string };
  /** Everything this extension keeps in globalState and workspaceState, as JSON (tests check it holds no secret). */
  stateSnapshot(): string;
}

export function createAzureSide(options: {
  context: vscode.ExtensionContext;
  log: Logger;
  kube: KubernetesClients;
  kubeconfig: KubeconfigSource;
  tree: () => GatewaysTreeProvider;
  view: () => vscode.TreeView<TreeNode> | undefined;
}): AzureSide {
  const { context, log } = options;
  const account = new VscodeAzureAccount(context.globalState, log, Settings.section);
  context.subscriptions.push(account);
  const records = new AzureRecords(context.globalState);
  const prompter = new PrompterHolder(new VscodePrompter());
  const root = new AzureRootNode({
    account,
    records,
    kube: options.kube,
    kubeconfig: options.kubeconfig,
    redraw: (node) => options.tree().redraw(node),
    log: log.child('tree'),
    now: () => new Date(),
  });
  // A new cloud, credential, sign-in or subscription choice: everything below the root is stale (and the root may
  // appear for the first time).
  let shown = account.inUse();
  context.subscriptions.push(
    account.onDidChange(() => {
      const now = account.inUse();
      if (now !== shown) options.tree().refresh();
      else options.tree().refresh(root);
      shown = now;
    }),
  );
  const services = createAzureServices({ account, records, prompter, root, tree: options.tree, view: options.view, log });
  return {
    root,
    services,
    usePrompter: (p) => prompter.use(p),
    records,
    inUse: () => account.inUse(),
    paths: { globalStorage: context.globalStorageUri.fsPath, logs: context.logUri.fsPath },
    stateSnapshot: () =>
      JSON.stringify({
        global: Object.fromEntries(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
        workspace: Object.fromEntries(context.workspaceState.keys().map((k) => [k, context.workspaceState.get(k)])),
      }),
  };
}
