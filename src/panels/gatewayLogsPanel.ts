// The Gateway Logs panel: a PanelShell running the gatewayLogs bundle, fed by a GatewayLogsDataProvider. One panel
// per source; opening a source that already has a panel reveals it. The panel owns its session: closing the tab
// stops the follow.
import * as vscode from 'vscode';
import type { ExplanationMessage, GatewayLogsToHost, GatewayLogsWire } from '../contract/gatewayLogs.ts';
import { isGatewayLogsToHost, toWire } from '../contract/gatewayLogs.ts';
import type { Logger } from '../extensionLog.ts';
import type { LogSession, TaggedEntry } from '../logSessions/session.ts';
import { Disposable } from '../util/disposable.ts';
import type { Event } from '../util/event.ts';
import { GatewayLogsDataProvider, type DeliveryStats, type ExplainRecord } from './gatewayLogsProvider.ts';
import { PanelShell } from './panelShell.ts';

export const GATEWAY_LOGS_VIEW_TYPE = 'arcApimGateway.gatewayLogs';

/** What a command returns after opening logs: enough for our integration tests to see rows arrive, nothing more. */
export interface GatewayLogsPanelHandle {
  readonly key: string;
  readonly title: string;
  /** Rows posted to the webview and rows it confirmed it stored. */
  delivery(): DeliveryStats;
  /** The session has ended: its streams are closed (the panel was closed, or a followed source went away). */
  readonly ended: boolean;
  reveal(): void;
  close(): void;
  /** The entries the view was given (tests find a record's seq here). */
  entries(): readonly TaggedEntry[];
  /** "Why did this fail?" on the record `seq`, as its button asks it; resolves with the view's final message. */
  explain(seq: number): Promise<ExplanationMessage | undefined>;
  /** "Send again in Send Test Request…" on the record `seq`, as its button asks it. */
  resend(seq: number): void;
}

export interface OpenLogsOptions {
  /** Identifies the source (`file:/path`, `deployment:ctx/ns/name`): a second open of it reveals the first panel. */
  readonly key: string;
  readonly title: string;
  readonly maxEntries: number;
  /** Called only when no panel for `key` is open; the panel owns (and disposes) what it returns. */
  readonly createSession: () => LogSession | Promise<LogSession>;
  /** "Why did this fail?" with what the opener knows of the source (its gateway in Azure); default: the record alone. */
  readonly explain?: ExplainRecord;
  /** "Send again…" after a diagnosis: opens the record's request in Send Test Request. */
  readonly resend?: (entry: TaggedEntry) => unknown;
}

class GatewayLogsPanel extends Disposable implements GatewayLogsPanelHandle {
  readonly key: string;
  readonly title: string;
  private readonly shell: PanelShell<GatewayLogsWire, GatewayLogsToHost>;
  private readonly provider: GatewayLogsDataProvider;
  private readonly session: LogSession;
  readonly onDidClose: Event<void>;
  private sessionEnded = false;

  constructor(extensionUri: vscode.Uri, key: string, session: LogSession, maxEntries: number, log: Logger, explain: ExplainRecord | undefined, resend: ((entry: TaggedEntry) => unknown) | undefined) {
    super();
    this.session = session;
    this.key = key;
    this.title = session.title;
    // Disposal runs in reverse: the webview and the provider go first, then the session (its streams), and last this
    // listener, so it still hears the session end.
    this.register(session.onDidEnd(() => (this.sessionEnded = true)));
    this.register(session);
    this.shell = this.register(
      new PanelShell<GatewayLogsWire, GatewayLogsToHost>({
        viewType: GATEWAY_LOGS_VIEW_TYPE,
        title: `Logs: ${session.title}`,
        extensionUri,
        script: 'gatewayLogs',
        styles: ['gatewayLogs.css'],
        isMessage: isGatewayLogsToHost,
        iconPath: vscode.Uri.joinPath(extensionUri, 'media', 'activitybar.svg'),
      }),
    );
    this.provider = this.register(
      new GatewayLogsDataProvider(session, (message) => this.shell.post(toWire(message)), {
        maxEntries,
        copy: (text) => {
          void vscode.env.clipboard.writeText(text).then(
            () => vscode.window.setStatusBarMessage('Copied to the clipboard', 2000),
            (error: unknown) => log.warn(`copy to the clipboard failed: ${String(error)}`),
          );
        },
        ...(explain ? { explain } : {}),
        ...(resend ? { resend } : {}),
      }),
    );
    this.register(this.shell.onDidBecomeReady(() => this.provider.onReady()));
    this.register(this.shell.onDidLoseContent(() => this.provider.onLost()));
    this.register(this.shell.onDidReceiveMessage((message) => this.provider.handle(message)));
    this.onDidClose = this.shell.onDidClose;
    this.register(this.shell.onDidClose(() => this.dispose()));
    log.info(`opened logs for ${key}`);
  }

  delivery(): DeliveryStats {
    return this.provider.delivery();
  }

  get isClosed(): boolean {
    return this.isDisposed;
  }

  get ended(): boolean {
    return this.sessionEnded;
  }

  reveal(): void {
    this.shell.reveal();
  }

  close(): void {
    this.dispose();
  }

  entries(): readonly TaggedEntry[] {
    return this.session.snapshot();
  }

  explain(seq: number): Promise<ExplanationMessage | undefined> {
    return this.provider.runExplain(seq);
  }

  resend(seq: number): void {
    this.provider.handle({ type: 'gatewayLogs/resend', seq });
  }
}

/** The open Gateway Logs panels, keyed by source. Disposed with the extension. */
export class GatewayLogsPanels extends Disposable {
  private readonly extensionUri: vscode.Uri;
  private readonly log: Logger;
  private readonly open = new Map<string, GatewayLogsPanel>();

  constructor(extensionUri: vscode.Uri, log: Logger) {
    super();
    this.extensionUri = extensionUri;
    this.log = log;
    this.register({ dispose: () => [...this.open.values()].forEach((panel) => panel.dispose()) });
  }

  async show(options: OpenLogsOptions): Promise<GatewayLogsPanelHandle> {
    const existing = this.open.get(options.key);
    if (existing && !existing.isClosed) {
      existing.reveal();
      return existing;
    }
    const session = await options.createSession();
    if (this.isDisposed) {
      session.dispose();
      throw new vscode.CancellationError();
    }
    const panel = new GatewayLogsPanel(this.extensionUri, options.key, session, options.maxEntries, this.log, options.explain, options.resend);
    this.open.set(options.key, panel);
    panel.onDidClose(() => {
      if (this.open.get(options.key) === panel) this.open.delete(options.key);
    });
    return panel;
  }

  /** The open panels' handles (for tests). */
  handles(): readonly GatewayLogsPanelHandle[] {
    return [...this.open.values()];
  }
}
