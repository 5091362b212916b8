// What the Arc agents do after ARM accepts an extension write: render the Microsoft.ApiManagement.Gateway chart
// (gateway/arc-chart.ts) and install, upgrade or uninstall it in the cluster, the way `helm upgrade --install --wait`
// and `helm uninstall --wait` would, then report the outcome on the extension resource (provisioningState, statuses,
// errorInfo) and on the Azure-AsyncOperation status document. Every object goes through the Kubernetes emulator's
// admission path, so what a client then sees with kubectl is what the install really produced.
//
// The outcome is read from the cluster, never decided up front: an install succeeds when the Deployment is available,
// and fails when a gateway pod is stuck (crash loop, image pull, config error) or readiness times out. Helm would wait
// out its whole timeout before failing a stuck pod; this fails as soon as the pod is in a back-off state.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHART_NAME, renderArcGatewayChart } from '../gateway/arc-chart.ts';
import type { KubeApiServer } from '../k8s/server.ts';
import type { KubeObject } from '../k8s/types.ts';
import { arcClusterResourceId } from '../world/ids.ts';
import type { ArcCluster, ArcExtension } from '../world/model.ts';
import type { World } from '../world/world.ts';
import { ArmError } from './http.ts';

export type ExtensionOperationKind = 'install' | 'upgrade' | 'uninstall';
export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
export type ExtensionStatus = ArcExtension['statuses'][number];
export interface ErrorInfo {
  code: string;
  message: string;
}

export interface ExtensionOperation {
  readonly id: string;
  /** ARM id of the cluster, as the world spells it. */
  readonly clusterId: string;
  readonly extension: string;
  readonly kind: ExtensionOperationKind;
  status: OperationStatus;
  readonly startTime: string;
  endTime?: string;
  error?: ErrorInfo;
}

/** A fault: the next matching operation fails with these instead of touching the cluster. */
export interface ScriptedExtensionFailure {
  errorInfo: ErrorInfo;
  statuses?: ExtensionStatus[];
  /** Only operations of this kind (any when absent). */
  operation?: ExtensionOperationKind;
}

export interface ExtensionEngineOptions {
  world: World;
  kube: KubeApiServer | undefined;
  /** Lower-cased ARM id of the Arc cluster the Kubernetes emulator plays. */
  kubeClusterId: string | undefined;
  /** How long an install may wait for the Deployment to become available (Helm's --timeout). */
  readyTimeoutMs: number;
  /** The agents' reaction time before they act on a new configuration. */
  pickupDelayMs: number;
}

const STUCK_REASONS = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName']);
const OPERATION_TEXT: Record<ExtensionOperationKind, string> = {
  install: 'Installing the extension',
  upgrade: 'Updating the extension',
  uninstall: 'Deleting the extension',
};
const STATUS_CODE: Record<ExtensionOperationKind, string> = { install: 'InstallationFailed', upgrade: 'UpgradeFailed', uninstall: 'DeletionFailed' };
const HELM_PREFIX: Record<ExtensionOperationKind, string> = { install: 'INSTALLATION FAILED', upgrade: 'UPGRADE FAILED', uninstall: 'UNINSTALLATION FAILED' };

class OperationFailed extends Error {
  readonly detail: string;
  constructor(detail: string) {
    super(detail);
    this.detail = detail;
  }
}

interface Running {
  operation: ExtensionOperation;
  abort: AbortController;
  done: Promise<void>;
}

function key(clusterId: string, extension: string): string {
  return `${clusterId.toLowerCase()}|${extension.toLowerCase()}`;
}

export function targetNamespace(extension: Pick<ArcExtension, 'scope'>): string {
  return 'namespace' in extension.scope ? extension.scope.namespace.targetNamespace : extension.scope.cluster.releaseNamespace;
}

export class ExtensionEngine {
  readonly #world: World;
  readonly #options: ExtensionEngineOptions;
  readonly #operations = new Map<string, ExtensionOperation>();
  readonly #running = new Map<string, Running>();
  readonly #scripted: ScriptedExtensionFailure[] = [];

  constructor(options: ExtensionEngineOptions) {
    this.#world = options.world;
    this.#options = options;
  }

  operation(id: string): ExtensionOperation | undefined {
    return this.#operations.get(id.toLowerCase());
  }

  running(cluster: ArcCluster, extension: string): ExtensionOperation | undefined {
    return this.#running.get(key(arcClusterResourceId(cluster), extension))?.operation;
  }

  /** ARM refuses a second write while the agents still work on the first. */
  assertIdle(cluster: ArcCluster, extension: string): void {
    const running = this.running(cluster, extension);
    if (running) {
      throw new ArmError(409, 'Conflict', `The extension '${extension}' has an operation in progress (${OPERATION_TEXT[running.kind]}); retry when it has finished.`);
    }
  }

  scriptFailure(failure: ScriptedExtensionFailure): number {
    this.#scripted.push(failure);
    return this.#scripted.length;
  }

  clearScriptedFailures(): void {
    this.#scripted.length = 0;
  }

