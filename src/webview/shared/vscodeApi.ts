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

/**
 * Calls `handler` with every message that passes `guard`; anything else (another frame's postMessage, a shape from an
 * older host) is ignored rather than trusted. Returns the function that stops listening.
 */
export function onHostMessage<T extends HostToWebview>(
  guard: (value: unknown) => value is T,
  handler: (message: T) => void,
): () => void {
  const listener = (event: MessageEvent<unknown>): void => {
    if (guard(event.data)) handler(event.data);
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}
