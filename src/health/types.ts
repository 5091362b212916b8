// The contract of "what is wrong with this deployed gateway": what the host gathers (pods, events, the start-up and
// recent log, the running token's non-secret parts, ARM, settings, the Service) and what it gets back (every check
// with its outcome, and findings with evidence and fixes in the diagnosis's shape). Pure types; see README.md.
import type { GatewayLogEntry } from '../gatewayLogs/entry.ts';
import type { AssignApiFix, Evidence, Instant, OpenTokenWizardFix, Severity } from '../diagnosis/types.ts';
// Types only (src/kubernetes/types.ts has no code): the Event as the API serves it, read by the host and by this core.
import type { KubeEvent } from '../kubernetes/types.ts';

export type { Evidence, Instant, Severity };

/** A container's state as the Kubernetes API serves it (`status.containerStatuses[].state` / `.lastState`). */
export interface HealthContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string; startedAt?: string; finishedAt?: string };
}

export interface HealthContainerStatus {
  name?: string;
  image?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: HealthContainerState;
  lastState?: HealthContainerState;
}

export interface HealthPodCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** A pod of the gateway's Deployment, as `GET /api/v1/namespaces/NS/pods` serves it (only these fields are read). */
export interface HealthPod {
  metadata?: { name?: string; namespace?: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec?: { containers?: { name?: string; image?: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: HealthPodCondition[];
    containerStatuses?: HealthContainerStatus[];
  };
}

/** A core/v1 Event about the Deployment, its ReplicaSets or pods (`GET /api/v1/namespaces/NS/events`). */
export type HealthEvent = KubeEvent;

/** The gateway's log, each list exactly as `parseGatewayLog` (src/gatewayLogs) gives it. */
export interface HealthLog {
  /** The pod the lines come from. */
  pod?: string;
  container?: string;
  /** The beginning of the current container's log (line 1 on): banner, settings, the first sync. */
  startup?: readonly GatewayLogEntry[];
  /** The newest lines of the same container (a tail; its line numbers count from the tail's first line). */
  recent?: readonly GatewayLogEntry[];
  /** The previous (crashed) container's log, when the container restarted. */
  previous?: readonly GatewayLogEntry[];
}

/** The non-secret parts of the token the gateway runs with (src/kubernetes/gatewayToken.ts: TokenFacts). */
export interface HealthToken {
  gatewayId?: string;
  expiresAt?: Instant;
  /** Where it was read (`Secret apim/gw-token key value`), for evidence. */
  source?: string;
}

/** An API assigned to the gateway, as `gatewayApi.listByService` returns it (ApiContract fields). */
export interface HealthApi {
  name?: string;
  displayName?: string;
  path?: string;
  protocols?: readonly string[];
}

/** The APIM gateway resource and what ARM says about it. */
export interface HealthApimGateway {
  /** The gateway's name under APIM (`rb-arc-gateway`). */
  name?: string;
  /** The APIM service's name, for wording. */
  serviceName?: string;
  /** The APIs assigned to it; absent: not known (so "no API assigned" is never claimed). */
  apis?: readonly HealthApi[];
  /** Whether the service's local diagnostics (per-request records on stdout) are on; absent: not known. */
  localDiagnostics?: boolean;
  /** Heartbeat as APIM reports it, where the host can read it; absent: not known. */
  heartbeat?: { connected?: boolean; lastSeen?: Instant };
}

/** The Service in front of the gateway (`GET /api/v1/namespaces/NS/services/NAME`). */
export interface HealthService {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    type?: string;
    ports?: { name?: string; port?: number; targetPort?: number | string; nodePort?: number; appProtocol?: string; protocol?: string }[];
  };
}

/** The Deployment (`GET /apis/apps/v1/namespaces/NS/deployments/NAME`); its env is read through `settings`. */
export interface HealthDeployment {
  metadata?: { name?: string; namespace?: string };
  spec?: { replicas?: number; template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number };
}

/**
 * The gateway's settings by name, with NO secret values: the Arc extension's `configurationSettings` (never the
 * protected ones), or the gateway container's env as the kubelet resolves it from literal values and ConfigMaps
 * (never Secrets). Any key naming an auth setting, key, token, secret or password must be left out or its value
 * replaced by `***`; the engine never quotes such values anyway.
 */
export interface HealthSettings {
  source?: 'arc-extension' | 'container-env';
  /** Where they were read, for evidence: `Arc extension rb-arc-aks-apimgw`, `Deployment apim/gw env + ConfigMap gw-env`. */
  origin?: string;
  values?: Readonly<Record<string, string>>;
  /** The Arc extension's version / release train, when the source is the extension. */
  extensionVersion?: string;
  /** The Arc extension's ARM id (for the update-extension fix). */
  extensionId?: string;
}

export interface HealthInput {
  /** What is checked, for wording: `Deployment apim/rb-arc-aks-apimgw`. */
  target?: string;
  deployment?: HealthDeployment;
  pods?: readonly HealthPod[];
  events?: readonly HealthEvent[];
  log?: HealthLog;
  token?: HealthToken;
  gateway?: HealthApimGateway;
  settings?: HealthSettings;
  service?: HealthService;
  /** The clock for expiry and "in the last hour"; default: the current time. */
  now?: Instant;
}

export type HealthFindingCode =
  | 'no-pods'
  | 'pod-image-pull'
  | 'pod-crash-loop'
  | 'pod-pending'
  | 'pod-config-error'
  | 'pod-not-ready'
  | 'pod-restarts'
  | 'config-no-auth'
  | 'config-endpoint-unreachable'
  | 'config-initial-sync-failed'
  | 'config-unauthorized'
  | 'config-api-v2-not-available'
  | 'token-expired'
  | 'token-expiring'
  | 'token-wrong-gateway'
  | 'image-unsupported'
  | 'image-outdated'
  | 'v1-config-endpoint'
  | 'local-diagnostics-off'
  | 'service-ports-mismatch'
  | 'single-replica'
  | 'no-api-assigned'
  | 'gateway-disconnected';

/** Open the gateway's log at a line (the start-up entries, or the previous container's crash). */
export interface OpenLogsFix {
  id: 'open-logs';
  label: string;
  pod: string;
  container?: string;
  previous?: boolean;
  /** 1-based line in that log. */
  line?: number;
}

/** Update the gateway image: the Arc extension's version, or the Deployment's image tag. */
export interface UpdateGatewayFix {
  id: 'update-gateway';
  label: string;
  /** The release to move to (`2.11.1`). */
  version: string;
  via: 'arc-extension' | 'deployment';
}

/** Choose APIs and assign them to the gateway. */
export interface AssignApisFix {
  id: 'assign-apis';
  label: string;
  gatewayId: string;
}

export type HealthFix = OpenTokenWizardFix | AssignApiFix | AssignApisFix | OpenLogsFix | UpdateGatewayFix;
export type HealthFixId = HealthFix['id'];

export interface HealthFinding {
  code: HealthFindingCode;
  severity: Severity;
  title: string;
  explanation: string;
  evidence: Evidence[];
  fixes: HealthFix[];
}

export type HealthCheckId =
  | 'pods'
  | 'restarts'
  | 'configuration'
  | 'token'
  | 'image'
  | 'endpoint'
  | 'local-diagnostics'
  | 'service-ports'
  | 'replicas'
  | 'apis'
  | 'connection';

export type HealthCheckStatus = 'passed' | 'failed' | 'unknown';

/** One check, whatever its outcome: the view lists them all. */
export interface HealthCheck {
  id: HealthCheckId;
  title: string;
  status: HealthCheckStatus;
  /** Why it passed, or why it could not be decided (what was not known). */
  summary: string;
  /** What it rested on when it passed (failed checks carry their findings' evidence). */
  evidence: Evidence[];
  findings: HealthFinding[];
}

export interface HealthReport {
  checks: HealthCheck[];
  /** Every finding of every check, most severe first, then in check order. */
  findings: HealthFinding[];
  /** `failed` when any error, `degraded` when warnings only, `healthy` when no finding above info, `unknown` when nothing could be checked. */
  overall: 'healthy' | 'degraded' | 'failed' | 'unknown';
}
