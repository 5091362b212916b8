// What a gateway's start-up log says about its own configuration. Pure.
//
// Per-request records (`GatewayLogs`) are written only when the service's local diagnostics are enabled; the gateway
// says so while it loads its configuration (`LocalDiagnosticAddedToTenant`, before `ConfigInitialSyncCompleted` and
// `TenantStarted` — see the seed blog's log). ARM does not tell us this, so the log is the witness.

/**
 * true: the gateway added local diagnostics; false: it finished loading its configuration without doing so;
 * undefined: the start-up is not in the text (a cut or rotated log), so nothing is concluded.
 */
export function localDiagnosticsFromStartup(text: string): boolean | undefined {
  if (/\bLocalDiagnosticAddedToTenant\b/.test(text)) return true;
  if (/\b(ConfigInitialSyncCompleted|TenantStarted)\b/.test(text)) return false;
  return undefined;
}
