// Composition root: build the services, register the tree and the commands, nothing else.
import * as vscode from 'vscode';
import { registerCommands } from './commands/registry.ts';
import type { CommandServices } from './commands/types.ts';
import { Settings, Views } from './constants.ts';
import { fileKubeconfigSource } from './kubernetes/kubeconfigSource.ts';
import { createLogger } from './logging.ts';
import { GatewaysTreeProvider } from './tree/gatewaysTreeProvider.ts';
import { KubernetesRootNode } from './tree/kubernetesNodes.ts';
import { safeErrorMessage } from './util/errors.ts';

/** What activate() returns: a small surface for our own integration tests and benchmarks, not a public API. */
export interface ExtensionApi {
  /** Time spent in activate(). */
  readonly activatedInMs: number;
  /** Time spent evaluating the bundle before activate() was called. */
  readonly loadedInMs: number;
  readonly tree: GatewaysTreeProvider;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  const started = performance.now();
  const marks = globalThis as { __arcApimLoadStart?: number; __arcApimLoadEnd?: number };
  const loadedInMs = marks.__arcApimLoadStart !== undefined && marks.__arcApimLoadEnd !== undefined ? marks.__arcApimLoadEnd - marks.__arcApimLoadStart : 0;
  const output = vscode.window.createOutputChannel('Arc APIM Gateway', { log: true });
  context.subscriptions.push(output);
  const log = createLogger(output);
  try {
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration(Settings.section);
    const kubeconfig = fileKubeconfigSource(() => config().get<string>(Settings.kubeconfig));
    const tree = new GatewaysTreeProvider(
      () => (kubeconfig.exists() ? [new KubernetesRootNode(kubeconfig)] : []),
      log.child('tree'),
    );
    context.subscriptions.push(tree, vscode.window.createTreeView(Views.gateways, { treeDataProvider: tree, showCollapseAll: true }));
    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${Settings.section}.${Settings.kubeconfig}`)) tree.refresh();
      }),
    );

    const services: CommandServices = { context, output, log, tree };
    context.subscriptions.push(...registerCommands(services));

    const activatedInMs = performance.now() - started;
    log.info(`activated in ${activatedInMs.toFixed(1)} ms (bundle load ${loadedInMs.toFixed(1)} ms; VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);
    return { activatedInMs, loadedInMs, tree };
  } catch (error) {
    // VS Code only logs activation failures to its own console; the user would see a silently dead view.
    log.error('activation failed', error);
    void vscode.window.showErrorMessage(`Arc APIM Gateway failed to start: ${safeErrorMessage(error)}`);
    return undefined;
  }
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
