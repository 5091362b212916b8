// The one place a webview panel's HTML, content security policy and lifetime are decided. A view brings a script
// bundle (dist/webview/<view>.js), optional stylesheets from media/, and a guard for its messages; the shell does the
// rest: strict CSP, the ready handshake, queueing before ready, and disposing everything with the panel.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { HostToWebview, WebviewToHost } from '../contract/webviewMessages.ts';
import { isReadyMessage } from '../contract/webviewMessages.ts';
import { Disposable } from '../util/disposable.ts';
import { Emitter, type Event } from '../util/event.ts';

export interface PanelShellOptions<TToHost extends WebviewToHost> {
  readonly viewType: string;
  readonly title: string;
  readonly extensionUri: vscode.Uri;
  /** The bundle's name: `dist/webview/<script>.js`. */
  readonly script: string;
  /** Stylesheets under media/. */
  readonly styles?: readonly string[];
  /** Proves a webview message is one this view understands; anything else is ignored. */
  readonly isMessage: (value: unknown) => value is TToHost;
  readonly column?: vscode.ViewColumn;
  readonly iconPath?: vscode.Uri | { light: vscode.Uri; dark: vscode.Uri };
}

/** Messages posted before the webview is ready wait here; a view that floods before ready loses the oldest. */
const MAX_QUEUED = 1000;

export class PanelShell<TToWebview extends HostToWebview, TToHost extends WebviewToHost> extends Disposable {
  readonly panel: vscode.WebviewPanel;
  private readonly received = this.register(new Emitter<TToHost>());
  private readonly becameReady = this.register(new Emitter<void>());
  private readonly lostContent = this.register(new Emitter<void>());
  private readonly closed = this.register(new Emitter<void>());
  /** Every message the view sends, after the guard. */
  readonly onDidReceiveMessage: Event<TToHost> = this.received.event;
  /** The webview's script is running and listening (again, after a reload). */
  readonly onDidBecomeReady: Event<void> = this.becameReady.event;
  /** The webview's content was destroyed (hidden without retained context): whatever it held must be sent again. */
  readonly onDidLoseContent: Event<void> = this.lostContent.event;
  readonly onDidClose: Event<void> = this.closed.event;
  private ready = false;
  private queue: TToWebview[] = [];

  constructor(options: PanelShellOptions<TToHost>) {
    super();
    const webviewRoot = vscode.Uri.joinPath(options.extensionUri, 'dist', 'webview');
    const mediaRoot = vscode.Uri.joinPath(options.extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(
      options.viewType,
      options.title,
      { viewColumn: options.column ?? vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        enableForms: false,
        enableCommandUris: false,
        // Not retained when hidden: a hidden log view would keep tens of MB of rows and a render loop alive for
        // nothing. The host keeps the session; on show the webview reloads, says ready, and gets the snapshot again.
        retainContextWhenHidden: false,
        localResourceRoots: [webviewRoot, mediaRoot],
      },
    );
    if (options.iconPath) this.panel.iconPath = options.iconPath;
    const webview = this.panel.webview;
    webview.html = renderHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      title: options.title,
      script: webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot, `${options.script}.js`)).toString(),
      styles: (options.styles ?? []).map((file) => webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, file)).toString()),
    });
    this.register(
      webview.onDidReceiveMessage((message: unknown) => {
        if (isReadyMessage(message)) {
          this.ready = true;
          for (const queued of this.queue.splice(0)) void webview.postMessage(queued);
          this.becameReady.fire();
        } else if (options.isMessage(message)) {
          this.received.fire(message);
        }
      }),
    );
    this.register(
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible && this.ready) {
          this.ready = false;
          this.queue = [];
          this.lostContent.fire();
        }
      }),
    );
    // The user closing the tab disposes the panel; this object (and all it owns) goes with it.
    this.register(this.panel.onDidDispose(() => this.dispose()));
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Sends now when the webview is ready, else queues until it is. */
  post(message: TToWebview): void {
    if (this.isDisposed) return;
    if (this.ready) {
      void this.panel.webview.postMessage(message);
      return;
    }
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED);
  }

  reveal(): void {
    this.panel.reveal();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    const wasReady = this.ready;
    this.ready = false;
    this.queue = [];
    if (wasReady) this.lostContent.fire();
    this.closed.fire();
    super.dispose();
    // Disposing an already disposed panel is a no-op.
    this.panel.dispose();
  }
}

export interface HtmlParts {
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
  readonly script: string;
  readonly styles: readonly string[];
}

/**
 * `default-src 'none'`: nothing loads unless listed. Scripts only with the nonce (no inline handlers, no eval), styles
 * from the extension or with the nonce, no images, fonts, frames or connections at all: the view draws its chart on
 * a canvas and gets its data by postMessage.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderHtml(parts: HtmlParts): string {
  const styleLinks = parts.styles.map((href) => `<link rel="stylesheet" href="${escapeAttribute(href)}" nonce="${parts.nonce}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(parts.cspSource, parts.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styleLinks}
    <title>${escapeText(parts.title)}</title>
  </head>
  <body>
    <div id="root"></div>
    <script nonce="${parts.nonce}" src="${escapeAttribute(parts.script)}"></script>
  </body>
</html>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
