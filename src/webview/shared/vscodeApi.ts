// The browser side of the contract: the only way webview code talks to the host.
import type { HostToWebview, WebviewToHost } from '../../contract/webviewMessages.ts';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function hostApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

export function onHostMessage(handler: (message: HostToWebview) => void): void {
  window.addEventListener('message', (event: MessageEvent<HostToWebview>) => handler(event.data));
}
