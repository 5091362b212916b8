// What each finding needs before it may be claimed, as data: the table in README.md is this table, and the property
// test (test/unit/diagnosis/evidence.test.ts) checks every finding of severity error against it with facts randomly
// removed from the input. A fact is "present" by the predicates below, read on the raw input as the host sends it.
import { instant, list, obj, text } from './read.ts';
import type { DiagnosisInput, FindingCode, Severity } from './types.ts';

export type Fact =
  | 'status'
  | 'requestUrl'
  | 'method'
  | 'apis'
  | 'apiPaths'
  | 'protocols'
  | 'operations'
  | 'assignments'
  | 'versionSets'
  | 'hostnames'
  | 'keySent'
  | 'subscriptionRequired'
  | 'responseBody'
  | 'responseHeaders'
  | 'record'
  | 'recordReason'
  | 'tokenExpiry'
  | 'localDiagnostics'
  | 'logSearched'
  | 'gatewayEvents'
  | 'configurationReadAt'
  | 'sentAt';

function record(input: DiagnosisInput): Record<string, unknown> | undefined {
  return obj(obj(obj(input.log)?.['record'])?.['request']);
}

function apis(input: DiagnosisInput): Record<string, unknown>[] | undefined {
  const all = obj(input.gateway)?.['apis'];
  return Array.isArray(all) ? all.map((a) => obj(a) ?? {}) : undefined;
}

function everyApi(input: DiagnosisInput, test: (api: Record<string, unknown>, wrapper: Record<string, unknown>) => boolean): boolean {
  const list = apis(input);
  return list !== undefined && list.every((w) => test(obj(w['api']) ?? {}, w));
}

