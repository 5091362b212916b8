// What the things in a self-hosted gateway's log mean, for the editor's hovers: HTTP statuses as the gateway uses
// them, lastError reasons, request-record fields and event names. Pure data and string building (no `vscode`), so
// the table is tested in plain Node and could serve the webview as well.
//
// Sources: the GatewayLogs schema (learn.microsoft.com/azure/api-management/gateway-log-schema-reference), the
// predefined errors of api-management-error-handling-policies, and /work/shared/notes/gateway-facts.md for what is
// particular to self-hosted gateways. Nothing is said here that those do not support; unknown names get no hover.

import { markdownCode, markdownText } from '../util/markdown.ts';

export interface Explanation {
  /** One short line, shown bold. */
  readonly title: string;
  /** What it means, in a sentence or two. */
  readonly body: string;
  /** What to check, most likely first. */
  readonly checks?: readonly string[];
}

export type StatusField = 'responseCode' | 'backendResponseCode';

/** What the record around a status says, so the explanation can be about this request and not statuses in general. */
export interface StatusContext {
  readonly field: StatusField;
  readonly responseCode?: number;
  readonly backendResponseCode?: number;
  readonly responseSize?: number;
  readonly reason?: string;
}

// ---- lastError reasons ---------------------------------------------------------------------------------------------

const OPERATION_NOT_FOUND_CHECKS = [
  'The API is assigned to this gateway (APIM → Gateways → the gateway → APIs). Each API the gateway serves is logged as `OperationRouteTableRebuildCompleted` with the API name at start-up and after changes.',
  "The request's scheme is one of the API's URL schemes (`protocols`): an HTTPS-only API answers 404 to an HTTP call. The Echo API that APIM creates is HTTPS-only.",
  "The path is the API's URL suffix followed by an operation's URL template, and the method is that operation's method.",
  'A revision that is not current is only reached with `;rev=<n>` after the API suffix; a versioned API needs its version in the path segment, query parameter or header its version set names.',
  "The host name, when the gateway has host name configurations that restrict which APIs a host serves.",
];

