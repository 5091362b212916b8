import type * as vscode from 'vscode';
import type { CommandId } from '../constants.ts';
import type { Logger } from '../logging.ts';
import type { GatewaysTreeProvider } from '../tree/gatewaysTreeProvider.ts';

/** What a command may use. Built once by the composition root; commands never reach for globals. */
export interface CommandServices {
  readonly context: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly log: Logger;
  readonly tree: GatewaysTreeProvider;
}

export interface CommandDefinition {
  readonly id: CommandId;
  run(services: CommandServices, ...args: unknown[]): unknown;
}
