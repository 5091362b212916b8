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
  /** The record's line in the pod's log as `kubectl logs` numbers it; absent when not known. */
  readonly line?: number;
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

// ---- the form ------------------------------------------------------------------------------------------------------

export type FormTransport = 'service-proxy' | 'curl-pod' | 'direct';
export type FormScheme = 'http' | 'https';

export interface FormPort {
  readonly port: number;
  /** Read from the Service (port name, or the gateway's 8080/8081 target); absent: unknown, not usable. */
  readonly scheme?: FormScheme;
  /** `5000→8080/TCP`. */
  readonly label: string;
}

export interface FormService {
  readonly name: string;
  /** ClusterIP, NodePort, LoadBalancer. */
  readonly type: string;
  readonly ports: readonly FormPort[];
  /** LoadBalancer ingress addresses (IP or hostname); empty while pending. */
  readonly external: readonly string[];
}

export interface FormParameter {
  readonly name: string;
  readonly required: boolean;
  readonly defaultValue?: string;
  /** Allowed values, when the operation lists them. */
  readonly values?: readonly string[];
  readonly description?: string;
}

export interface FormOperation {
  /** The operation's name in ARM (`get-resource`). */
  readonly name: string;
  readonly displayName: string;
  readonly method: string;
  readonly urlTemplate: string;
  /** The URL template's parameters, in template order. */
  readonly parameters: readonly FormParameter[];
}

export interface FormApi {
  /** ARM entity name, revision included for a non-current one (`echo-api`, `echo-api;rev=2`). */
  readonly name: string;
  readonly displayName: string;
  /** URL suffix without leading slash (`echo`). */
  readonly path: string;
  readonly protocols: readonly string[];
  readonly subscriptionRequired: boolean;
  /** Assigned to this gateway (undefined: not known). */
  readonly assigned?: boolean;
  readonly isCurrent: boolean;
  readonly revision?: string;
  readonly operations: readonly FormOperation[];
}

export interface FormSubscription {
  /** Its name in the APIM service (what the host fetches the key with). */
  readonly name: string;
  readonly displayName: string;
  /** `/apis`, `/apis/echo-api`, `/products/starter`. */
  readonly scope: string;
}

/** What the form knows about the gateway it sends to: its Services, and from ARM its APIs and subscriptions. */
export interface TestRequestFormContext {
  readonly gateway: { readonly context: string; readonly namespace: string; readonly deployment: string };
  readonly services: readonly FormService[];
  readonly arm?: {
    readonly serviceName: string;
    readonly gatewayName: string;
    readonly apis: readonly FormApi[];
    readonly subscriptions: readonly FormSubscription[];
  };
  /** Why APIs are not offered (not signed in, no gateway chosen, ARM failed): shown above the path field. */
  readonly armNote?: string;
}

/** The form's values: what Send sends. No key in it: only the subscription's name. */
export interface TestRequestForm {
  /** The API's ARM name; absent: the path is typed in `path`. */
  readonly api?: string;
  readonly operation?: string;
  readonly method: string;
  /** A typed path and query (used when no API is chosen). */
  readonly path: string;
  /** Values of the operation's template parameters. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: readonly (readonly [string, string])[];
  readonly body: string;
  readonly service: string;
  readonly port: number;
  readonly transport: FormTransport;
  /** `http(s)://host[:port]` for the direct transport. */
  readonly directUrl: string;
  /** Direct transport over https: accept a certificate nothing vouches for (curl -k). */
  readonly insecure: boolean;
  /** Direct transport: the user confirmed sending to a link-local or metadata address (requests/rules.ts). */
  readonly allowLinkLocal?: boolean;
  /** APIM subscription whose key is sent; '' for none. */
  readonly subscription: string;
}

export interface HistoryEntryView {
  readonly id: number;
  readonly sentAt: string;
  /** `rb-arc-aks-apimgw (apim, rb-arc-aks)`. */
  readonly gateway: string;
  readonly method: string;
  readonly path: string;
  /** `404`, `timeout`. */
  readonly outcome: string;
  readonly ok: boolean;
  readonly transport: string;
}

export type TestRequestToWebview =
  | { readonly type: 'testRequest/init'; readonly context: TestRequestFormContext; readonly form: TestRequestForm }
  | { readonly type: 'testRequest/form'; readonly form: TestRequestForm }
  | { readonly type: 'testRequest/result'; readonly result: TestRequestResult; readonly attempt: number; readonly historyId?: number; readonly live?: boolean }
  | { readonly type: 'testRequest/history'; readonly entries: readonly HistoryEntryView[] }
  | { readonly type: 'testRequest/busy'; readonly text: string; readonly cancellable?: boolean }
  | { readonly type: 'testRequest/error'; readonly text: string; readonly field?: string };

export type TestRequestToHost =
  | { readonly type: 'testRequest/send'; readonly form: TestRequestForm }
  | { readonly type: 'testRequest/cancel' }
  | { readonly type: 'testRequest/fix'; readonly finding: number; readonly fix: number }
  | { readonly type: 'testRequest/retry' }
  | { readonly type: 'testRequest/showHistory'; readonly id: number }
  | { readonly type: 'testRequest/copyKey'; readonly subscription: string };

const isString = (v: unknown): v is string => typeof v === 'string';
const isPairs = (v: unknown): boolean => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && isString(p[0]) && isString(p[1]));

export function isTestRequestForm(value: unknown): value is TestRequestForm {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    (f['api'] === undefined || isString(f['api'])) &&
    (f['operation'] === undefined || isString(f['operation'])) &&
    isString(f['method']) &&
    isString(f['path']) &&
    typeof f['params'] === 'object' && f['params'] !== null && Object.values(f['params']).every(isString) &&
    isPairs(f['query']) &&
    isPairs(f['headers']) &&
    isString(f['body']) &&
    isString(f['service']) &&
    Number.isInteger(f['port']) &&
    (f['transport'] === 'service-proxy' || f['transport'] === 'curl-pod' || f['transport'] === 'direct') &&
    isString(f['directUrl']) &&
    typeof f['insecure'] === 'boolean' &&
    (f['allowLinkLocal'] === undefined || typeof f['allowLinkLocal'] === 'boolean') &&
    isString(f['subscription'])
  );
}

export function isTestRequestToHost(value: unknown): value is TestRequestToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; finding?: unknown; fix?: unknown; form?: unknown; id?: unknown; subscription?: unknown };
  switch (m.type) {
    case 'testRequest/retry':
    case 'testRequest/cancel':
      return true;
    case 'testRequest/fix':
      return Number.isInteger(m.finding) && Number.isInteger(m.fix) && (m.finding as number) >= 0 && (m.fix as number) >= 0;
    case 'testRequest/send':
      return isTestRequestForm(m.form);
    case 'testRequest/showHistory':
      return Number.isInteger(m.id);
    case 'testRequest/copyKey':
      return isString(m.subscription) && m.subscription !== '';
    default:
      return false;
  }
}

export function isTestRequestToWebview(value: unknown): value is TestRequestToWebview {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; result?: unknown; text?: unknown; context?: unknown; form?: unknown; entries?: unknown };
  switch (m.type) {
    case 'testRequest/result':
      return typeof m.result === 'object' && m.result !== null;
    case 'testRequest/init':
      return typeof m.context === 'object' && m.context !== null && isTestRequestForm(m.form);
    case 'testRequest/form':
      return isTestRequestForm(m.form);
    case 'testRequest/history':
      return Array.isArray(m.entries);
    case 'testRequest/busy':
    case 'testRequest/error':
      return typeof m.text === 'string';
    default:
      return false;
  }
}
