import type * as vscode from 'vscode';
import type { ChangeBus, ChangeKind } from '../changes.ts';
import type { AzureServices } from '../composition/azureServices.ts';
import type { CommandId } from '../constants.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import type { KubeconfigSource } from '../kubernetes/kubeconfigSource.ts';
import type { LogEditorService } from '../editor/logEditor.ts';
import type { Logger } from '../extensionLog.ts';
import type { GatewayLogsPanels } from '../panels/gatewayLogsPanel.ts';
import type { HealthPanels } from '../panels/healthPanel.ts';
import type { TestRequestDeps } from '../requests/controller.ts';
import type { DiagnosisFactsService } from '../requests/diagnosisFacts.ts';
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
  /** The open Gateway Health views, and the last health of each gateway checked (the tree's badge). */
  readonly health: HealthPanels;
  /** Azure: the account, the Azure side of the tree, the wizards' prompter (src/composition/azureServices.ts). */
  readonly azure: AzureServices;
  /** What the Test Request controller uses (src/requests/controller.ts). */
  readonly testRequestDeps: TestRequestDeps;
  /** The diagnosis facts of a gateway, for every place that diagnoses (src/requests/diagnosisFacts.ts). */
  readonly diagnosisFacts: DiagnosisFactsService;
  /**
   * Where a provisioning command reports what it changed (src/changes.ts), once it is done — or, after a partial
   * failure, for what did change. The tree listens; commands never refresh it themselves.
   */
  readonly changes: ChangeBus;
}

/**
 * One command: `target` reads what VS Code passed (a tree item of ours, an Azure Resources explorer item, a Uri, a
 * palette call's nothing) into the command's own target type (readers in src/commands/targets.ts); `run` gets that.
 */
export interface CommandDefinition<Target = unknown> {
  readonly id: CommandId;
  /**
   * The kinds of change (src/changes.ts) the command fires through `services.changes` when it provisions something;
   * `[]` for a command that changes nothing in Azure or a cluster. Required, so a new command must say which: a unit
   * test (test/unit/core/changes.test.ts) holds every declaration to the code, and every writing command to one.
   */
  readonly changes: readonly ChangeKind[];
  readonly target: (args: readonly unknown[]) => Target;
  run(services: CommandServices, target: Target): unknown;
}

/** What the command table holds: a command whose target type is its own business. */
export interface RegisteredCommand {
  readonly id: CommandId;
  readonly changes: readonly ChangeKind[];
  invoke(services: CommandServices, args: readonly unknown[]): unknown;
}

export function defineCommand<Target>(definition: CommandDefinition<Target>): RegisteredCommand & CommandDefinition<Target> {
  return { ...definition, invoke: (services, args) => definition.run(services, definition.target(args)) };
}
