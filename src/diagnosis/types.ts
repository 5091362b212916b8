// The contract of "why did this request fail": what the host gathers (request, response, log record, ARM facts) and
// what it gets back (findings with evidence and actionable fixes). Pure types; see README.md for the shapes in use.
import type { ApiContract, ApiVersionSetContract, OperationContract } from '@azure/arm-apimanagement';
import type { GatewayLogEntry } from '../gatewayLogs/entry.ts';

/**
 * A point in time. Strings are ISO 8601: the input crosses the host↔webview boundary as JSON, where a Date arrives
 * as a string, and both ends must read it the same way.
 */
export type Instant = Date | string;

/** How the subscription key travelled. Its value never enters the diagnosis. */
export interface SubscriptionKeySent {
  in: 'header' | 'query';
  /** The header or query parameter name used, e.g. `Ocp-Apim-Subscription-Key`. */
  name: string;
}

export interface SentRequest {
  /** Empty or absent when not known (a record without `method`): nothing is then said about the method. */
  method?: string;
  /**
   * The URL as the gateway receives it: scheme, host, port, path (percent-encoding kept) and query. A subscription
   * key sent in the query must have its value replaced (e.g. `***`) before it gets here.
   */
  url: string;
  /** The Host header when it differs from the URL's authority (a proxy or a port-forward in between). */
  hostHeader?: string;
  /**
   * Names of the headers sent; values are not needed and not wanted. Absent: not known (a request known only from its
   * record), so nothing is concluded about headers, nor about a key that would have travelled in one.
   */
  headerNames?: readonly string[];
  /** Absent: no subscription key was sent. */
  subscriptionKey?: SubscriptionKeySent;
  bodySize?: number;
  sentAt?: Instant;
}

export interface HttpResponse {
  kind: 'http';
  status: number;
  /** Names in any case. */
  headers?: Readonly<Record<string, string>>;
  /** The body as text (may be cut short; then `bodySize` says how long it really was). */
  body?: string;
  bodySize?: number;
  durationMs?: number;
}

export type TransportErrorKind = 'connection-refused' | 'timeout' | 'dns' | 'tls' | 'reset' | 'other';

/** No HTTP response came back at all. */
export interface TransportFailure {
  kind: 'transport';
  error: TransportErrorKind;
  message?: string;
  durationMs?: number;
}

export type ObservedResponse = HttpResponse | TransportFailure;

export interface LogLookup {
  /** The request record correlated with this request (as `parseGatewayLog` gives it), or absent when none was found. */
  record?: GatewayLogEntry;
  /**
   * The record's line in its pod's log as `kubectl logs` (no `--tail`) numbers it, or in the log file it came from.
   * Absent when not known: the record's `line` counts from the start of whatever window of the log was read.
   */
  recordLine?: number;
  /** How long the gateway's log was watched for the record, in milliseconds. */
  searchedMs: number;
  /** Request records of any request seen while watching: tells "no record for this one" from "no records at all". */
  requestRecordsSeen?: number;
  /**
   * The gateway's own entries (not request records) from the same log, oldest first, as the parser gives them: the
   * start-up and configuration sync lines. Absent: not read, so nothing is said about the gateway's configuration.
   */
  events?: readonly GatewayLogEntry[];
}

/** A change of the configuration that this extension made (e.g. Allow HTTP), remembered in memory. No secrets. */
export interface ConfigurationChange {
  at: Instant;
  /** What was done, for a sentence: `Allow HTTP on echo-api`. */
  what: string;
  /** The API changed (ARM entity name), when the change was to one API. */
  apiId?: string;
  /** The gateway changed (its name under APIM), when the change was to one gateway. */
  gatewayId?: string;
}

/** One API revision as the ARM SDK returns it (`apis.get` / `apis.listByService`), with its operations. */
export interface ApiFacts {
  api: ApiContract;
  /** Absent: not loaded, so nothing is concluded about operations. */
  operations?: readonly OperationContract[];
}

export interface ServicePort {
  port: number;
  scheme: 'http' | 'https';
  name?: string;
}

