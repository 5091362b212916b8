// kube-controller-manager's part: Deployments roll out through ReplicaSets (named by a pod-template hash, rolling
// update with maxSurge/maxUnavailable), ReplicaSets keep their pod count, Endpoints follow Services' selectors and
// pod readiness, and deleted namespaces are emptied before they go. Each controller reads the store and writes
// through the API, so every step shows up in watches exactly as the real controllers' writes do.
import {
  configMapsType, deploymentsType, endpointsType, eventsType, namespacesType, nowTimestamp, podsType, replicaSetsType,
  servicesType, type KubeApi,
} from './api.ts';
import { randomSuffix } from './admission.ts';
import { deepEqual } from './patch.ts';
import { resourceTypes } from './resources.ts';
import { labelSelectorString, matchesLabelSelector } from './selectors.ts';
import { ApiError } from './status.ts';
import type { StoreEvent } from './store.ts';
import {
  clone, isObject, type ContainerSpec, type Deployment, type EndpointAddress, type EndpointSubset, type Endpoints,
  type JsonObject, type KubeObject, type Pod, type ReplicaSet, type Service,
} from './types.ts';

const manager = 'kube-controller-manager';

/** FNV-1a over canonical JSON, encoded with apimachinery's SafeEncodeString like ComputeHash's result. */
export function podTemplateHash(template: unknown): string {
  const canonical = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
    if (isObject(v)) return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
    return JSON.stringify(v);
  };
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(canonical(template))) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(h)].map((d) => alphabet[d.charCodeAt(0) % alphabet.length]).join('');
}

function isOwnedBy(object: KubeObject, owner: KubeObject): boolean {
  return (object.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller);
}

