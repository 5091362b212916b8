// Gateway logs in the text editor: the `apim-gateway-log` read-only file system that serves live documents, the
// language's folding and hovers, and the lifetime of each live document (it ends when its last tab closes).
// Why a read-only file system and appends: see liveDocument.ts.
import * as vscode from 'vscode';
import { Languages, Settings } from '../constants.ts';
import type { DeploymentRef } from '../azure/records.ts';
import type { Logger } from '../extensionLog.ts';
import type { LogSession } from '../logSessions/session.ts';
import { Disposable } from '../util/disposable.ts';
import { DocumentEntrySource } from './entrySource.ts';
import { GatewayLogFoldingProvider, GatewayLogHoverProvider, type RequestAdvisor } from './languageFeatures.ts';
import { LiveLogDocument } from './liveDocument.ts';

export const LOG_SCHEME = 'apim-gateway-log';

/** A moved tab closes in one group before it opens in the other: wait this long before calling a document closed. */
const CLOSE_GRACE_MS = 1500;

export interface LogEditorOptions {
  readonly log: Logger;
  /** `arcApimGateway.logs.maxEntries`, read when a document opens. */
  readonly maxEntries: () => number;
  /** Shortest time between two appends (default 100 ms). */
  readonly intervalMs?: number;
  readonly advise?: RequestAdvisor;
}

export interface OpenOptions {
  /** The document disposes the session when it closes (true when the session was made for it). */
  readonly ownsSession: boolean;
  readonly viewColumn?: vscode.ViewColumn;
  /** The document's bound, when not the setting's. */
  readonly maxEntries?: number;
  /** The gateway Deployment the session follows (hovers diagnose failed requests with its gateway's configuration). */
  readonly source?: DeploymentRef;
}

let nextDocumentId = 1;

export class LogEditorService extends Disposable implements vscode.FileSystemProvider {
  private readonly options: LogEditorOptions;
  private readonly documents = new Map<string, LiveLogDocument>();
  private readonly source: DocumentEntrySource;
  private readonly changeEmitter = this.register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  /** Never fires: live documents change through edits, not through "the file changed, read it again". */
  readonly onDidChangeFile = this.changeEmitter.event;

  constructor(options: LogEditorOptions) {
    super();
    this.options = options;
    this.source = new DocumentEntrySource((uri) => this.documents.get(uri.toString()));
    const selector: vscode.DocumentSelector = { language: Languages.gatewayLog };
    this.register(
      vscode.workspace.registerFileSystemProvider(LOG_SCHEME, this, {
        isCaseSensitive: true,
        isReadonly: new vscode.MarkdownString('Gateway logs opened by Arc APIM Gateway are read-only. Use **File: Save As…** to keep a copy.'),
      }),
    );
    this.register(vscode.languages.registerFoldingRangeProvider(selector, new GatewayLogFoldingProvider(this.source)));
    this.register(vscode.languages.registerHoverProvider(selector, new GatewayLogHoverProvider(this.source, options.advise)));
    this.register(vscode.workspace.onDidOpenTextDocument((document) => this.documents.get(document.uri.toString())?.reattach(document)));
    this.register(vscode.workspace.onDidCloseTextDocument((document) => this.onClosed(document.uri)));
    this.register(
      vscode.window.tabGroups.onDidChangeTabs((event) => {
        for (const tab of event.closed) {
          if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === LOG_SCHEME) this.onClosed(tab.input.uri);
        }
      }),
    );
    this.register({ dispose: () => [...this.documents.values()].forEach((d) => d.dispose()) });
  }

  /** Opens the session in a new read-only editor that follows it; the document lives until its last tab closes. */
  async open(session: LogSession, options: OpenOptions): Promise<LiveLogDocument> {
    const id = nextDocumentId++;
    const uri = vscode.Uri.from({ scheme: LOG_SCHEME, path: `/${id}/${fileName(session.title)}.apimlog` });
    const live = new LiveLogDocument(uri, session, {
      maxEntries: options.maxEntries ?? this.options.maxEntries(),
      kubeletTime: vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.logsEditorKubeletTime) === 'always' ? 'always' : 'whenMissing',
      ownsSession: options.ownsSession,
      log: this.options.log,
      ...(options.source ? { source: options.source } : {}),
      ...(this.options.intervalMs !== undefined ? { intervalMs: this.options.intervalMs } : {}),
    });
    const key = uri.toString();
    this.documents.set(key, live);
    live.onDidDispose(() => {
      this.documents.delete(key);
      this.source.forget(uri);
    });
    try {
      let document = await vscode.workspace.openTextDocument(uri);
      // A files.associations setting can claim `*.apimlog` for another language; this document is a gateway log.
      if (document.languageId !== Languages.gatewayLog) document = await vscode.languages.setTextDocumentLanguage(document, Languages.gatewayLog);
      const end = new vscode.Position(document.lineCount - 1, 0);
      await vscode.window.showTextDocument(document, {
        preview: false,
        selection: new vscode.Range(end, end),
        ...(options.viewColumn !== undefined ? { viewColumn: options.viewColumn } : {}),
      });
      // Appending starts once the editor shows the cursor at the end: an append before that would leave the cursor
      // behind, and the editor would not follow.
      live.attach(document);
      this.options.log.info(`opened ${session.title} in the editor: ${live.stats().entries} entries, ${session.live ? 'following' : 'not live'}`);
      return live;
    } catch (error) {
      live.dispose();
      throw error;
    }
  }

  /** The live document behind a uri, while it is open. */
  liveDocument(uri: vscode.Uri): LiveLogDocument | undefined {
    return this.documents.get(uri.toString());
  }

  private onClosed(uri: vscode.Uri): void {
    this.source.forget(uri);
    const live = this.documents.get(uri.toString());
    if (!live) return;
    const timer = setTimeout(() => {
      const stillShown = vscode.window.tabGroups.all.some((group) =>
        group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri.toString()),
      );
      const stillOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && !d.isClosed);
      if (!stillShown || !stillOpen) {
        this.options.log.info(`closed the editor of ${live.session.title}`);
        live.dispose();
      }
    }, CLOSE_GRACE_MS);
    live.onDidDispose(() => clearTimeout(timer));
  }

  // ---- FileSystemProvider: one read-only file per live document ----------------------------------------------------

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const live = this.find(uri);
    const stats = live.stats();
    return { type: vscode.FileType.File, ctime: live.openedAt, mtime: live.openedAt + stats.updates, size: live.model.length, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return new TextEncoder().encode(this.find(uri).text());
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  private find(uri: vscode.Uri): LiveLogDocument {
    const live = this.documents.get(uri.toString());
    // Reopening a closed tab lands here: the session behind it was ended when it closed.
    if (!live) throw vscode.FileSystemError.FileNotFound('This gateway log was closed; open it again with "Open Gateway Logs in Editor".');
    return live;
  }
}

/** A tab title from a session title (`apim/rb-arc-aks-apimgw (rb-arc-aks)`): no path separators. */
function fileName(title: string): string {
  const name = title.replace(/[/\\:*?"<>|]+/g, '-').replace(/\s+/g, ' ').trim();
  return name.length > 0 ? name.slice(0, 120) : 'gateway';
}