  /** The Kubernetes emulator playing this cluster, if any. */
  kubeFor(cluster: ArcCluster): KubeApiServer | undefined {
    return this.#options.kube && arcClusterResourceId(cluster).toLowerCase() === this.#options.kubeClusterId ? this.#options.kube : undefined;
  }

  /**
   * Starts an operation on an extension the caller has already written to the world. An uninstall supersedes a
   * running install or upgrade (which ends Canceled); anything else while one runs is a 409.
   */
  start(kind: ExtensionOperationKind, cluster: ArcCluster, extension: string, options: { force?: boolean } = {}): ExtensionOperation {
    const k = key(arcClusterResourceId(cluster), extension);
    const previous = this.#running.get(k);
    if (previous) {
      if (kind !== 'uninstall' || previous.operation.kind === 'uninstall') this.assertIdle(cluster, extension);
      previous.abort.abort();
    }
    const operation: ExtensionOperation = {
      id: randomUUID(),
      clusterId: arcClusterResourceId(cluster),
      extension,
      kind,
      status: 'InProgress',
      startTime: this.#world.now().toISOString(),
    };
    this.#operations.set(operation.id, operation);
    const abort = new AbortController();
    const running: Running = { operation, abort, done: Promise.resolve() };
    running.done = this.#run(operation, cluster, abort.signal, previous?.done, options.force === true).finally(() => {
      if (this.#running.get(k) === running) this.#running.delete(k);
    });
    this.#running.set(k, running);
    return operation;
  }

  async close(): Promise<void> {
    const all = [...this.#running.values()];
    for (const r of all) r.abort.abort();
    await Promise.all(all.map((r) => r.done));
  }

  async #run(op: ExtensionOperation, cluster: ArcCluster, signal: AbortSignal, previous: Promise<void> | undefined, force: boolean): Promise<void> {
    try {
      if (previous) await previous;
      await sleep(this.#options.pickupDelayMs, undefined, { signal });
      const scripted = this.#takeScripted(op.kind);
      if (scripted) {
        await sleep(this.#options.pickupDelayMs, undefined, { signal });
        this.#finishFailed(op, cluster, scripted.errorInfo, scripted.statuses ?? [this.#status(op.kind, scripted.errorInfo.message)]);
        return;
      }
      const kube = this.kubeFor(cluster);
      if (!kube || cluster.connectivityStatus !== 'Connected') {
        if (op.kind === 'uninstall' && force) {
          // forceDelete removes the ARM resource without the agents' help, leaving whatever is in the cluster.
          this.#world.deleteArcExtension(cluster, op.extension);
          this.#finish(op, 'Succeeded');
          return;
        }
        throw new OperationFailed(kube
          ? `the cluster's Arc agents are unreachable (connectivityStatus ${cluster.connectivityStatus})`
          : `the cluster's Arc agents are unreachable (no Kubernetes emulator plays cluster '${cluster.name}' in this sandbox)`);
      }
      if (op.kind === 'uninstall') await this.#uninstall(op, cluster, kube, signal);
      else await this.#install(op, cluster, kube, signal);
    } catch (error) {
      if (signal.aborted) {
        this.#finish(op, 'Canceled');
        return;
      }
      const detail = error instanceof OperationFailed ? error.detail : `${HELM_PREFIX[op.kind]}: ${error instanceof Error ? error.message : String(error)}`;
      const errorInfo = { code: 'ExtensionOperationFailed', message: `Error: {${detail}} occurred while doing the operation : {${OPERATION_TEXT[op.kind]}} on the config` };
      this.#finishFailed(op, cluster, errorInfo, [this.#status(op.kind, detail)]);
    }
  }

  async #install(op: ExtensionOperation, cluster: ArcCluster, kube: KubeApiServer, signal: AbortSignal): Promise<void> {
    const extension = this.#extension(cluster, op.extension);
    const namespace = targetNamespace(extension);
    const rendered = renderArcGatewayChart({
      extensionName: extension.name,
      namespace,
      configurationSettings: extension.configurationSettings,
      configurationProtectedSettings: extension.configurationProtectedSettings,
      ...(extension.version ? { chartVersion: extension.version } : {}),
    });
    if (!rendered.ok) throw new OperationFailed(`${HELM_PREFIX[op.kind]}: ${rendered.message}`);
    for (const object of rendered.objects) upsert(kube, object as unknown as KubeObject);
    const stuck = await this.#waitForDeployment(kube, namespace, extension.name, signal);
    if (stuck) throw new OperationFailed(`${HELM_PREFIX[op.kind]}: ${stuck}`);
    this.#world.updateArcExtension(cluster, extension.name, { provisioningState: 'Succeeded', statuses: [], errorInfo: null });
    this.#finish(op, 'Succeeded');
  }

  async #uninstall(op: ExtensionOperation, cluster: ArcCluster, kube: KubeApiServer, signal: AbortSignal): Promise<void> {
    const extension = this.#extension(cluster, op.extension);
    const namespace = targetNamespace(extension);
    const release = `app.kubernetes.io/instance=${extension.name},app.kubernetes.io/managed-by=Helm`;
    for (const resource of ['deployments', 'services', 'configmaps', 'secrets']) {
      for (const object of kube.list(resource, namespace, { labelSelector: release })) {
        try {
          kube.delete(resource, namespace, object.metadata.name ?? '');
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
    }
    // `helm uninstall --wait`: done when the release's pods are gone, not merely marked for deletion.
    const deadline = Date.now() + this.#options.readyTimeoutMs;
    while (kube.list('pods', namespace, { labelSelector: `app.kubernetes.io/instance=${extension.name}` }).length > 0) {
      if (Date.now() > deadline) throw new OperationFailed(`${HELM_PREFIX.uninstall}: timed out waiting for the release's pods to terminate`);
      await sleep(50, undefined, { signal });
    }
    this.#world.deleteArcExtension(cluster, extension.name);
    this.#finish(op, 'Succeeded');
  }

  /** Undefined once the Deployment is available; otherwise why it never will be. */
  async #waitForDeployment(kube: KubeApiServer, namespace: string, name: string, signal: AbortSignal): Promise<string | undefined> {
    const deadline = Date.now() + this.#options.readyTimeoutMs;
    const selector = `app.kubernetes.io/name=${CHART_NAME},app.kubernetes.io/instance=${name}`;
    for (;;) {
      const deployment = kube.get('deployments', namespace, name) as DeploymentView | undefined;
      if (!deployment) return `deployment ${namespace}/${name} was deleted during the operation`;
      const desired = deployment.spec?.replicas ?? 1;
      const status = deployment.status ?? {};
      const settled = (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
      if (settled && (status.updatedReplicas ?? 0) >= desired && (status.availableReplicas ?? 0) >= desired) return undefined;
      for (const pod of kube.list('pods', namespace, { labelSelector: selector }) as PodView[]) {
        if (pod.metadata.deletionTimestamp) continue;
        for (const c of pod.status?.containerStatuses ?? []) {
          const reason = c.state?.waiting?.reason;
          if (reason && STUCK_REASONS.has(reason)) {
            const exit = c.lastState?.terminated?.exitCode;
            return `timed out waiting for the condition: deployment ${namespace}/${name} has ${status.availableReplicas ?? 0} of ${desired} replicas available; pod ${pod.metadata.name}: container ${c.name} is waiting: ${reason}${exit !== undefined ? ` (last exit code ${exit}, restarts ${c.restartCount ?? 0})` : ''}`;
          }
        }
      }
      if (Date.now() > deadline) return `timed out waiting for the condition: deployment ${namespace}/${name} has ${status.availableReplicas ?? 0} of ${desired} replicas available`;
      await sleep(50, undefined, { signal });
    }
  }

  #extension(cluster: ArcCluster, name: string): ArcExtension {
    const extension = cluster.extensions.get(name);
    if (!extension) throw new OperationFailed(`the extension '${name}' no longer exists`);
    return extension;
  }

  #takeScripted(kind: ExtensionOperationKind): ScriptedExtensionFailure | undefined {
    const index = this.#scripted.findIndex((f) => f.operation === undefined || f.operation === kind);
    return index < 0 ? undefined : this.#scripted.splice(index, 1)[0];
  }

  #status(kind: ExtensionOperationKind, message: string): ExtensionStatus {
    return { code: STATUS_CODE[kind], displayStatus: 'Failed', level: 'Error', message, time: this.#world.now().toISOString() };
  }

  #finishFailed(op: ExtensionOperation, cluster: ArcCluster, errorInfo: ErrorInfo, statuses: ExtensionStatus[]): void {
    if (cluster.extensions.has(op.extension)) {
      this.#world.updateArcExtension(cluster, op.extension, { provisioningState: 'Failed', statuses, errorInfo });
    }
    op.error = errorInfo;
    this.#finish(op, 'Failed');
  }

  #finish(op: ExtensionOperation, status: OperationStatus): void {
    op.status = status;
    op.endTime = this.#world.now().toISOString();
  }
}

interface DeploymentView {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number };
}

interface PodView {
  metadata: { name?: string; deletionTimestamp?: string };
  status?: {
    containerStatuses?: Array<{
      name: string;
      restartCount?: number;
      state?: { waiting?: { reason?: string } };
      lastState?: { terminated?: { exitCode?: number } };
    }>;
  };
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && (error as { status: { code?: number } }).status.code === 404;
}

/**
 * Helm's create-or-replace for one chart object: a new object is created, an existing one is replaced by the rendered
 * manifest (fields the chart stopped rendering disappear, as with Helm's three-way merge); the API server keeps what it
 * owns (Service clusterIP and nodePorts, Deployment status).
 */
function upsert(kube: KubeApiServer, object: KubeObject): void {
  const namespace = object.metadata.namespace;
  const name = object.metadata.name ?? '';
  const live = kube.get(object.kind, namespace, name);
  if (!live) {
    kube.create(object, { fieldManager: 'helm' });
    return;
  }
  if (object.kind === 'Namespace') return;
  kube.update({ ...object, metadata: { ...object.metadata, resourceVersion: live.metadata.resourceVersion } }, { fieldManager: 'helm' });
}
