import type { LogLevel } from './entry.ts';

// Text output writes short names ([Info] [Warn]); JSON output writes System.Diagnostics.Tracing.EventLevel names
// (Informational, Warning, Verbose, Critical); ASP.NET's console logger writes four-letter ones (info, fail, crit).
// EventLevel has nothing below Verbose and the gateway's own setting (`telemetry.logs.std.level`) stops at `debug`,
// so Verbose is read as debug rather than trace.
const NAMES: ReadonlyArray<readonly [LogLevel, readonly string[]]> = [
    ['trace', ['trace', 'trce', 'trc']],
    ['debug', ['debug', 'dbug', 'dbg', 'verbose', 'vrb', 'verb']],
    ['info', ['info', 'information', 'informational', 'inf']],
    ['warn', ['warn', 'warning', 'wrn']],
    ['error', ['error', 'err', 'eror', 'fail']],
    ['fatal', ['fatal', 'critical', 'crit', 'ftl']],
];

const BY_NAME = new Map<string, LogLevel>();
for (const [level, names] of NAMES) {
    for (const name of names) {
        BY_NAME.set(name, level);
        // The common spellings as written, so the hot path skips toLowerCase().
        BY_NAME.set(name.charAt(0).toUpperCase() + name.slice(1), level);
    }
}

/** Longest name in the table; lets callers reject a bracketed word early. */
export const MAX_LEVEL_NAME_LENGTH = 13;

export function normalizeLevel(raw: string): LogLevel | undefined {
    return BY_NAME.get(raw) ?? (raw.length <= MAX_LEVEL_NAME_LENGTH ? BY_NAME.get(raw.toLowerCase()) : undefined);
}