const reasons: Readonly<Record<string, Explanation>> = {
  OperationNotFound: {
    title: 'OperationNotFound — no API operation matched the request',
    body: 'The gateway could not match the request to an operation of any API it serves (source `configuration`), so it answered 404 itself and nothing was sent to a backend.',
    checks: OPERATION_NOT_FOUND_CHECKS,
  },
  SubscriptionKeyNotFound: {
    title: 'SubscriptionKeyNotFound — no subscription key was sent',
    body: 'The API (or its product) requires a subscription and the request carried no key, so the gateway answered 401 without calling the backend.',
    checks: [
      'Send the key in the `Ocp-Apim-Subscription-Key` header or the `subscription-key` query parameter (or the names the API sets in `subscriptionKeyParameterNames`).',
      "Or turn off 'Subscription required' on the API if it should be open.",
    ],
  },
  SubscriptionKeyInvalid: {
    title: 'SubscriptionKeyInvalid — the subscription key was not accepted',
    body: 'A key was sent but it belongs to no active subscription that covers this API, so the gateway answered 401.',
    checks: [
      'The key is current (regenerating a subscription key invalidates the old one) and the subscription is active.',
      "The subscription's scope (all APIs, a product, or one API) includes this API.",
      'The gateway has synchronised since the key changed: it reads configuration every few seconds while it can reach APIM.',
    ],
  },
  BackendConnectionFailure: {
    title: 'BackendConnectionFailure — the gateway could not talk to the backend',
    body: "The connection from the gateway to the backend service was not established or was broken by the backend. On a self-hosted gateway the backend must be reachable from the gateway's pod, not from Azure.",
    checks: [
      "`backendUrl` resolves and answers from inside the cluster (cluster DNS names, network policies, firewalls).",
      "TLS to the backend: the backend's certificate is trusted by the gateway, or certificate validation is configured for that backend.",
      'The backend is up and listening on that port.',
    ],
  },
  ClientConnectionFailure: {
    title: 'ClientConnectionFailure — the client went away',
    body: 'The client aborted its connection to the gateway while the request was still being processed (closed the connection, timed out or was cancelled). The failure is on the caller’s side of the gateway.',
    checks: ["The client's own timeout, compared with this record's `totalTime` and `backendTime`."],
  },
  ExpressionValueEvaluationFailure: {
    title: 'ExpressionValueEvaluationFailure — a policy expression threw',
    body: 'A policy expression (`@(...)`) failed at run time, for example by reading a header or body value that was not there.',
    checks: ['`lastError.path` and `lastError.section` name the policy; check the expression against this request.'],
  },
  RateLimitExceeded: {
    title: 'RateLimitExceeded — a rate-limit policy refused the call',
    body: 'The caller exceeded the calls allowed by a `rate-limit` or `rate-limit-by-key` policy (answered 429).',
    checks: ['On a self-hosted gateway with several replicas, the counters are kept per gateway instance unless the instances can reach each other (the neighbour discovery events in this log).'],
  },
  QuotaExceeded: {
    title: 'QuotaExceeded — a quota policy refused the call',
    body: 'The caller used up the call volume or bandwidth of a `quota` or `quota-by-key` policy; the message says when it is replenished.',
  },
  CallbackParameterInvalid: {
    title: 'CallbackParameterInvalid — jsonp callback is not a valid identifier',
    body: 'The value of the `jsonp` policy’s callback parameter is not a valid JavaScript identifier.',
  },
  FailedToParseCallerIP: {
    title: "FailedToParseCallerIP — the caller's IP address could not be read",
    body: "The `ip-filter` policy could not establish the caller's IP address, so access was denied.",
  },
  CallerIpNotAllowed: {
    title: 'CallerIpNotAllowed — the caller IP is not in the allowed list',
    body: "An `ip-filter` policy allows only listed addresses and the caller's is not one of them. Behind a load balancer or ingress the gateway may see the proxy's address, not the client's.",
  },
  CallerIpBlocked: {
    title: 'CallerIpBlocked — the caller IP is blocked',
    body: "An `ip-filter` policy blocks the caller's address.",
  },
  HeaderNotFound: {
    title: 'HeaderNotFound — a required header is missing',
    body: 'A `check-header` policy requires a header that the request did not carry.',
  },
  HeaderValueNotAllowed: {
    title: 'HeaderValueNotAllowed — a header has a value that is not allowed',
    body: 'A `check-header` policy found a header value outside its allowed values.',
  },
  TokenNotPresent: {
    title: 'TokenNotPresent — no JWT in the request',
    body: 'A `validate-jwt` policy found no token where it looks for one (by default the `Authorization` header).',
  },
  TokenSignatureInvalid: {
    title: "TokenSignatureInvalid — the JWT's signature did not validate",
    body: 'A `validate-jwt` policy could not validate the token’s signature with its configured keys or OpenID configuration. A self-hosted gateway must be able to reach the OpenID configuration URL itself.',
  },
  TokenAudienceNotAllowed: {
    title: "TokenAudienceNotAllowed — the JWT's audience is not accepted",
    body: 'The token’s `aud` claim is not among the audiences the `validate-jwt` policy allows.',
  },
  TokenIssuerNotAllowed: {
    title: "TokenIssuerNotAllowed — the JWT's issuer is not accepted",
    body: 'The token’s `iss` claim is not among the issuers the `validate-jwt` policy allows.',
  },
  TokenExpired: {
    title: 'TokenExpired — the JWT has expired',
    body: 'The token sent by the caller is past its expiry (this is the caller’s token, not the gateway’s own token).',
  },
  TokenSignatureKeyNotFound: {
    title: 'TokenSignatureKeyNotFound — no key matches the JWT',
    body: "The key the token was signed with (its `kid`) was not found among the `validate-jwt` policy's keys.",
  },
  TokenClaimNotFound: {
    title: 'TokenClaimNotFound — a required claim is missing from the JWT',
    body: 'The token lacks a claim the `validate-jwt` policy requires.',
  },
  TokenClaimValueNotAllowed: {
    title: 'TokenClaimValueNotAllowed — a JWT claim has a value that is not allowed',
    body: 'A claim the `validate-jwt` policy checks has a value outside its allowed values.',
  },
  JwtInvalid: {
    title: 'JwtInvalid — the JWT failed validation',
    body: 'A `validate-jwt` policy rejected the token for another reason; the message carries the library’s explanation.',
  },
  Timeout: {
    title: 'Timeout — the backend did not answer in time',
    body: "`forward-request` (or `send-request`) did not receive the backend's status and headers within the configured timeout.",
    checks: ["`backendTime` against the policy's `timeout`; the backend's own latency as seen from inside the cluster."],
  },
};

