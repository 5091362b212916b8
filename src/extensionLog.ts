import type * as vscode from 'vscode';
import { redact } from './util/redact.ts';

/** The extension's own log: one LogOutputChannel, lines tagged with the component that wrote them. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  debug(message: string): void;
  child(component: string): Logger;
}

export function createLogger(channel: vscode.LogOutputChannel, component = 'core'): Logger {
  const tag = (message: string): string => redact(`[${component}] ${message}`);
  return {
    info: (message) => channel.info(tag(message)),
    warn: (message) => channel.warn(tag(message)),
    debug: (message) => channel.debug(tag(message)),
    error: (message, error) => {
      const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? '' : `: ${String(error)}`;
      channel.error(tag(`${message}${detail}`));
    },
    child: (name) => createLogger(channel, `${component}/${name}`),
  };
}
