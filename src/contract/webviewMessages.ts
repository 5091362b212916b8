// The host↔webview message contract. Pure (no `vscode`, no DOM): both the extension bundle and the browser bundles
// compile it, so a message shape can only change in one place. Each view adds its own messages to these unions.
import type { GatewayLogsToHost, GatewayLogsToWebview, PackedAppendMessage } from './gatewayLogs.ts';
import type { HealthToHost, HealthToWebview } from './health.ts';
import type { TestRequestToHost, TestRequestToWebview } from './testRequest.ts';

/** The first message of every webview: the host streams nothing before it (messages sent earlier are lost). */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Every message a webview sends to the host. */
export type WebviewToHost = ReadyMessage | GatewayLogsToHost | TestRequestToHost | HealthToHost;

/** Every message the host sends to a webview. */
export type HostToWebview = { readonly type: 'init'; readonly view: string } | GatewayLogsToWebview | PackedAppendMessage | TestRequestToWebview | HealthToWebview;

export function isReadyMessage(value: unknown): value is ReadyMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'ready';
}

