import type * as vscode from 'vscode';
import type { AzureServices } from '../composition/azureServices.ts';
import type { CommandId } from '../constants.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import type { KubeconfigSource } from '../kubernetes/kubeconfigSource.ts';
import type { LogEditorService } from '../editor/logEditor.ts';
import type { Logger } from '../extensionLog.ts';
import type { GatewayLogsPanels } from '../panels/gatewayLogsPanel.ts';
import type { TestRequestPanels } from '../panels/testRequestPanel.ts';
import type { GatewaysTreeProvider } from '../tree/gatewaysTreeProvider.ts';

/** What a command may use. Built once by the composition root; commands never reach for globals. */
export interface CommandServices {
  readonly context: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly log: Logger;
  readonly tree: GatewaysTreeProvider;
  readonly kubeconfig: KubeconfigSource;
  /** One client per kubeconfig context, the Kubernetes SDK loaded on first use. */
  readonly kubernetes: KubernetesClients;
  /** The open Gateway Logs views. */
  readonly logPanels: GatewayLogsPanels;
  /** The open Test Request views (one per gateway Deployment) and the requests sent since VS Code started. */
  readonly testRequests: TestRequestPanels;
  /** Gateway logs as live read-only documents in the text editor. */
  readonly logEditor: LogEditorService;
  /** Azure: the account, the Azure side of the tree, the wizards' prompter (src/commands/azure/services.ts). */
  readonly azure: AzureServices;
}

export interface CommandDefinition {
  readonly id: CommandId;
  run(services: CommandServices, ...args: unknown[]): unknown;
}
