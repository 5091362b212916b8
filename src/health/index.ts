// checkGatewayHealth(): what is wrong with a deployed self-hosted gateway, from its pods, events, start-up and recent
// log, running token, the APIM gateway resource, its settings and its Service. Pure: no vscode, no Node APIs, never
// throws; anything not known leaves its check `unknown`, never failed. See README.md for the input and the checks.
import { readHealthInput, type HealthModel } from './input.ts';
import { checkPods, checkRestarts } from './pods.ts';
import { checkApis, checkEndpoint, checkImage, checkLocalDiagnostics, checkReplicas, checkServicePorts } from './setup.ts';
import { checkConfiguration, checkConnection, checkToken, expiredTokenFinding, syncState } from './sync.ts';
import type { HealthCheck, HealthFinding, HealthInput, HealthReport, Severity } from './types.ts';

export type * from './types.ts';
export { MIN_SAFE_VERSION, RECOMMENDED_VERSION } from './setup.ts';
export { TOKEN_WARNING_MS } from './common.ts';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function runChecks(model: HealthModel): HealthCheck[] {
  const expired = expiredTokenFinding(model, syncState(model));
  const configuration = checkConfiguration(model, expired);
  return [
    checkPods(model),
    checkRestarts(model),
    configuration,
    checkToken(model, expired),
    checkImage(model),
    checkEndpoint(model),
    checkLocalDiagnostics(model),
    checkServicePorts(model),
    checkReplicas(model),
    checkApis(model),
    checkConnection(model, configuration),
  ];
}

function failedCheck(error: unknown): HealthCheck {
  // A bug in a check must not hide the others' answers: it shows as a check that could not be decided.
  return { id: 'pods', title: 'Health check', status: 'unknown', summary: `the check failed: ${error instanceof Error ? error.message : String(error)}`, evidence: [], findings: [] };
}

/** Every check with its outcome, and the findings most severe first (each once, in check order within a severity). */
export function runHealthChecks(input: HealthInput | unknown): HealthReport {
  let checks: HealthCheck[];
  try {
    checks = runChecks(readHealthInput(input));
  } catch (error) {
    checks = [failedCheck(error)];
  }
  const seen = new Set<HealthFinding>();
  const findings: HealthFinding[] = [];
  for (const check of checks) {
    for (const f of check.findings) {
      if (!seen.has(f)) {
        seen.add(f);
        findings.push(f);
      }
    }
  }
  findings.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const decided = checks.filter((c) => c.status !== 'unknown');
  const overall = findings.some((f) => f.severity === 'error') ? 'failed' : findings.some((f) => f.severity === 'warning') ? 'degraded' : decided.length === 0 ? 'unknown' : 'healthy';
  return { checks, findings, overall };
}

export function checkGatewayHealth(input: HealthInput | unknown): HealthFinding[] {
  return runHealthChecks(input).findings;
}
