// One LogSession shown as a text document that grows at the end while the session runs.
//
// Why a read-only FileSystemProvider document that is then appended to with workspace.applyEdit:
// - A document of a read-only file system never becomes dirty (VS Code assumes no user made the change), so closing
//   it never asks "save changes?", and nothing is written to the user's disk. An untitled document would be dirty
//   from the first line and ask on close; a file in the workspace or temp folder would litter the disk.
// - applyEdit sends only the appended lines to the window and inserts them at the end: what is already there is
//   never rewritten, so folds, selections and the scroll position stay. A TextDocumentContentProvider (or a file
//   system change event) instead makes VS Code re-read the whole text on every change and diff it, and above
//   ~100k characters it replaces the whole document.
// - VS Code lets bulk edits through to read-only editors on purpose (microsoft/vscode#68549), and the user cannot
//   type into the log.
// The cost: each update is an undo step VS Code keeps in the window (it is released when the document closes). The
// bound on entries keeps the document's own size in check; a tail left open for days also grows that history.
import * as vscode from 'vscode';
import type { DeploymentRef } from '../azure/records.ts';
import type { Logger } from '../extensionLog.ts';
import type { LogSession } from '../logSessions/session.ts';
import { Disposable } from '../util/disposable.ts';
import { LogDocumentModel, type DocumentUpdate, type Incoming, type KubeletTimeMode } from './documentModel.ts';
import { UpdatePump, type PumpTimers } from './updatePump.ts';

export interface LiveDocumentOptions {
  readonly maxEntries: number;
  /** `arcApimGateway.logs.editor.kubeletTime`: the kubelet's time on every line, or only where the gateway wrote none. */
  readonly kubeletTime?: KubeletTimeMode;
  /** Shortest time between two edits; 100 ms = at most 10 updates a second. */
  readonly intervalMs?: number;
  /** Dispose the session with the document (the command created it for this document). */
  readonly ownsSession: boolean;
  /** The gateway Deployment the session follows, when it is one (diagnosis looks its gateway up in Azure). */
  readonly source?: DeploymentRef;
  readonly log: Logger;
  readonly timers?: PumpTimers;
}

/** What the document did, for the log and for tests that check the update rate and that nothing was rewritten. */
export interface LiveDocumentStats {
  readonly updates: number;
  readonly appendedEntries: number;
  readonly droppedEntries: number;
  readonly entries: number;
  readonly lines: number;
  readonly ended: boolean;
}

/** How long after a tab is shown its restored view state may still arrive. */
const CATCH_UP_MS = 1000;

