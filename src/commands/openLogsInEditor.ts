import * as vscode from 'vscode';
import type { DeploymentRef } from '../azure/records.ts';
import { Commands } from '../constants.ts';
import type { LiveLogDocument } from '../editor/liveDocument.ts';
import { createFileLogSession } from '../logSessions/fileSession.ts';
import { createDeploymentLogSession, type FollowTarget } from '../logSessions/followSession.ts';
import type { LogSession } from '../logSessions/session.ts';
import { logsMaxEntries, logsMaxLineLength } from '../panels/logSettings.ts';
import { MAX_LOG_FILE_BYTES, decodeLog } from './openLogFile.ts';
import { contextItems, pickGatewayDeployment, type ContextChoice } from './gatewayPicker.ts';
import { followTargetOf } from './targets.ts';
import { defineCommand, type CommandServices } from './types.ts';

/**
 * "Open Gateway Logs in Editor": a gateway's log as a read-only document in language apim-gateway-log (folding,
 * hovers, colours), appended to while the gateway writes.
 * - From a gateway Deployment or pod in the Gateways tree (or a FollowTarget): all its pods, followed live.
 * - With a file Uri: that saved log, read as "Open Log File…" reads it (kubectl prefixes and kubelet times).
 * - From the palette: a kubeconfig context and one of its gateway Deployments, or a saved log file.
 */
export const openLogsInEditor = defineCommand({
  id: Commands.openLogsInEditor,
  changes: [],
  target: ([arg]): vscode.Uri | FollowTarget | undefined => (arg instanceof vscode.Uri ? arg : followTargetOf(arg)),
  run: async (services, target): Promise<LiveLogDocument | undefined> => {
    if (target instanceof vscode.Uri) return openFile(services, target);
    if (target) return follow(services, target);
    const choice = await pickSource(services);
    if (!choice) return undefined;
    return choice.kind === 'file' ? openFile(services, choice.uri) : follow(services, choice.target);
  },
});

async function follow(services: CommandServices, target: FollowTarget): Promise<LiveLogDocument> {
  const maxEntries = logsMaxEntries(services.log);
  const what = `${target.namespace}/${target.deployment ?? target.pod ?? target.labelSelector ?? ''}`;
  const session = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Connecting to ${what} (${target.context})`, cancellable: true },
    async (_progress, token) => {
      const started = createDeploymentLogSession(target, { clients: services.kubernetes, log: services.log.child('follow') }, { maxEntries, maxLineLength: logsMaxLineLength(services.log) });
      const result = await Promise.race([started, new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)))]);
      if (!result) {
        // The session may still arrive after the user gave up: it must not keep following in the background.
        void started.then((late) => late.dispose(), () => undefined);
        throw new vscode.CancellationError();
      }
      return result;
    },
  );
  // A Deployment's hovers diagnose failed requests with its gateway's configuration from Azure.
  return show(services, session, target.deployment ? { context: target.context, namespace: target.namespace, deployment: target.deployment } : undefined);
}

async function openFile(services: CommandServices, uri: vscode.Uri): Promise<LiveLogDocument> {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.toString();
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) throw new Error(`${name} is a folder; choose one log file`);
  if (stat.size > MAX_LOG_FILE_BYTES) {
    throw new Error(`${name} is larger than ${MAX_LOG_FILE_BYTES / (1024 * 1024)} MB; save a shorter range (kubectl logs --since=1h)`);
  }
  const text = decodeLog(await vscode.workspace.fs.readFile(uri));
  const session = createFileLogSession(name, text, { maxEntries: logsMaxEntries(services.log) });
  // A large file is parsed in slices; the document shows what was read and grows as the rest is parsed.
  return show(services, session);
}

async function show(services: CommandServices, session: LogSession, source?: DeploymentRef): Promise<LiveLogDocument> {
  try {
    return await services.logEditor.open(session, { ownsSession: true, ...(source ? { source } : {}) });
  } catch (error) {
    session.dispose();
    throw error;
  }
}

type Source = { kind: 'file'; uri: vscode.Uri } | { kind: 'follow'; target: FollowTarget };

type ContextPick = vscode.QuickPickItem & ContextChoice;
type SourcePick = ContextPick | (vscode.QuickPickItem & { readonly file?: true });

/** A context (then one of its gateway Deployments) or a saved file; straight to the file dialog without a kubeconfig. */
async function pickSource(services: CommandServices): Promise<Source | undefined> {
  const contexts = services.kubeconfig.exists() ? await contextItems(services).catch((): ContextPick[] => []) : [];
  let context: ContextPick | undefined;
  if (contexts.length > 0) {
    const items: SourcePick[] = [
      ...contexts,
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(go-to-file) Open a saved log file…', file: true as const },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Open Gateway Logs in Editor',
      placeHolder: 'The cluster context the gateway runs in, or a saved log file',
    });
    if (!picked) return undefined;
    context = 'context' in picked ? picked : undefined;
  }
  if (context === undefined) {
    const files = await vscode.window.showOpenDialog({
      title: 'Open a gateway log file in the editor',
      openLabel: 'Open in Editor',
      canSelectMany: false,
      filters: { 'Log files': ['log', 'txt', 'json', 'jsonl', 'apimlog'], 'All files': ['*'] },
    });
    return files?.[0] ? { kind: 'file', uri: files[0] } : undefined;
  }
  const target = await pickGatewayDeployment(services, context, `Open Gateway Logs in Editor: gateway in ${context.context}`);
  return target ? { kind: 'follow', target } : undefined;
}