function parses(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** Each fact: what it is (for the README) and whether the input has it. */
export const FACTS: Record<Fact, { readonly means: string; readonly present: (input: DiagnosisInput) => boolean }> = {
  status: { means: 'the HTTP status (response, or the record’s responseCode)', present: (i) => obj(i.response)?.['status'] !== undefined || typeof record(i)?.['responseCode'] === 'number' },
  requestUrl: { means: 'the request URL (sent, or the record’s url)', present: (i) => parses(obj(i.request)?.['url']) || parses(record(i)?.['url']) },
  method: { means: 'the request method', present: (i) => text(obj(i.request)?.['method']) !== undefined || text(record(i)?.['method']) !== undefined },
  apis: { means: 'the service’s APIs', present: (i) => apis(i) !== undefined },
  apiPaths: { means: 'the path of every API', present: (i) => everyApi(i, (a) => typeof a['path'] === 'string') },
  protocols: { means: 'the protocols of every API', present: (i) => everyApi(i, (a) => Array.isArray(a['protocols'])) },
  operations: { means: 'the operations of every API', present: (i) => everyApi(i, (_, w) => Array.isArray(w['operations'])) },
  assignments: { means: 'the APIs assigned to the gateway', present: (i) => Array.isArray(obj(i.gateway)?.['assignedApiIds']) },
  versionSets: { means: 'the version sets', present: (i) => Array.isArray(obj(i.gateway)?.['versionSets']) },
  hostnames: { means: 'the gateway’s hostnames', present: (i) => Array.isArray(obj(i.gateway)?.['hostnames']) },
  keySent: { means: 'how the key travelled, or the header names sent', present: (i) => Array.isArray(obj(i.request)?.['headerNames']) || obj(obj(i.request)?.['subscriptionKey']) !== undefined },
  subscriptionRequired: { means: 'whether every API requires a subscription', present: (i) => everyApi(i, (a) => typeof a['subscriptionRequired'] === 'boolean') },
  responseBody: { means: 'the response body', present: (i) => typeof obj(i.response)?.['body'] === 'string' },
  responseHeaders: { means: 'the response headers', present: (i) => obj(obj(i.response)?.['headers']) !== undefined },
  record: { means: 'the gateway’s request record', present: (i) => record(i) !== undefined },
  recordReason: { means: 'the record’s lastError reason', present: (i) => text(obj(record(i)?.['lastError'])?.['reason']) !== undefined || list(record(i)?.['errors']).length > 0 },
  tokenExpiry: { means: 'the gateway token’s expiry', present: (i) => instant(obj(i.gateway)?.['tokenExpiresAt']) !== undefined },
  localDiagnostics: { means: 'whether local diagnostics are on', present: (i) => typeof obj(i.gateway)?.['localDiagnostics'] === 'boolean' },
  logSearched: { means: 'that the log was searched', present: (i) => obj(i.log) !== undefined },
  gatewayEvents: { means: 'the gateway’s own log lines (start-up, sync)', present: (i) => Array.isArray(obj(i.log)?.['events']) },
  configurationReadAt: { means: 'when the configuration was read', present: (i) => instant(obj(i.gateway)?.['readAt']) !== undefined },
  sentAt: { means: 'when the request was made', present: (i) => instant(obj(i.request)?.['sentAt']) !== undefined },
};

export interface EvidenceRule {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** Alternatives: the finding may have this severity when every fact of one of them is present. */
  readonly evidence: readonly (readonly Fact[])[];
  /** What is said instead when a fact is missing. */
  readonly whenMissing: string;
}

const ROUTE: readonly Fact[] = ['status', 'requestUrl', 'apis', 'apiPaths'];

export const EVIDENCE_RULES: readonly EvidenceRule[] = [
  { code: 'api-not-assigned', severity: 'error', evidence: [[...ROUTE, 'assignments']], whenMissing: 'assignments unknown: not claimed; an API path unknown: no routing claim, the unknown finding says which' },
  { code: 'scheme-not-allowed', severity: 'error', evidence: [[...ROUTE, 'protocols']], whenMissing: 'protocols unknown: the scheme is not checked' },
  { code: 'non-current-revision', severity: 'error', evidence: [ROUTE], whenMissing: 'revision read from the API’s name and isCurrent; API paths unknown: not claimed' },
  { code: 'revision-not-served', severity: 'warning', evidence: [ROUTE], whenMissing: 'not claimed; a configuration not yet picked up is named as as likely' },
  { code: 'version-missing', severity: 'error', evidence: [[...ROUTE, 'versionSets']], whenMissing: 'version set unknown: the API’s versioning is unknown, no version or operation claim' },
  { code: 'version-wrong-place', severity: 'error', evidence: [[...ROUTE, 'versionSets']], whenMissing: 'as version-missing' },
  { code: 'no-operation-for-method', severity: 'error', evidence: [[...ROUTE, 'operations']], whenMissing: 'operations (or one of them) unknown: not claimed; method unknown: no operation for the path with any method' },
  { code: 'no-api-for-path', severity: 'error', evidence: [ROUTE], whenMissing: 'an API’s name or path unknown: not claimed, the unknown finding says how many could not be read' },
  { code: 'hostname-mismatch', severity: 'warning', evidence: [[...ROUTE, 'hostnames', 'operations']], whenMissing: 'hostnames unknown or none: not claimed' },
  {
    code: 'subscription-key-missing',
    severity: 'error',
    evidence: [
      ['status', 'recordReason'],
      ['status', 'responseBody'],
      [...ROUTE, 'subscriptionRequired', 'keySent'],
      ['status', 'responseHeaders', 'keySent'],
    ],
    whenMissing: 'whether a key was sent unknown (a record): a warning that names other 401 sources; sent where read: a warning naming a stripping proxy or CORS preflight',
  },
  {
    code: 'subscription-key-invalid',
    severity: 'error',
    evidence: [
      ['status', 'recordReason'],
      ['status', 'responseBody'],
      ['status', 'responseHeaders', 'keySent'],
    ],
    whenMissing: 'no word from the gateway: a warning naming a validate-jwt policy and the backend',
  },
  { code: 'backend-unreachable', severity: 'error', evidence: [['status', 'record', 'recordReason']], whenMissing: 'no record: not claimed (a policy or the backend’s own 5xx look the same)' },
  { code: 'token-expired', severity: 'error', evidence: [['status', 'logSearched', 'tokenExpiry']], whenMissing: 'expiry unknown: not claimed, the unknown finding names the empty answer' },
  { code: 'token-expired', severity: 'warning', evidence: [['status', 'tokenExpiry']], whenMissing: 'log not searched: a warning naming a backend that answers empty' },
  { code: 'token-expired', severity: 'info', evidence: [['tokenExpiry']], whenMissing: 'no notice' },
  { code: 'gateway-not-configured', severity: 'error', evidence: [['status', 'gatewayEvents']], whenMissing: 'the gateway’s log not read: not claimed' },
  { code: 'request-logging-off', severity: 'warning', evidence: [['localDiagnostics', 'logSearched']], whenMissing: 'local diagnostics unknown: not claimed' },
  { code: 'request-logging-off', severity: 'info', evidence: [['localDiagnostics', 'logSearched']], whenMissing: 'no notice' },
  { code: 'configuration-changed', severity: 'warning', evidence: [[...ROUTE, 'configurationReadAt', 'sentAt']], whenMissing: 'either time unknown: the unknown finding says the configuration routes the request' },
  { code: 'unknown', severity: 'warning', evidence: [[]], whenMissing: 'says what was observed and which fact was missing' },
];

/** Whether `input` has every fact of one of the rule's alternatives. */
export function evidenceHolds(rule: EvidenceRule, input: DiagnosisInput): boolean {
  return rule.evidence.some((facts) => facts.every((f) => FACTS[f].present(input)));
}

/** The README table, generated from the rules: the test checks that README.md carries exactly this. */
export function evidenceTableMarkdown(): string {
  const rows = EVIDENCE_RULES.map((r) => `| \`${r.code}\` | ${r.evidence.map((alt) => (alt.length === 0 ? '—' : alt.join(' + '))).join(' **or** ')} | ${r.severity} | ${r.whenMissing} |`);
  const facts = Object.entries(FACTS).map(([name, f]) => `\`${name}\` ${f.means}`);
  return ['| code | evidence required | severity | when a fact is missing |', '|---|---|---|---|', ...rows, '', `Facts: ${facts.join('; ')}.`].join('\n');
}