export class LiveLogDocument extends Disposable {
  readonly uri: vscode.Uri;
  readonly session: LogSession;
  /** The gateway Deployment behind the session; undefined for a file or a single pod. */
  readonly source: DeploymentRef | undefined;
  readonly model: LogDocumentModel;
  /** Epoch ms: the file's ctime, and the base of its mtime (VS Code compares them to tell versions apart). */
  readonly openedAt = Date.now();
  /** The document version that the model's text matches; hovers and folding trust the model only then. */
  committedVersion: number | undefined;
  private readonly log: Logger;
  private readonly pump: UpdatePump;
  private pending: Incoming[] = [];
  private document: vscode.TextDocument | undefined;
  private updates = 0;
  private appended = 0;
  private ended = false;
  /**
   * Whether the document's editors follow the end, as seen the last time one was visible: a tab in the background
   * cannot be scrolled, so it catches up when it is shown again.
   */
  private following = true;
  /** Until when a selection change not made by the user is VS Code restoring a shown tab's view state. */
  private catchUpUntil = 0;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  /** Fires once, when the document is closed or the extension disposes it. */
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(uri: vscode.Uri, session: LogSession, options: LiveDocumentOptions) {
    super();
    this.uri = uri;
    this.session = session;
    this.source = options.source;
    this.log = options.log;
    this.model = new LogDocumentModel({ maxEntries: options.maxEntries, ...(options.kubeletTime ? { kubeletTime: options.kubeletTime } : {}) });
    this.model.notePods(session.pods().map((p) => p.pod));
    // The snapshot and the subscription are taken in the same tick, so no entry falls between them; the model skips
    // any entry it already has.
    this.model.commit(this.model.plan(session.snapshot().map((entry) => ({ entry }))));
    this.register(session.onDidAppend((entries) => this.enqueue(entries.map((entry) => ({ entry })))));
    this.register(session.onNotice((notice) => this.enqueue([{ notice }])));
    this.register(session.onDidChangePods((pods) => this.model.notePods(pods.map((p) => p.pod))));
    this.register(
      session.onDidEnd(() => {
        this.ended = true;
        if (session.live) this.enqueue([{ notice: { time: Date.now(), text: 'The log stream ended: no more lines will be added.' } }]);
      }),
    );
    if (options.ownsSession) this.register(session);
    this.register(
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (!this.following || !this.document) return;
        const shown = editors.filter((editor) => editor.document === this.document);
        for (const editor of shown) revealEnd(editor);
        // VS Code restores the tab's old cursor and scroll position after this event, on its own schedule; for a
        // moment after showing, a selection change of no kind (not keyboard, mouse or command) is that restore, and
        // the end is shown again. Without this, a tab shown again caught up only when more lines arrived.
        if (shown.length > 0) this.catchUpUntil = Date.now() + CATCH_UP_MS;
      }),
    );
    this.register(
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document !== this.document || Date.now() > this.catchUpUntil || !this.following) return;
        // Keyboard, mouse and commands (Go to Line, other extensions) are someone's choice: that ends the catching up.
        if (event.kind !== undefined) {
          this.catchUpUntil = 0;
          return;
        }
        if (!isAtEnd(event.textEditor, event.textEditor.document)) revealEnd(event.textEditor);
      }),
    );
    this.pump = this.register(
      new UpdatePump(() => this.flush(), options.intervalMs ?? 100, (error) => this.log.error(`updating ${this.session.title} failed`, error), options.timers),
    );
    // Registered in this order so that disposal (last first) fires the event before the emitter goes.
    this.register(this.disposedEmitter);
    this.register({ dispose: () => this.disposedEmitter.fire() });
  }

  /** The text the file system provider serves when VS Code opens (or re-reads) the document. */
  text(): string {
    return this.model.text();
  }

  stats(): LiveDocumentStats {
    return {
      updates: this.updates,
      appendedEntries: this.appended,
      droppedEntries: this.model.droppedEntries,
      entries: this.model.entryCount,
      lines: this.model.lineCount,
      ended: this.ended,
    };
  }

  /** Called once the editor shows the document: from now on arriving entries are appended. */
  attach(document: vscode.TextDocument): void {
    this.document = document;
    this.committedVersion = document.version;
    if (this.pending.length > 0) this.pump.request();
  }

  /** VS Code replaced the document object (a language change closes and reopens it with the same text). */
  reattach(document: vscode.TextDocument): void {
    if (this.document && this.document !== document) this.attach(document);
  }

  /** True when nothing is waiting to be written (tests wait for this before comparing the text). */
  get settled(): boolean {
    return this.pending.length === 0 && this.pump.idle;
  }

  private enqueue(items: Incoming[]): void {
    if (this.isDisposed) return;
    for (const item of items) this.pending.push(item);
    if (this.document) this.pump.request();
  }

  private async flush(): Promise<void> {
    const document = this.document;
    if (!document || this.isDisposed || this.pending.length === 0) return;
    if (document.isClosed) {
      // Closed in a way the tab listener did not see (the window reloaded the model): stop rather than reopen it.
      this.dispose();
      return;
    }
    const incoming = this.pending;
    this.pending = [];
    const update = this.model.plan(incoming);
    if (update.text.length === 0 && update.deleteLines === 0) return;
    if (document.lineCount - 1 !== update.insertAtLine) {
      // Someone else changed the text (another extension's edit): appending at our idea of the end would corrupt it.
      this.log.error(`${this.session.title}: the document has ${document.lineCount - 1} lines where ${update.insertAtLine} were written; following stops`);
      this.dispose();
      return;
    }
    const visible = vscode.window.visibleTextEditors.filter((editor) => editor.document === document);
    const followers = visible.filter((editor) => isAtEnd(editor, document));
    if (visible.length > 0) this.following = followers.length > 0;
    const applied = await vscode.workspace.applyEdit(toWorkspaceEdit(this.uri, update));
    if (!applied || this.isDisposed) {
      if (!applied) this.log.warn(`${this.session.title}: VS Code refused an append; following stops`);
      this.dispose();
      return;
    }
    this.model.commit(update);
    this.committedVersion = document.version;
    this.updates++;
    this.appended += update.appendedEntries;
    if (update.droppedEntries > 0 && this.model.droppedEntries === update.droppedEntries) {
      this.log.info(`${this.session.title}: the editor now drops the oldest entries (bound ${this.model.maxEntries})`);
    }
    for (const editor of followers) revealEnd(editor);
  }
}

/**
 * An editor follows the log while its cursor is on the last line (or the one before the final empty line). Moving
 * the cursor up stops following; putting it back at the end resumes. Scrolling alone does not decide: the view is
 * still settling right after the editor opens, and the cursor is what the user clearly placed.
 */
function isAtEnd(editor: vscode.TextEditor, document: vscode.TextDocument): boolean {
  const last = document.lineCount - 1;
  return editor.selections.length === 1 && editor.selection.isEmpty && editor.selection.active.line >= last - 1;
}

function toWorkspaceEdit(uri: vscode.Uri, update: DocumentUpdate): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  // Both ranges refer to the text before the edit: the top lines go, the new lines go after the last one.
  if (update.deleteLines > 0) edit.delete(uri, new vscode.Range(0, 0, update.deleteLines, 0));
  if (update.text.length > 0) edit.insert(uri, new vscode.Position(update.insertAtLine, 0), update.text);
  return edit;
}

function revealEnd(editor: vscode.TextEditor): void {
  const end = new vscode.Position(editor.document.lineCount - 1, 0);
  editor.selection = new vscode.Selection(end, end);
  editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
}
