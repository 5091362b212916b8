// Typed builders for LogRow test data: only what a test cares about is spelled out.
import type { LogRow } from '../../../src/contract/gatewayLogs.ts';

export function row(seq: number, patch: Partial<LogRow> = {}): LogRow {
  return { seq, timeSource: 'gateway', kind: 'event', message: '', failed: false, search: '', ...patch };
}

export function request(seq: number, status: number, patch: Partial<LogRow> = {}): LogRow {
  return row(seq, { kind: 'request', level: 'info', status, failed: status >= 400, method: 'GET', path: '/echo/resource', ...patch });
}
