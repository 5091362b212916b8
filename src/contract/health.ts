// The Gateway Health view's messages. Pure (no `vscode`, no DOM): the extension host and the webview bundle both
// compile this file. The report is the engine's own (src/health), already masked; the webview shows every string
// with textContent. A fix travels back as indices into the report the view was shown, never as data to act on.
import type { HealthReport } from '../health/types.ts';

export interface HealthReportMessage {
  readonly type: 'health/report';
  /** `Deployment apim/rb-arc-aks-apimgw (rb-arc-aks)`. */
  readonly target: string;
  readonly checkedAt: string;
  readonly report: HealthReport;
  /** What could not be read at all (ARM not linked, not signed in), said once above the checks. */
  readonly notes: readonly string[];
}

export interface HealthBusyMessage {
  readonly type: 'health/busy';
  readonly message: string;
}

export interface HealthErrorMessage {
  readonly type: 'health/error';
  readonly message: string;
}

export type HealthToWebview = HealthReportMessage | HealthBusyMessage | HealthErrorMessage;

export interface HealthRecheckMessage {
  readonly type: 'health/recheck';
}

/** Act on fix `fix` of finding `finding` of the report last shown. */
export interface HealthFixMessage {
  readonly type: 'health/fix';
  readonly finding: number;
  readonly fix: number;
}

export type HealthToHost = HealthRecheckMessage | HealthFixMessage;

const index = (value: unknown): boolean => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1000;

export function isHealthToHost(value: unknown): value is HealthToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; finding?: unknown; fix?: unknown };
  if (m.type === 'health/recheck') return true;
  return m.type === 'health/fix' && index(m.finding) && index(m.fix);
}

export function isHealthToWebview(value: unknown): value is HealthToWebview {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; message?: unknown; report?: unknown; target?: unknown };
  if (m.type === 'health/busy' || m.type === 'health/error') return typeof m.message === 'string';
  return m.type === 'health/report' && typeof m.target === 'string' && typeof m.report === 'object' && m.report !== null;
}
