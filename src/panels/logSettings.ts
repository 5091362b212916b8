import * as vscode from 'vscode';
import { Settings } from '../constants.ts';
import type { Logger } from '../extensionLog.ts';
import { DEFAULT_MAX_LINE_LENGTH } from '../kubernetes/lineAssembler.ts';

export const DEFAULT_MAX_ENTRIES = 50_000;
/** package.json declares the same bounds; settings.json can still hold anything, so they are enforced here too. */
export const MIN_MAX_ENTRIES = 1_000;
export const MAX_MAX_ENTRIES = 1_000_000;

/** `arcApimGateway.logs.maxEntries`, read when a log view opens; a value outside the bounds is clamped and logged. */
export function logsMaxEntries(log: Logger): number {
  const value = vscode.workspace.getConfiguration(Settings.section).get<unknown>(Settings.logsMaxEntries);
  if (value === undefined || value === null) return DEFAULT_MAX_ENTRIES;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    log.warn(`${Settings.section}.${Settings.logsMaxEntries} must be a number; using ${DEFAULT_MAX_ENTRIES}`);
    return DEFAULT_MAX_ENTRIES;
  }
  const clamped = Math.min(MAX_MAX_ENTRIES, Math.max(MIN_MAX_ENTRIES, Math.round(value)));
  if (clamped !== value) {
    log.warn(`${Settings.section}.${Settings.logsMaxEntries} must be a whole number from ${MIN_MAX_ENTRIES} to ${MAX_MAX_ENTRIES}; using ${clamped}`);
  }
  return clamped;
}

export const MIN_MAX_LINE_LENGTH = 1024;
export const MAX_MAX_LINE_LENGTH = 64 * 1024 * 1024;

/** `arcApimGateway.logs.maxLineLength`, read when a log view opens; clamped like maxEntries. */
export function logsMaxLineLength(log: Logger): number {
  const value = vscode.workspace.getConfiguration(Settings.section).get<unknown>(Settings.logsMaxLineLength);
  if (value === undefined || value === null) return DEFAULT_MAX_LINE_LENGTH;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    log.warn(`${Settings.section}.${Settings.logsMaxLineLength} must be a number; using ${DEFAULT_MAX_LINE_LENGTH}`);
    return DEFAULT_MAX_LINE_LENGTH;
  }
  const clamped = Math.min(MAX_MAX_LINE_LENGTH, Math.max(MIN_MAX_LINE_LENGTH, Math.round(value)));
  if (clamped !== value) log.warn(`${Settings.section}.${Settings.logsMaxLineLength} must be a whole number from ${MIN_MAX_LINE_LENGTH} to ${MAX_MAX_LINE_LENGTH}; using ${clamped}`);
  return clamped;
}
