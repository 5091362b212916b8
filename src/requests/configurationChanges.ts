// What this extension changed in the APIM configuration (Allow HTTP, Assign API, …), kept in memory for this window
// only, so "Why did this fail?" on an older record can say which of our changes came after it. No secrets: what was
// done, to which API or gateway, and when. Pure: no `vscode` import.
import type { ConfigurationChange } from '../diagnosis/types.ts';

/** Enough for a working session; the oldest are forgotten first. */
export const MAX_REMEMBERED_CHANGES = 200;

const changes: ConfigurationChange[] = [];

/** Called by the code that applies a fix, in one line, after ARM accepted the change. */
export function recordConfigurationChange(change: { what: string; apiId?: string; gatewayId?: string; at?: Date }): void {
  const { at, ...rest } = change;
  changes.push({ ...rest, at: (at ?? new Date()).toISOString() });
  if (changes.length > MAX_REMEMBERED_CHANGES) changes.splice(0, changes.length - MAX_REMEMBERED_CHANGES);
}

/** The changes remembered, oldest first (a copy). */
export function configurationChanges(): readonly ConfigurationChange[] {
  return [...changes];
}

/** For tests. */
export function forgetConfigurationChanges(): void {
  changes.length = 0;
}