function ownerRef(owner: KubeObject) {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

function podReady(pod: Pod): boolean {
  return !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function podActive(pod: Pod): boolean {
  return !pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
}

function resolveIntOrPercent(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Drop zero counters, as the real status structs' `omitempty` does. */
function omitZero(status: JsonObject, keep: readonly string[] = []): JsonObject {
  for (const [k, v] of Object.entries(status)) if (v === 0 && !keep.includes(k)) delete status[k];
  return status;
}

export class Controllers {
  private readonly api: KubeApi;
  private readonly unsubscribe: () => void;
  private scheduled = false;
  private closed = false;
  private readonly managedEndpoints = new Set<string>();
  private readonly caPem: string;

  constructor(api: KubeApi, caPem: string) {
    this.api = api;
    this.caPem = caPem;
    this.unsubscribe = api.store.subscribe((e) => this.onEvent(e));
  }

  private onEvent(event: StoreEvent): void {
    if (event.resource === eventsType || this.closed) return;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.closed) this.reconcile();
    });
  }

  /** Run every controller once; their writes schedule the next pass until nothing changes. */
  reconcile(): void {
    for (const ns of this.api.store.scan(namespacesType)) this.syncNamespace(ns);
    for (const d of this.api.store.scan(deploymentsType)) this.syncDeployment(d as Deployment);
    for (const rs of this.api.store.scan(replicaSetsType)) this.syncReplicaSet(rs as ReplicaSet);
    this.syncEndpoints();
  }

  // ---- namespaces ------------------------------------------------------------------------------------------------

  private syncNamespace(ns: KubeObject): void {
    const name = ns.metadata.name ?? '';
    if (!ns.metadata.deletionTimestamp) {
      // root-ca-cert-publisher: every namespace gets the cluster CA as kube-root-ca.crt.
      if (!this.api.store.peek(configMapsType, name, 'kube-root-ca.crt')) {
        this.tryWrite(() => this.api.create(configMapsType, name, {
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
          data: { 'ca.crt': this.caPem },
        }, { fieldManager: manager }));
      }
      return;
    }
    let remaining = 0;
    for (const type of resourceTypes.filter((t) => t.namespaced)) {
      for (const o of this.api.store.scan(type, name)) {
        remaining++;
        if (type === podsType && o.metadata.deletionTimestamp) continue;
        this.tryWrite(() => this.api.delete(type, name, o.metadata.name ?? '', {}));
      }
    }
    if (remaining === 0) this.api.finalizeDeletion(namespacesType, undefined, name);
  }

  private tryWrite(write: () => unknown): void {
    try {
      write();
    } catch (e) {
      // Lost races (NotFound, AlreadyExists, Conflict) resolve on the next pass, as with real controllers.
      if (!(e instanceof ApiError)) throw e;
    }
  }

  // ---- deployments -----------------------------------------------------------------------------------------------

  private syncDeployment(d: Deployment): void {
    if (d.metadata.deletionTimestamp) return;
    const ns = d.metadata.namespace ?? '';
    const desired = d.spec.replicas ?? 1;
    const template = clone(d.spec.template);
    const hash = podTemplateHash(template);
    const owned = this.api.store.scan(replicaSetsType, ns).filter((rs) => isOwnedBy(rs, d)) as ReplicaSet[];
    let newRS = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const oldRSes = owned.filter((rs) => rs !== newRS);
    const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    const maxRevision = Math.max(0, ...owned.map(revisionOf));
    const maxSurge = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', desired, true);
    let maxUnavailable = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', desired, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const recreate = d.spec.strategy?.type === 'Recreate';
    const oldTotal = oldRSes.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
    const activePods = (rs: ReplicaSet) => (this.api.store.scan(podsType, ns) as Pod[]).filter((p) => isOwnedBy(p, rs));

    if (d.spec.paused) { this.writeDeploymentStatus(d, newRS, owned, desired, maxUnavailable); return; }

    if (!newRS) {
      const name = `${d.metadata.name}-${hash}`;
      const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
      const initial = recreate ? (oldTotal === 0 ? desired : 0) : oldTotal === 0 ? desired : Math.max(0, Math.min(desired, desired + maxSurge - oldTotal));
      const rs: ReplicaSet = {
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: {
          name, namespace: ns, labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(desired),
            'deployment.kubernetes.io/max-replicas': String(desired + maxSurge),
            'deployment.kubernetes.io/revision': String(maxRevision + 1),
          },
          ownerReferences: [ownerRef(d)],
        },
        spec: {
          replicas: initial,
          selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector.matchLabels ?? {}), 'pod-template-hash': hash } },
          template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
        },
      };
      try {
        newRS = this.api.create(replicaSetsType, ns, rs, { fieldManager: manager }) as ReplicaSet;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return;
      }
      if (initial > 0) this.api.recordEvent(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${initial}`, 'deployment-controller');
      this.api.writeInternal(deploymentsType, ns, d.metadata.name ?? '', (o) => {
        (o.metadata.annotations ??= {})['deployment.kubernetes.io/revision'] = String(maxRevision + 1);
      }, manager);
      return;
    }

    const scale = (rs: ReplicaSet, replicas: number) => {
      const from = rs.spec.replicas ?? 0;
      if (from === replicas) return;
      this.api.writeInternal(replicaSetsType, ns, rs.metadata.name ?? '', (o) => {
        (o as ReplicaSet).spec.replicas = replicas;
        const a = (o.metadata.annotations ??= {});
        a['deployment.kubernetes.io/desired-replicas'] = String(desired);
        a['deployment.kubernetes.io/max-replicas'] = String(desired + maxSurge);
      }, manager);
      this.api.recordEvent(d, 'Normal', 'ScalingReplicaSet',
        `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${replicas}`, 'deployment-controller');
    };

    // The newest revision wins: an older template coming back takes the next revision number.
    if (revisionOf(newRS) < maxRevision) {
      this.api.writeInternal(replicaSetsType, ns, newRS.metadata.name ?? '', (o) => {
        (o.metadata.annotations ??= {})['deployment.kubernetes.io/revision'] = String(maxRevision + 1);
      }, manager);
      this.api.writeInternal(deploymentsType, ns, d.metadata.name ?? '', (o) => {
        (o.metadata.annotations ??= {})['deployment.kubernetes.io/revision'] = String(maxRevision + 1);
      }, manager);
      return;
    }

    if (recreate) {
      for (const rs of oldRSes) scale(rs, 0);
      const oldPodsLeft = oldRSes.some((rs) => activePods(rs).length > 0);
      if (!oldPodsLeft) scale(newRS, desired);
    } else {
      let newReplicas = newRS.spec.replicas ?? 0;
      if (newReplicas > desired) newReplicas = desired;
      else if (newReplicas < desired) {
        const room = desired + maxSurge - (newReplicas + oldTotal);
        if (room > 0) newReplicas += Math.min(room, desired - newReplicas);
      }
      scale(newRS, newReplicas);
      // Old replicas go first where they are not ready, then as far as availability allows.
      const minAvailable = desired - maxUnavailable;
      const newReady = activePods(newRS).filter(podReady).length;
      let oldReady = 0;
      const plans = oldRSes
        .sort((a, b) => revisionOf(a) - revisionOf(b))
        .map((rs) => {
          const ready = activePods(rs).filter(podReady).length;
          oldReady += ready;
          return { rs, replicas: rs.spec.replicas ?? 0, ready };
        });
      for (const p of plans) {
        const unready = Math.max(0, p.replicas - p.ready);
        p.replicas -= unready;
      }
      let removable = Math.max(0, newReady + oldReady - minAvailable);
      for (const p of plans) {
        const cut = Math.min(removable, p.replicas);
        p.replicas -= cut;
        removable -= cut;
      }
      for (const p of plans) scale(p.rs, p.replicas);
    }

    // revisionHistoryLimit: the oldest scaled-down ReplicaSets go.
    const limit = Number(d.spec['revisionHistoryLimit'] ?? 10);
    const idle = oldRSes.filter((rs) => (rs.spec.replicas ?? 0) === 0 && activePods(rs).length === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      this.tryWrite(() => this.api.delete(replicaSetsType, ns, rs.metadata.name ?? '', {}));
    }
    this.writeDeploymentStatus(d, newRS, owned, desired, maxUnavailable);
  }

  private writeDeploymentStatus(d: Deployment, newRS: ReplicaSet | undefined, owned: ReplicaSet[], desired: number, maxUnavailable: number): void {
    const ns = d.metadata.namespace ?? '';
    const pods = (this.api.store.scan(podsType, ns) as Pod[]).filter(podActive);
    const of = (rs: ReplicaSet) => pods.filter((p) => isOwnedBy(p, rs));
    const total = owned.reduce((n, rs) => n + of(rs).length, 0);
    const ready = owned.reduce((n, rs) => n + of(rs).filter(podReady).length, 0);
    const updated = newRS ? of(newRS).length : 0;
    const available = ready;
    const now = nowTimestamp();
    const previous = (d.status?.['conditions'] ?? []) as { type: string; status: string; reason: string; lastTransitionTime: string; lastUpdateTime: string; message: string }[];
    const cond = (type: string, status: 'True' | 'False', reason: string, message: string) => {
      const old = previous.find((c) => c.type === type);
      const same = old && old.status === status && old.reason === reason && old.message === message;
      return {
        type, status,
        lastUpdateTime: same ? old.lastUpdateTime : now,
        lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
        reason, message,
      };
    };
    const availableOk = available >= desired - maxUnavailable;
    const complete = newRS && updated === desired && total === desired && available === desired;
    const progressingReason = complete ? 'NewReplicaSetAvailable' : previous.some((c) => c.type === 'Progressing') ? 'ReplicaSetUpdated' : 'NewReplicaSetCreated';
    const progressingMessage = complete ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`
      : progressingReason === 'ReplicaSetUpdated' ? `ReplicaSet "${newRS?.metadata.name}" is progressing.` : `Created new replica set "${newRS?.metadata.name}"`;
    const status = omitZero({
      observedGeneration: d.metadata.generation ?? 1,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, (d.spec.paused ? total : desired) - available),
      conditions: [
        cond('Available', availableOk ? 'True' : 'False', availableOk ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          availableOk ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
        cond('Progressing', 'True', progressingReason, progressingMessage),
      ],
    });
    const prevStatus = d.status ?? {};
    // Keep timestamps stable when only timestamps would change, so a settled Deployment stops producing events.
    if (deepEqual(withoutTimes(prevStatus), withoutTimes(status))) return;
    this.api.writeStatus(deploymentsType, ns, d.metadata.name ?? '', (o) => { o['status'] = status; }, manager);
  }

  // ---- replicasets -----------------------------------------------------------------------------------------------

  private syncReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) return;
    const ns = rs.metadata.namespace ?? '';
    const pods = (this.api.store.scan(podsType, ns) as Pod[]).filter((p) => isOwnedBy(p, rs));
    const active = pods.filter(podActive);
    const desired = rs.spec.replicas ?? 1;
    if (active.length < desired) {
      for (let i = active.length; i < desired; i++) {
        const template = clone(rs.spec.template);
        const name = `${rs.metadata.name}-${randomSuffix(5)}`;
        const pod: Pod = {
          apiVersion: 'v1', kind: 'Pod',
          metadata: {
            ...(template.metadata ?? {}),
            name, generateName: `${rs.metadata.name}-`, namespace: ns,
            ownerReferences: [ownerRef(rs)],
          },
          spec: template.spec,
        };
        delete pod.metadata.creationTimestamp;
        try {
          this.api.create(podsType, ns, pod, { fieldManager: manager });
          this.api.recordEvent(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`, 'replicaset-controller');
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          this.api.recordEvent(rs, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, 'replicaset-controller');
          break;
        }
      }
    } else if (active.length > desired) {
      // Deletion order of the real controller: unscheduled, pending, not ready, then the youngest.
      const rank = (p: Pod) => [p.spec.nodeName ? 1 : 0, p.status?.phase === 'Running' ? 1 : 0, podReady(p) ? 1 : 0];
      const victims = [...active].sort((a, b) => {
        const ra = rank(a);
        const rb = rank(b);
        for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
        return String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
      }).slice(0, active.length - desired);
      for (const p of victims) {
        this.tryWrite(() => {
          this.api.delete(podsType, ns, p.metadata.name ?? '', {});
          this.api.recordEvent(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
        });
      }
    }
    const current = (this.api.store.scan(podsType, ns) as Pod[]).filter((p) => isOwnedBy(p, rs) && podActive(p));
    const ready = current.filter(podReady).length;
    const status = omitZero({
      replicas: current.length,
      fullyLabeledReplicas: current.filter((p) => matchesLabelSelector(p.metadata.labels, rs.spec.template.metadata?.labels ? { matchLabels: rs.spec.template.metadata.labels } : undefined)).length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    }, ['replicas']);
    this.api.writeStatus(replicaSetsType, ns, rs.metadata.name ?? '', (o) => { o['status'] = status; }, manager);
  }

  // ---- endpoints -------------------------------------------------------------------------------------------------

  private syncEndpoints(): void {
    const live = new Set<string>();
    for (const o of this.api.store.scan(servicesType)) {
      const svc = o as Service;
      const ns = svc.metadata.namespace ?? '';
      const name = svc.metadata.name ?? '';
      if (!svc.spec.selector || Object.keys(svc.spec.selector).length === 0 || svc.spec.type === 'ExternalName') continue;
      live.add(`${ns}/${name}`);
      const subsets = this.subsetsFor(svc);
      const existing = this.api.store.peek(endpointsType, ns, name) as Endpoints | undefined;
      const labels = { ...(svc.metadata.labels ?? {}) };
      if (!existing) {
        this.managedEndpoints.add(`${ns}/${name}`);
        this.tryWrite(() => this.api.create(endpointsType, ns, {
          apiVersion: 'v1', kind: 'Endpoints',
          metadata: { name, namespace: ns, labels, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': nowTimestamp() } },
          ...(subsets.length ? { subsets } : {}),
        }, { fieldManager: manager }));
        continue;
      }
      this.managedEndpoints.add(`${ns}/${name}`);
      if (deepEqual(existing.subsets ?? [], subsets) && deepEqual(existing.metadata.labels ?? {}, labels)) continue;
      this.api.writeInternal(endpointsType, ns, name, (e) => {
        const ep = e as Endpoints;
        if (subsets.length) ep.subsets = subsets;
        else delete ep.subsets;
        ep.metadata.labels = labels;
        (ep.metadata.annotations ??= {})['endpoints.kubernetes.io/last-change-trigger-time'] = nowTimestamp();
      }, manager);
    }
    for (const key of [...this.managedEndpoints]) {
      if (live.has(key)) continue;
      this.managedEndpoints.delete(key);
      const [ns, name] = key.split('/') as [string, string];
      this.tryWrite(() => this.api.delete(endpointsType, ns, name, {}));
    }
  }

  private subsetsFor(svc: Service): EndpointSubset[] {
    const ns = svc.metadata.namespace ?? '';
    const pods = (this.api.store.scan(podsType, ns) as Pod[]).filter((p) => p.status?.podIP && !p.metadata.deletionTimestamp
      && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed'
      && matchesLabelSelector(p.metadata.labels, { matchLabels: svc.spec.selector ?? {} }));
    const groups = new Map<string, EndpointSubset>();
    for (const pod of pods) {
      const ports: { name?: string; port: number; protocol: string }[] = [];
      for (const sp of svc.spec.ports ?? []) {
        const target = sp.targetPort ?? sp.port;
        let port: number | undefined;
        if (typeof target === 'number') port = target;
        else if (/^\d+$/.test(target)) port = Number(target);
        else port = pod.spec.containers.flatMap((c: ContainerSpec) => c.ports ?? []).find((p) => p.name === target)?.containerPort;
        if (port !== undefined) ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP' });
      }
      if (ports.length === 0) continue;
      const key = JSON.stringify(ports);
      const subset = groups.get(key) ?? { ports };
      groups.set(key, subset);
      const address: EndpointAddress = {
        ip: pod.status!.podIP!,
        nodeName: pod.spec.nodeName ?? '',
        targetRef: { kind: 'Pod', namespace: ns, name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
      };
      if (podReady(pod)) (subset.addresses ??= []).push(address);
      else (subset.notReadyAddresses ??= []).push(address);
    }
    const ipOrder = (a: EndpointAddress, b: EndpointAddress) => a.ip.localeCompare(b.ip, undefined, { numeric: true });
    return [...groups.values()].map((s) => {
      const out: EndpointSubset = {};
      if (s.addresses) out.addresses = s.addresses.sort(ipOrder);
      if (s.notReadyAddresses) out.notReadyAddresses = s.notReadyAddresses.sort(ipOrder);
      out.ports = s.ports ?? [];
      return out;
    });
  }

  /** `kubectl get deploy -o wide` / Scale's status.selector. */
  static selectorString(d: Deployment): string {
    return labelSelectorString(d.spec.selector);
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
  }
}

function withoutTimes(status: JsonObject): JsonObject {
  const copy = clone(status);
  for (const c of (copy['conditions'] ?? []) as JsonObject[]) {
    delete c['lastUpdateTime'];
    delete c['lastTransitionTime'];
  }
  return copy;
}
