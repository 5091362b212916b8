// The Test Request view's messages. Pure (no `vscode`, no DOM): the extension host and the webview bundle both
// compile this file. Response content crosses as strings and is only ever shown with textContent.
import type { FindingCode, Severity } from '../diagnosis/types.ts';

export interface TestRequestFixView {
  /** The fix's kind (`allow-http`, `pick-subscription-key`, `retry-https`, …). */
  readonly id: string;
  readonly label: string;
  /** Whether this host can act on it; others are shown for information. */
  readonly actionable: boolean;
}

export interface TestRequestFindingView {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly title: string;
  readonly explanation: string;
  readonly evidence: readonly { readonly label: string; readonly value: string }[];
  readonly fixes: readonly TestRequestFixView[];
}

export type TestResponseView =
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly headers: readonly (readonly [string, string])[];
      readonly body: string;
      readonly bodySize: number;
      readonly contentType?: string;
    }
  | { readonly kind: 'transport'; readonly error: string; readonly message: string };

export interface TestRequestRecordView {
  readonly pod?: string;
  readonly line: number;
  readonly timeGenerated?: string;
  readonly fields: readonly (readonly [string, string])[];
  /** lastError as indented JSON. */
  readonly lastError?: string;
}

export interface TestRequestResult {
  readonly method: string;
  /** The URL the gateway was asked for (no key in it). */
  readonly url: string;
  readonly transport: string;
  /** The proxy call or curl command line, key masked. */
  readonly description: string;
  readonly keySent: boolean;
  readonly sentAt: string;
  readonly durationMs?: number;
  readonly response: TestResponseView;
  readonly record?: TestRequestRecordView;
  readonly recordSearch: { readonly searchedMs: number; readonly seen: number };
  readonly findings: readonly TestRequestFindingView[];
}

export type TestRequestToWebview =
  | { readonly type: 'testRequest/result'; readonly result: TestRequestResult; readonly attempt: number }
  | { readonly type: 'testRequest/busy'; readonly text: string }
  | { readonly type: 'testRequest/error'; readonly text: string };

export type TestRequestToHost =
  | { readonly type: 'testRequest/fix'; readonly finding: number; readonly fix: number }
  | { readonly type: 'testRequest/retry' };

export function isTestRequestToHost(value: unknown): value is TestRequestToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; finding?: unknown; fix?: unknown };
  if (m.type === 'testRequest/retry') return true;
  return m.type === 'testRequest/fix' && Number.isInteger(m.finding) && Number.isInteger(m.fix) && (m.finding as number) >= 0 && (m.fix as number) >= 0;
}

export function isTestRequestToWebview(value: unknown): value is TestRequestToWebview {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; result?: unknown; text?: unknown };
  if (m.type === 'testRequest/result') return typeof m.result === 'object' && m.result !== null;
  return (m.type === 'testRequest/busy' || m.type === 'testRequest/error') && typeof m.text === 'string';
}
