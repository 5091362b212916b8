import * as vscode from 'vscode';
import { Commands } from '../constants.ts';
import { createFileLogSession, type FileLogSession } from '../logSessions/fileSession.ts';
import type { GatewayLogsPanelHandle } from '../panels/gatewayLogsPanel.ts';
import { logsMaxEntries } from '../panels/logSettings.ts';
import { defineCommand, type CommandServices } from './types.ts';

/**
 * A string in the extension host holds at most ~512M UTF-16 units, and the parsed entries need several times the
 * file's size; 256 MB keeps a saved log (hours of a busy gateway) readable without risking the host.
 */
export const MAX_LOG_FILE_BYTES = 256 * 1024 * 1024;

/**
 * "Open Log File…": a saved gateway log (`kubectl logs`, with or without --timestamps / --prefix) in the Gateway
 * Logs view. With a Uri argument (Explorer context menu, tests) no dialog is shown.
 */
export const openLogFile = defineCommand({
  id: Commands.openLogFile,
  changes: [],
  target: ([arg]) => (arg instanceof vscode.Uri ? arg : undefined),
  run: async (services, given) => {
    const uri = given ?? (await pickFile());
    if (!uri) return undefined;
    return openFile(services, uri);
  },
});

async function pickFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Open a gateway log file',
    openLabel: 'Open Log',
    canSelectMany: false,
    filters: { 'Log files': ['log', 'txt', 'json', 'jsonl'], 'All files': ['*'] },
  });
  return picked?.[0];
}

async function openFile(services: CommandServices, uri: vscode.Uri): Promise<GatewayLogsPanelHandle> {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.toString();
  const maxEntries = logsMaxEntries(services.log);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Opening ${name}`, cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'reading…' });
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.Directory) throw new Error(`${name} is a folder; Open Log File reads one file`);
      if (stat.size > MAX_LOG_FILE_BYTES) {
        throw new Error(
          `${name} is ${megabytes(stat.size)} MB; Open Log File reads files up to ${megabytes(MAX_LOG_FILE_BYTES)} MB (save a shorter range, e.g. kubectl logs --since=1h)`,
        );
      }
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      const text = decodeLog(bytes);
      let session: FileLogSession | undefined;
      const handle = await services.logPanels.show({
        key: `file:${uri.toString()}`,
        title: name,
        maxEntries,
        createSession: () => (session = createFileLogSession(name, text, { maxEntries })),
      });
      // A large file is parsed in slices after the view opened (rows appear as they are read). Cancelling now stops
      // the parse and keeps what was read.
      const parsing = session as FileLogSession | undefined;
      if (parsing) {
        progress.report({ message: 'parsing…' });
        let stop: vscode.Disposable | undefined;
        // `loaded` does not settle once the session is disposed, so cancellation is raced, not awaited through it.
        const cancelled = new Promise<void>((resolve) => {
          stop = token.onCancellationRequested(() => {
            parsing.dispose();
            resolve();
          });
        });
        try {
          await Promise.race([parsing.loaded, cancelled]);
        } finally {
          stop?.dispose();
        }
        services.log.info(`${name}: ${parsing.lineCount} lines read${token.isCancellationRequested ? ' (cancelled)' : ''}`);
      }
      return handle;
    },
  );
}

/**
 * Saved logs are UTF-8, except what Windows PowerShell 5's `>` writes: UTF-16 LE with a byte-order mark. A UTF-8 BOM
 * is dropped by the decoder.
 */
export function decodeLog(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