// ---- HTTP statuses -------------------------------------------------------------------------------------------------

const statuses: Readonly<Record<number, Explanation>> = {
  200: { title: '200 OK', body: 'The request succeeded.' },
  400: {
    title: '400 Bad Request',
    body: 'The request was rejected as malformed: by a validation policy at the gateway or by the backend (compare `backendResponseCode`).',
  },
  401: {
    title: '401 Unauthorized',
    body: 'When the gateway answers it itself (no `backendResponseCode`), the API or its product requires a subscription and the key was missing (`SubscriptionKeyNotFound`) or not accepted (`SubscriptionKeyInvalid`), or a `validate-jwt` policy refused the caller’s token. With a `backendResponseCode` of 401 the backend refused the call.',
  },
  403: {
    title: '403 Forbidden',
    body: 'A policy refused the call (for example `ip-filter`, `check-header` or claims checked by `validate-jwt`), or the backend did (compare `backendResponseCode`).',
  },
  404: {
    title: '404 Not Found',
    body: 'Without a `backendResponseCode`, the gateway found no API operation for the request (`OperationNotFound`): the request never reached a backend. With a `backendResponseCode` of 404, the backend itself did not find the resource.',
    checks: OPERATION_NOT_FOUND_CHECKS,
  },
  429: {
    title: '429 Too Many Requests',
    body: 'A `rate-limit` (`RateLimitExceeded`) or `quota` (`QuotaExceeded`) policy refused the call, or the backend throttled it.',
  },
  500: {
    title: '500 Internal Server Error',
    body: 'From the gateway: a policy failed (`ExpressionValueEvaluationFailure`, an error in `on-error`) or the backend could not be reached (`BackendConnectionFailure`); `lastError` says which. From the backend: compare `backendResponseCode`.',
  },
  502: {
    title: '502 Bad Gateway',
    body: 'Returned by the backend or a proxy in front of it (compare `backendResponseCode`), or the gateway could not use what the backend sent; `lastError` says which.',
  },
  503: {
    title: '503 Service Unavailable',
    body: 'The backend said it is unavailable (compare `backendResponseCode`), or a policy such as `limit-concurrency` refused the call.',
  },
  504: {
    title: '504 Gateway Timeout',
    body: 'Usually the backend did not answer within the `forward-request` timeout (`lastError.reason` `Timeout`); compare `backendTime` with that timeout.',
  },
};

const classBodies: Readonly<Record<string, string>> = {
  '1': 'An informational status.',
  '2': 'A success status.',
  '3': 'A redirect, from the backend (compare `backendResponseCode`) or from a policy (`return-response`, `set-status`).',
  '4': 'A client error: the gateway (a policy, routing, subscription or token checks) or the backend refused the request as sent.',
  '5': 'A server error: at the gateway (a policy, or the backend could not be reached) or returned by the backend; `lastError` tells which.',
};

const EMPTY_OK =
  'A client that gets 200 with an empty body and finds no request record in this log at all is seeing a gateway that has no configuration, typically because its token expired or its key was regenerated: the pod keeps running and answering (Azure/api-management-self-hosted-gateway#287). Check the gateway token.';

export function explainStatus(code: number, context?: StatusContext): Explanation | undefined {
  if (!Number.isInteger(code) || code < 100 || code > 599) return undefined;
  const classBody = classBodies[String(code).charAt(0)] ?? '';
  if (context?.field === 'backendResponseCode') {
    // What the backend said: the gateway-side readings of the status (OperationNotFound, subscription keys) do not apply.
    const parts = ['The status the **backend** returned to the gateway.', classBody];
    if (context.responseCode !== undefined && context.responseCode !== code) {
      parts.push(`The gateway answered the client ${context.responseCode}: a policy changed the status or the response.`);
    }
    return { title: statuses[code]?.title ?? `${code}`, body: parts.join(' ') };
  }
  const base: Explanation = statuses[code] ?? { title: `${code}`, body: classBody };
  const parts = [base.body];
  let checks = base.checks;
  if (context?.field === 'responseCode') {
    parts.unshift('The status the gateway sent to the **client**.');
    if (context.backendResponseCode === undefined && code >= 400) {
      parts.push('This record has no `backendResponseCode`: the gateway answered without a response from a backend.');
    }
    if (code === 200 && context.responseSize === 0) {
      parts.push('This response had no body (`responseSize` 0): the backend sent none, or a policy removed it.');
    }
    // The routing checks are for the gateway's own 404; a backend 404 or another recorded reason makes them noise.
    if (code === 404 && (context.backendResponseCode !== undefined || (context.reason !== undefined && context.reason !== 'OperationNotFound'))) {
      checks = undefined;
    }
  }
  if (code === 200) parts.push(EMPTY_OK);
  return { title: base.title, body: parts.join(' '), ...(checks ? { checks } : {}) };
}

