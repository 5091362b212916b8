// Composition root: build the services, register the tree and the commands, nothing else.
import * as vscode from 'vscode';
import { explainRecord } from './commands/recordDiagnosis.ts';
import { registerCommands } from './commands/registry.ts';
import type { CommandServices } from './commands/types.ts';
import { registerExplorerVisibility } from './azure/explorerVisibility.ts';
import { createAzureSide, type AzureSide } from './composition/azureSide.ts';
import { createDiagnosisFacts, createTestRequestDeps } from './composition/testRequests.ts';
import { openWalkthroughOnFirstRun } from './walkthrough.ts';
import { Settings, Views } from './constants.ts';
import { LogEditorService } from './editor/logEditor.ts';
import { createRequestAdvisor } from './editor/requestAdvisor.ts';
import { createKubernetesClients, type KubernetesClients } from './kubernetes/client.ts';
import { fileKubeconfigSource } from './kubernetes/kubeconfigSource.ts';
import { createLogger } from './extensionLog.ts';
import { GatewayLogsPanels } from './panels/gatewayLogsPanel.ts';
import { logsMaxEntries } from './panels/logSettings.ts';
import { TestRequestPanels } from './panels/testRequestPanel.ts';
import { HealthPanels } from './panels/healthPanel.ts';
import { RequestHistory } from './requests/history.ts';
import { GatewaysTreeProvider } from './tree/gatewaysTreeProvider.ts';
import type { TreeNode } from './tree/items.ts';
import { TokenExpiryWatch } from './rotation/expiryWatch.ts';
import { KubernetesRootNode } from './tree/kubernetesNodes.ts';
import { refreshOnChange } from './tree/changeRefresh.ts';
import { ChangeBus } from './changes.ts';
import { safeErrorMessage } from './util/errors.ts';

/** What activate() returns: a small surface for our own integration tests and benchmarks, not a public API. */
export interface ExtensionApi {
  /** Time spent in activate(). */
  readonly activatedInMs: number;
  /** Time spent evaluating the bundle before activate() was called. */
  readonly loadedInMs: number;
  readonly tree: GatewaysTreeProvider;
  /** Cluster access: tests read `openRequests` to prove that closed views leave no request behind. */
  readonly kubernetes: KubernetesClients;
  /** Gateway logs in the text editor: tests open sessions through it and read what each document did. */
  readonly logEditor: LogEditorService;
  /** The open Test Request views (tests find the one a command opened). */
  readonly testRequests: TestRequestPanels;
  readonly health: HealthPanels;
  /** The Azure side: its tree root, remembered records, and scripted answers for the wizards (tests). */
  readonly azure: Pick<AzureSide, 'root' | 'records' | 'usePrompter' | 'paths' | 'stateSnapshot'>;
  /** Running tokens' expiries and the status-bar warning. */
  readonly expiry: TokenExpiryWatch;
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
    // Creating the clients loads nothing: the Kubernetes SDK is imported on the first cluster call.
    const kubernetes = createKubernetesClients(() => kubeconfig.paths());
    const treeLog = log.child('tree');
    const expiry = new TokenExpiryWatch(context.globalState, log.child('expiry'));
    context.subscriptions.push(expiry);
    // The Azure side reveals nodes in the view, which exists only once the tree it shows does.
    const viewRef: { current?: vscode.TreeView<TreeNode> } = {};
    const azure = createAzureSide({ context, log: log.child('azure'), kube: kubernetes, kubeconfig, tree: () => tree, view: () => viewRef.current });
    const health = new HealthPanels();
    context.subscriptions.push(health);
    // One Kubernetes root for the view's life (like the Azure one): a reload of the roots keeps what is open below it,
    // so a change made from here finds the loaded context and Deployment nodes to reload.
    const kubeRoot: KubernetesRootNode = new KubernetesRootNode(kubeconfig, { kube: kubernetes, redraw: (node) => tree.redraw(node), log: treeLog, health, expiry });
    const tree: GatewaysTreeProvider = new GatewaysTreeProvider(() => [...(azure.inUse() ? [azure.root] : []), ...(kubeconfig.exists() ? [kubeRoot] : [])], treeLog);
    const treeView = vscode.window.createTreeView(Views.gateways, { treeDataProvider: tree, showCollapseAll: true });
    viewRef.current = treeView;
    context.subscriptions.push(tree, treeView, tree.attach(treeView));
    // What provisioning commands and fixes change reaches the tree as one event (src/changes.ts).
    const changes = new ChangeBus((error, change) => log.error(`a listener of ${change.kind} failed`, error));
    context.subscriptions.push(changes, refreshOnChange(changes, { tree, kubeconfig, records: azure.records, log: treeLog }));
    context.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${Settings.section}.${Settings.kubeconfig}`)) {
          kubernetes.reset();
          tree.refresh();
        }
      }),
    );

    const logPanels = new GatewayLogsPanels(context.extensionUri, log.child('logs'));
    context.subscriptions.push(logPanels);

    // Hovers of failed request records: diagnosed with the gateway's configuration when Azure answers quickly.
    const advise = createRequestAdvisor<vscode.TextDocument>({
      explain: (entry, source, options) => explainRecord(services, entry, source, { ask: false, ...options }),
      sourceOf: (document) => logEditor.liveDocument(document.uri)?.source,
      onError: (error) => log.warn(`hover diagnosis failed: ${safeErrorMessage(error)}`),
    });
    const logEditor: LogEditorService = new LogEditorService({ log: log.child('editor'), maxEntries: () => logsMaxEntries(log), advise });
    context.subscriptions.push(logEditor);

    const testRequests = new TestRequestPanels(new RequestHistory());
    context.subscriptions.push(testRequests);

    const diagnosisFacts = createDiagnosisFacts(kubernetes, azure.services, log);
    const testRequestDeps = createTestRequestDeps(kubernetes, azure.services, diagnosisFacts, log, () => services);
    const services: CommandServices = { context, output, log, tree, kubeconfig, kubernetes, logPanels, testRequests, health, logEditor, azure: azure.services, testRequestDeps, diagnosisFacts, changes };
    context.subscriptions.push(...registerCommands(services));
    registerExplorerVisibility(context, (error) => log.warn(`Azure Resources visibility hint failed: ${safeErrorMessage(error)}`));
    openWalkthroughOnFirstRun(context.globalState, (error) => log.warn(`opening the walkthrough failed: ${safeErrorMessage(error)}`));

    const activatedInMs = performance.now() - started;
    log.info(`activated in ${activatedInMs.toFixed(1)} ms (bundle load ${loadedInMs.toFixed(1)} ms; VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);
    return { activatedInMs, loadedInMs, tree, kubernetes, logEditor, testRequests, health, azure, expiry };
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
