// The built Gateway Logs webview bundle in real Chromium, outside VS Code: the page has the panel's CSP (nonce-only
// script and style) plus `connect-src 'self'` for the harness's own channel, a stand-in for acquireVsCodeApi, and
// the benchmark probe. Host messages travel as JSON lines over a streamed HTTP response from a local server and are handed
// to the webview as window message events — as code-server delivers a remote extension host's messages (JSON over
// a local socket). Playwright's evaluate() (~50 µs a row) and EventSource (~60 µs) would swamp what is measured.
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { launchChromium, type Page } from '../scripts/lib/browser.ts';
import { repoRoot } from '../scripts/lib/code-server.ts';
import type { GatewayLogsToWebview, LogRow } from '../src/contract/gatewayLogs.ts';
import type { HostToWebview, WebviewToHost } from '../src/contract/webviewMessages.ts';

export interface WebviewPage {
  readonly page: Page;
  /** Delivers host messages to the webview as message events, in order. */
  post(...messages: HostToWebview[]): void;
  readonly console: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Receives every message the webview posts (ready, ack, copy, …). */
  onMessage?: (message: WebviewToHost) => void;
  width?: number;
  height?: number;
  /** The view's bundle (`dist/webview/<view>.js`) and stylesheet (`media/<view>.css`); default gatewayLogs. */
  view?: string;
}

const NONCE = 'benchNonce0123456789';

/** The theme variables VS Code would inject (Dark Modern), so colours and contrast look as they do in the editor. */
const THEME = [
  '--vscode-foreground:#cccccc', '--vscode-editor-background:#1f1f1f', '--vscode-font-family:system-ui,sans-serif',
  '--vscode-font-size:13px', '--vscode-editor-font-family:monospace', '--vscode-charts-green:#89d185',
  '--vscode-charts-blue:#3794ff', '--vscode-charts-yellow:#cca700', '--vscode-charts-red:#f14c4c',
  '--vscode-descriptionForeground:#9d9d9d', '--vscode-list-hoverBackground:#2a2d2e',
  '--vscode-list-activeSelectionBackground:#04395e', '--vscode-list-activeSelectionForeground:#ffffff',
  '--vscode-errorForeground:#f85149', '--vscode-editorWarning-foreground:#cca700', '--vscode-focusBorder:#0078d4',
  '--vscode-button-background:#0078d4', '--vscode-button-foreground:#ffffff', '--vscode-button-secondaryBackground:#313131',
  '--vscode-button-secondaryForeground:#cccccc', '--vscode-input-background:#313131', '--vscode-input-foreground:#cccccc',
  '--vscode-panel-border:#2b2b2b', '--vscode-badge-background:#616161', '--vscode-badge-foreground:#f8f8f8',
].join(';');

export async function openWebviewPage(options: HarnessOptions = {}): Promise<WebviewPage> {
  const view = options.view ?? 'gatewayLogs';
  const bundle = path.join(repoRoot, 'dist', 'webview', `${view}.js`);
  let script: string;
  try {
    script = readFileSync(bundle, 'utf8');
  } catch {
    throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  }
  const css = readFileSync(path.join(repoRoot, 'media', `${view}.css`), 'utf8');
  // Page code, kept as a string: it runs in the browser. The channel opens before the bundle runs, and the bundle's
  // first message (ready) is only sent once the channel is open, so nothing posted after ready can be missed.
  const prelude = `
    window.__paints = []; window.__stored = []; window.__filters = []; window.__charts = []; window.__state = undefined;
    window.__gatewayLogsProbe = {
      painted: (seq, at) => window.__paints.push([seq, at]),
      stored: (batch, at) => window.__stored.push([batch, at]),
      filtered: (ms, rows) => window.__filters.push([ms, rows]),
      charted: (ms) => window.__charts.push(ms),
    };
    window.__channelOpen = fetch('/events').then((response) => {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      // Pieces of the line being read: a message of several MB arrives in many chunks, and re-splitting the joined
      // text at every chunk would copy it over and over (quadratic: a million rows never arrived).
      let pieces = [];
      const pump = () => reader.read().then(({ value, done }) => {
        if (done) return;
        let from = 0;
        for (let nl = value.indexOf('\\n'); nl >= 0; nl = value.indexOf('\\n', from)) {
          pieces.push(value.slice(from, nl));
          const line = pieces.join('');
          pieces = [];
          from = nl + 1;
          if (line) for (const m of JSON.parse(line)) window.postMessage(m, '*');
        }
        if (from < value.length) pieces.push(value.slice(from));
        return pump();
      });
      pump();
    });
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { window.__channelOpen.then(() => window.__toHost(m)); },
      getState: () => window.__state,
      setState: (s) => { window.__state = s; },
    });`;
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
    <style nonce="${NONCE}">body{${THEME}}
    ${css}</style></head><body><div id="root"></div>
    <script nonce="${NONCE}">${prelude}</script>
    <script nonce="${NONCE}">${script.replace(/<\/script/gi, '<\\/script')}</script></body></html>`;
  const csp = `default-src 'none'; style-src 'nonce-${NONCE}'; script-src 'nonce-${NONCE}'; connect-src 'self'; base-uri 'none'`;

  let stream: ServerResponse | undefined;
  const waiting: string[] = [];
  const server = createServer((req, res) => {
    if (req.url === '/events') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
      res.flushHeaders();
      stream = res;
      for (const chunk of waiting.splice(0)) res.write(chunk);
      return;
    }
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
      res.end(html);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.setViewportSize({ width: options.width ?? 1400, height: options.height ?? 900 });
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  await page.exposeFunction('__toHost', (message: WebviewToHost) => options.onMessage?.(message));
  await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'load' });
  return {
    page,
    console: consoleLines,
    post: (...messages) => {
      const chunk = `${JSON.stringify(messages)}\n`;
      if (stream) stream.write(chunk);
      else waiting.push(chunk);
    },
    close: async () => {
      stream?.end();
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Batches of rows as the data provider sends them (at most `size` per message). */
export function appendMessages(rows: readonly LogRow[], size = 5000, firstBatch = 1): GatewayLogsToWebview[] {
  const out: GatewayLogsToWebview[] = [];
  for (let i = 0, b = firstBatch; i < rows.length; i += size, b++) {
    out.push({ type: 'gatewayLogs/append', batch: b, rows: rows.slice(i, i + size), skipped: 0 });
  }
  return out;
}