export function explainReason(reason: string): Explanation | undefined {
  return Object.hasOwn(reasons, reason) ? reasons[reason] : undefined;
}

export function isKnownReason(name: string): boolean {
  return Object.hasOwn(reasons, name);
}

// ---- request record fields -----------------------------------------------------------------------------------------

const fields: Readonly<Record<string, Explanation>> = {
  isRequestSuccess: { title: 'isRequestSuccess', body: 'Whether the request completed with a 2xx or 3xx status.' },
  totalTime: {
    title: 'totalTime (ms)',
    body: 'Milliseconds for the whole request, from the first byte the gateway received to the last byte the client got back. `totalTime` − `backendTime` − `clientTime` is roughly the time spent in the gateway itself (routing and policies).',
  },
  backendTime: { title: 'backendTime (ms)', body: 'Milliseconds spent on I/O with the backend: connecting, sending and receiving.' },
  clientTime: { title: 'clientTime (ms)', body: 'Milliseconds spent on I/O with the client: receiving the request and sending the response. A large value points at a slow client or network, not at the gateway.' },
  cacheTime: { title: 'cacheTime (ms)', body: 'Milliseconds spent on I/O with the cache.' },
  category: { title: 'category', body: '`GatewayLogs` marks a per-request record. The gateway writes them only when local request logging (Local diagnostics) is enabled.' },
  callerIpAddress: { title: 'callerIpAddress', body: 'The address of the immediate caller as the gateway saw it: behind a load balancer or ingress this can be the proxy.' },
  timeGenerated: { title: 'timeGenerated', body: 'When the gateway recorded the request, in UTC.' },
  region: { title: 'region', body: "The gateway's location: for a self-hosted gateway, the region name given to the gateway resource in APIM." },
  correlationId: { title: 'correlationId', body: 'The identifier the gateway gave this request: use it to find the same request in other records (for example the `CorrelationId` column of Azure Monitor’s GatewayLogs).' },
  method: { title: 'method', body: 'The HTTP method of the incoming request.' },
  url: { title: 'url', body: 'The URL of the incoming request as the gateway received it: scheme, host and port as the gateway saw them, path and query.' },
  backendMethod: { title: 'backendMethod', body: 'The HTTP method of the request sent to the backend.' },
  backendUrl: { title: 'backendUrl', body: 'The URL the gateway called on the backend. Absent when the request never got that far (for example no operation matched).' },
  backendProtocol: { title: 'backendProtocol', body: 'The HTTP version used to the backend.' },
  clientProtocol: { title: 'clientProtocol', body: 'The HTTP version of the incoming request.' },
  clientTlsVersion: { title: 'clientTlsVersion', body: 'The TLS version the client used (HTTPS only).' },
  responseCode: { title: 'responseCode', body: 'The status the gateway sent to the client.' },
  backendResponseCode: { title: 'backendResponseCode', body: 'The status the backend returned to the gateway. Absent when no backend was called.' },
  responseSize: { title: 'responseSize (bytes)', body: 'Bytes sent to the client for this request.' },
  requestSize: { title: 'requestSize (bytes)', body: 'Bytes received from the client for this request.' },
  cache: { title: 'cache', body: 'Whether the response cache was involved: `hit`, `miss` or `none`.' },
  apiId: { title: 'apiId', body: 'The API that served the request (its name in APIM). Absent when no API matched.' },
  operationId: { title: 'operationId', body: 'The operation that served the request. Absent when no operation matched.' },
  apiRevision: { title: 'apiRevision', body: 'The API revision that served the request.' },
  apimSubscriptionId: { title: 'apimSubscriptionId', body: 'The subscription whose key the request used.' },
  productId: { title: 'productId', body: 'The product of the subscription used.' },
  userId: { title: 'userId', body: 'The user who owns the subscription used.' },
  backendId: { title: 'backendId', body: 'The backend entity that served the request.' },
  lastError: {
    title: 'lastError',
    body: 'The last error while the request was processed: `source` (the pipeline step or policy), `reason` (a machine-friendly code), `message`, `section` (inbound, backend, outbound, on-error), `path` (the nested policy) and `elapsed` (ms from receipt to the error). Hover a reason for what it means.',
  },
  errors: { title: 'errors', body: 'Every error met while the request was processed, oldest first; `lastError` is the last of them.' },
  elapsed: { title: 'elapsed (ms)', body: 'Milliseconds from when the gateway received the request to when this error occurred.' },
  source: { title: 'source', body: 'Where the error occurred: a built-in step (`configuration`, `authorization`, …) or a policy name.' },
  reason: { title: 'reason', body: 'A machine-friendly error code; hover its value for what it means.' },
  section: { title: 'section', body: 'The policy section the error occurred in: inbound, backend, outbound or on-error.' },
  scope: { title: 'scope', body: 'The policy scope the error occurred in (global, product, API or operation).' },
  path: { title: 'path', body: 'The nested policy the error occurred in, for example `choose[3]\\when[2]`.' },
  isTraceRequested: { title: 'isTraceRequested', body: 'Whether the caller asked for a trace. The portal’s request trace does not work with self-hosted gateways (issue #297); these records are what there is.' },
};