export interface GatewayFacts {
  /** The gateway resource's name under APIM (`rb-arc-gateway`). */
  gatewayId: string;
  /** Every API of the APIM service, one entry per revision (`echo-api`, `echo-api;rev=2`, …). */
  apis?: readonly ApiFacts[];
  /** Names (or ARM ids) of the APIs assigned to this gateway; absent when not known. */
  assignedApiIds?: readonly string[];
  versionSets?: readonly ApiVersionSetContract[];
  /** `hostname` of each of the gateway's hostname configurations; absent when not known. */
  hostnames?: readonly string[];
  /** Expiry of the gateway token in use, read from the token (`<gatewayId>&<yyyyMMddHHmm>&<signature>`). */
  tokenExpiresAt?: Instant;
  /** Whether APIM has seen the gateway's heartbeat recently; absent when not known. */
  connected?: boolean;
  /** Whether the service's local (per-request) diagnostics are enabled; absent when not known. */
  localDiagnostics?: boolean;
  /** The gateway Service's ports and what each speaks; absent when not known. */
  ports?: readonly ServicePort[];
  /** When this configuration was read from ARM: a request made well before it is judged against a newer one. */
  readAt?: Instant;
}

export interface DiagnosisInput {
  request: SentRequest;
  /** Absent: the request is still in flight or its outcome was not captured. */
  response?: ObservedResponse;
  /** Absent: the log was not searched. */
  log?: LogLookup;
  /** Absent: nothing could be read from ARM. */
  gateway?: GatewayFacts;
  /** The clock for token expiry; defaults to `request.sentAt`, then to the current time. */
  now?: Instant;
  /** Changes this extension made to the configuration, any order: named when they explain an old record. */
  changes?: readonly ConfigurationChange[];
}

export type FindingCode =
  | 'api-not-assigned'
  | 'scheme-not-allowed'
  | 'no-api-for-path'
  | 'no-operation-for-method'
  | 'non-current-revision'
  | 'version-missing'
  | 'version-wrong-place'
  | 'revision-not-served'
  | 'hostname-mismatch'
  | 'subscription-key-missing'
  | 'subscription-key-invalid'
  | 'backend-unreachable'
  | 'token-expired'
  | 'token-expiring'
  | 'request-logging-off'
  | 'gateway-not-configured'
  | 'configuration-changed'
  | 'unknown';

export type Severity = 'error' | 'warning' | 'info';

export interface Evidence {
  label: string;
  value: string;
}

/** Let the API accept plain HTTP (add `http` to its protocols). `apiId` is the ARM entity name, revision included. */
export interface AllowHttpFix {
  id: 'allow-http';
  label: string;
  apiId: string;
}

/** Assign the API (all its revisions) to the gateway. */
export interface AssignApiFix {
  id: 'assign-api';
  label: string;
  apiId: string;
  gatewayId: string;
}

/** Let the user pick a subscription whose key opens this API, then resend. */
export interface PickSubscriptionKeyFix {
  id: 'pick-subscription-key';
  label: string;
  apiId: string;
}

/** Resend the same request over HTTPS to this URL (scheme and port already changed). */
export interface RetryHttpsFix {
  id: 'retry-https';
  label: string;
  url: string;
}

/** Open the wizard that mints a new gateway token and rolls it out. */
export interface OpenTokenWizardFix {
  id: 'open-token-wizard';
  label: string;
  gatewayId: string;
}

interface AddVersionBase {
  id: 'add-version';
  label: string;
  /** The versioned API to reach (ARM entity name). */
  apiId: string;
  /** `apiVersionSetId` as ARM gives it. */
  versionSetId: string;
  version: string;
}

/** Resend to `url`, which has the version segment inserted after the API's path. */
export interface AddVersionSegmentFix extends AddVersionBase {
  scheme: 'Segment';
  url: string;
}

/** Resend to `url`, which carries `queryName=version`. */
export interface AddVersionQueryFix extends AddVersionBase {
  scheme: 'Query';
  queryName: string;
  url: string;
}

/** Resend to the same `url` with the header `headerName: version`. */
export interface AddVersionHeaderFix extends AddVersionBase {
  scheme: 'Header';
  headerName: string;
  url: string;
}

export type AddVersionFix = AddVersionSegmentFix | AddVersionQueryFix | AddVersionHeaderFix;

/** Resend to `url`, which names the revision (`;rev=n`) or drops a wrong one to reach the current revision. */
export interface UseRevisionFix {
  id: 'use-revision';
  label: string;
  /** The API without revision (`echo-api`). */
  apiId: string;
  revision: string;
  url: string;
}

export type Fix =
  | AllowHttpFix
  | AssignApiFix
  | PickSubscriptionKeyFix
  | RetryHttpsFix
  | OpenTokenWizardFix
  | AddVersionFix
  | UseRevisionFix;

export type FixId = Fix['id'];

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** A few words, for a list or a heading. */
  title: string;
  /** One plain sentence naming the API, scheme and path concerned. */
  explanation: string;
  /** The facts the finding rests on, in reading order. */
  evidence: Evidence[];
  fixes: Fix[];
}