export function explainField(name: string): Explanation | undefined {
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

// ---- events --------------------------------------------------------------------------------------------------------

const events: Readonly<Record<string, Explanation>> = {
  GatewayLogs: { title: 'GatewayLogs', body: 'A per-request record (gateway 2.x tags them; 1.x writes them untagged). Written only with local request logging (Local diagnostics) on.' },
  HostBootstrapperStarting: { title: 'HostBootstrapperStarting', body: 'The gateway process is starting.' },
  HostBootstrapperStarted: { title: 'HostBootstrapperStarted', body: 'The gateway host finished starting its components.' },
  HostBootstrapperFailed: { title: 'HostBootstrapperFailed', body: 'The gateway host failed to start; the exception says why. The container exits and Kubernetes restarts it.' },
  ComponentStarting: { title: 'ComponentStarting', body: 'An internal component (named in `message`) is starting. Routine start-up noise.' },
  ComponentStarted: { title: 'ComponentStarted', body: 'An internal component (named in `message`) started. Routine start-up noise.' },
  LoadingConfiguration: {
    title: 'LoadingConfiguration',
    body: 'The gateway is reading its settings from the configuration endpoint in `message`. A `…management.azure-api.net/subscriptions/…` endpoint is the v1 endpoint, unsupported since October 2023; current gateways use `https://<apim>.configuration.azure-api.net`.',
  },
  LoadingConfigurationFailed: {
    title: 'LoadingConfigurationFailed',
    body: 'The gateway could not read its settings from the configuration endpoint. A 401 here means the gateway token is expired or was made from a regenerated key: generate a new token and restart the deployment.',
  },
  ConfigurationUpdated: { title: 'ConfigurationUpdated', body: 'The gateway received its settings from APIM (the names of the settings, never their values).' },
  ConfigStarted: { title: 'ConfigStarted', body: 'A configuration source started.' },
  ConfigInitialSyncStarted: { title: 'ConfigInitialSyncStarted', body: 'The first download of the APIs, products and policies assigned to this gateway started.' },
  ConfigInitialSyncCompleted: { title: 'ConfigInitialSyncCompleted', body: 'The gateway has its configuration and can route requests.' },
  ConfigInitialSyncFailed: {
    title: 'ConfigInitialSyncFailed',
    body: 'The first configuration download failed. Without a configuration backup the gateway cannot route anything; check that the pod can reach the configuration endpoint (DNS, egress on 443) and the token.',
  },
  TenantStarting: { title: 'TenantStarting', body: 'The gateway is starting the APIM service instance (tenant) named in `message`.' },
  TenantStarted: { title: 'TenantStarted', body: 'The APIM service instance is running on this gateway; the time in `message` is how long it took.' },
  BootstrapperStarting: { title: 'BootstrapperStarting', body: 'The request-processing pipeline is starting.' },
  BootstrapperStarted: { title: 'BootstrapperStarted', body: 'The request-processing pipeline is running.' },
  OperationRouteTableRebuildStarted: { title: 'OperationRouteTableRebuildStarted', body: 'The gateway is rebuilding the routes of the API in `message` (`name;rev=n`).' },
  OperationRouteTableRebuildCompleted: {
    title: 'OperationRouteTableRebuildCompleted',
    body: 'The API in `message` is assigned to this gateway and its operations are routable. An API missing from these events is not served by this gateway (requests to it get 404 `OperationNotFound`).',
  },
  PolicyParsingScheduled: { title: 'PolicyParsingScheduled', body: 'A policy document (scope and id in `message`) is queued for parsing.' },
  PolicyParsingSucceeded: { title: 'PolicyParsingSucceeded', body: 'A policy document was parsed and is in effect.' },
  PolicyParsingFailed: { title: 'PolicyParsingFailed', body: 'A policy document could not be parsed on this gateway: requests in its scope fail. Some policies are not supported by self-hosted gateways.' },
  LoadBackupLocationNotFound: {
    title: 'LoadBackupLocationNotFound',
    body: 'No local configuration backup was found at the path in `message`. Harmless unless you mounted a volume for configuration backup; without one the gateway cannot start when APIM is unreachable.',
  },
  KubernetesIngressModeDisabled: { title: 'KubernetesIngressModeDisabled', body: 'The gateway is not acting as a Kubernetes ingress controller (the usual mode).' },
  LocalLoggerAddedToTenant: { title: 'LocalLoggerAddedToTenant', body: 'Local logging is configured for the service instance.' },
  LocalDiagnosticAddedToTenant: { title: 'LocalDiagnosticAddedToTenant', body: 'Local diagnostics are enabled: the gateway writes a `GatewayLogs` record for each request.' },
  ApplicationInsightsLogPublisherInitializing: { title: 'ApplicationInsightsLogPublisherInitializing', body: 'The gateway is setting up publishing to Application Insights (endpoint in `message`).' },
  MetricPublicationStarted: { title: 'MetricPublicationStarted', body: 'The gateway started publishing metrics to Azure Monitor.' },
  NeighborhoodChangeDetected: { title: 'NeighborhoodChangeDetected', body: 'The set of peer gateway instances changed. Peers share rate-limit counters over UDP.' },
  DnsDiscoveryFailed: {
    title: 'DnsDiscoveryFailed',
    body: "The gateway could not find its peers through the discovery service's DNS name; each replica then keeps its own rate-limit counters.",
  },
  SelfAddressDiscovery: { title: 'SelfAddressDiscovery', body: 'The gateway is listing its own addresses so it can ignore its own rate-limit broadcasts.' },
  SignalListenerStarting: { title: 'SignalListenerStarting', body: 'The rate-limit signal listener is starting on the address in `message`.' },
  SignalListenerStarted: { title: 'SignalListenerStarted', body: 'The rate-limit signal listener is running.' },
  EventSnapshotElected: { title: 'EventSnapshotElected', body: 'The gateway chose the configuration snapshot in `message` to start from.' },
  EventSnapshotRestored: { title: 'EventSnapshotRestored', body: 'The configuration snapshot was loaded.' },
  EventsSuccessfullyRestored: { title: 'EventsSuccessfullyRestored', body: 'Configuration changes made after the snapshot were applied.' },
  ConfigurationRetrieving: { title: 'ConfigurationRetrieving', body: 'Downloading a configuration snapshot.' },
  ConfigurationRetrieved: { title: 'ConfigurationRetrieved', body: 'A configuration snapshot was downloaded.' },
  ConfigurationLoaded: { title: 'ConfigurationLoaded', body: 'A configuration snapshot was loaded.' },
  ShutdownRequested: { title: 'ShutdownRequested', body: 'The gateway was asked to stop (pod termination or a fatal error just before).' },
};

export function explainEvent(name: string): Explanation | undefined {
  return Object.hasOwn(events, name) ? events[name] : undefined;
}

// ---- Markdown ------------------------------------------------------------------------------------------------------

/** Escapes text from a log so it shows literally in Markdown (no links, emphasis or HTML); secrets masked. */
export const escapeMarkdown = markdownText;

/** Text from a log as inline code, backticks and all (a longer fence, never a changed character); secrets masked. */
export const codeSpan = markdownCode;

/** Markdown for one explanation; the table's own text is trusted Markdown, nothing from a log goes in unescaped. */
export function explanationMarkdown(explanation: Explanation): string {
  const lines = [`**${explanation.title}**`, '', explanation.body];
  if (explanation.checks && explanation.checks.length > 0) {
    lines.push('', 'Check:');
    for (const check of explanation.checks) lines.push(`- ${check}`);
  }
  return lines.join('\n');
}
