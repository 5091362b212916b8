// Server-side printing (meta.k8s.io/v1 Table) with the columns and cell values of the real printers
// (pkg/printers/internalversion), so `kubectl get` and `kubectl get -w` print what they print against a cluster.
import type {
  ContainerSpec, Deployment, Endpoints, JsonObject, KubeObject, Pod, ReplicaSet, Secret, Service,
} from './types.ts';
import { labelSelectorString } from './selectors.ts';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  priority?: number;
  description?: string;
}

interface Printer {
  columns: Column[];
  cells(object: KubeObject, now: number): (string | number)[];
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  return humanDuration(now - Date.parse(timestamp));
}

const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.' };
const ageColumn: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' };

function podCells(pod: Pod, now: number): (string | number)[] {
  const statuses = pod.status?.containerStatuses ?? [];
  let restarts = 0;
  let lastRestart = 0;
  let ready = 0;
  let reason: string = pod.status?.reason || pod.status?.phase || '';
  let hasRunning = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i]!;
    restarts += c.restartCount;
    const finished = c.lastState?.terminated?.finishedAt;
    if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
    if (c.state.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state.terminated) reason = `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state.running) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) {
    const podReady = (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    reason = podReady ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp) reason = 'Terminating';
  const restartText = restarts > 0 && lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  const gates = (pod.spec['readinessGates'] as unknown[] | undefined)?.length;
  return [
    pod.metadata.name ?? '',
    `${ready}/${pod.spec.containers.length}`,
    reason,
    restartText,
    age(pod.metadata.creationTimestamp, now),
    pod.status?.podIP || '<none>',
    pod.spec.nodeName || '<none>',
    String(pod.status?.['nominatedNodeName'] ?? '<none>'),
    gates ? `0/${gates}` : '<none>',
  ];
}

function servicePorts(svc: Service): string {
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function externalIP(svc: Service): string {
  const type = svc.spec.type ?? 'ClusterIP';
  const external = (svc.spec['externalIPs'] as string[] | undefined) ?? [];
  if (type === 'ExternalName') return String(svc.spec['externalName'] ?? '');
  if (type === 'LoadBalancer') {
    const ingress = ((svc.status?.['loadBalancer'] as JsonObject | undefined)?.['ingress'] as { ip?: string; hostname?: string }[] | undefined) ?? [];
    const ips = [...ingress.map((i) => i.ip ?? i.hostname ?? ''), ...external].filter(Boolean);
    return ips.length ? ips.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

function containersAndImages(spec: { containers?: ContainerSpec[] } | undefined): [string, string] {
  const containers = spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image ?? '').join(',')];
}

function endpointsText(ep: Endpoints): string {
  const all: string[] = [];
  for (const s of ep.subsets ?? []) {
    for (const a of s.addresses ?? []) {
      for (const p of s.ports ?? []) all.push(`${a.ip}:${p.port}`);
      if (!s.ports?.length) all.push(a.ip);
    }
  }
  if (all.length === 0) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

const printers: Record<string, Printer> = {
  Pod: {
    columns: [
      nameColumn,
      { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.' },
      { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.' },
      { name: 'Restarts', type: 'string', description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.' },
      ageColumn,
      { name: 'IP', type: 'string', priority: 1, description: 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.' },
      { name: 'Node', type: 'string', priority: 1, description: 'NodeName is a request to schedule this pod onto a specific node.' },
      { name: 'Nominated Node', type: 'string', priority: 1, description: 'nominatedNodeName is set only when this pod preempts other pods on the node.' },
      { name: 'Readiness Gates', type: 'string', priority: 1, description: 'If specified, all readiness gates will be evaluated for pod readiness.' },
    ],
    cells: (o, now) => podCells(o as Pod, now),
  },
  Service: {
    columns: [
      nameColumn,
      { name: 'Type', type: 'string', description: 'type determines how the Service is exposed.' },
      { name: 'Cluster-IP', type: 'string', description: 'clusterIP is the IP address of the service.' },
      { name: 'External-IP', type: 'string', description: 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.' },
      { name: 'Port(s)', type: 'string', description: 'The list of ports that are exposed by this service.' },
      ageColumn,
      { name: 'Selector', type: 'string', priority: 1, description: 'Route service traffic to pods with label keys and values matching this selector.' },
    ],
    cells: (o, now) => {
      const s = o as Service;
      const selector = Object.entries(s.spec.selector ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
      return [s.metadata.name ?? '', s.spec.type ?? 'ClusterIP', s.spec.clusterIP || '<none>', externalIP(s), servicePorts(s),
        age(s.metadata.creationTimestamp, now), selector || '<none>'];
    },
  },
  Deployment: {
    columns: [
      nameColumn,
      { name: 'Ready', type: 'string', description: 'Number of the pod with ready state' },
      { name: 'Up-to-date', type: 'integer', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.' },
      { name: 'Available', type: 'integer', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.' },
      ageColumn,
      { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
      { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.' },
      { name: 'Selector', type: 'string', priority: 1, description: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.' },
    ],
    cells: (o, now) => {
      const d = o as Deployment;
      const st = d.status ?? {};
      const [containers, images] = containersAndImages(d.spec.template?.spec);
      return [d.metadata.name ?? '', `${Number(st['readyReplicas'] ?? 0)}/${d.spec.replicas ?? 1}`, Number(st['updatedReplicas'] ?? 0),
        Number(st['availableReplicas'] ?? 0), age(d.metadata.creationTimestamp, now), containers, images, labelSelectorString(d.spec.selector)];
    },
  },
  ReplicaSet: {
    columns: [
      nameColumn,
      { name: 'Desired', type: 'integer', description: 'Replicas is the number of desired replicas.' },
      { name: 'Current', type: 'integer', description: 'Replicas is the most recently observed number of replicas.' },
      { name: 'Ready', type: 'integer', description: 'The number of ready replicas for this replica set.' },
      ageColumn,
      { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.' },
      { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.' },
      { name: 'Selector', type: 'string', priority: 1, description: 'Selector is a label query over pods that should match the replica count.' },
    ],
    cells: (o, now) => {
      const rs = o as ReplicaSet;
      const st = rs.status ?? {};
      const [containers, images] = containersAndImages(rs.spec.template?.spec);
      return [rs.metadata.name ?? '', rs.spec.replicas ?? 1, Number(st['replicas'] ?? 0), Number(st['readyReplicas'] ?? 0),
        age(rs.metadata.creationTimestamp, now), containers, images, labelSelectorString(rs.spec.selector)];
    },
  },
  Namespace: {
    columns: [nameColumn, { name: 'Status', type: 'string', description: 'The status of the namespace' }, ageColumn],
    cells: (o, now) => [o.metadata.name ?? '', String((o['status'] as JsonObject | undefined)?.['phase'] ?? ''), age(o.metadata.creationTimestamp, now)],
  },
  ConfigMap: {
    columns: [nameColumn, { name: 'Data', type: 'string', description: 'Data contains the configuration data.' }, ageColumn],
    cells: (o, now) => [o.metadata.name ?? '',
      Object.keys((o['data'] as object | undefined) ?? {}).length + Object.keys((o['binaryData'] as object | undefined) ?? {}).length,
      age(o.metadata.creationTimestamp, now)],
  },
  Secret: {
    columns: [nameColumn, { name: 'Type', type: 'string', description: 'The type of the secret' },
      { name: 'Data', type: 'string', description: 'The number of entries in the secret' }, ageColumn],
    cells: (o, now) => [o.metadata.name ?? '', (o as Secret).type ?? 'Opaque', Object.keys((o as Secret).data ?? {}).length,
      age(o.metadata.creationTimestamp, now)],
  },
  Endpoints: {
    columns: [nameColumn, { name: 'Endpoints', type: 'string', description: 'Endpoints of the service' }, ageColumn],
    cells: (o, now) => [o.metadata.name ?? '', endpointsText(o as Endpoints), age(o.metadata.creationTimestamp, now)],
  },
  Event: {
    columns: [
      { name: 'Last Seen', type: 'string', description: 'The last time this event was seen' },
      { name: 'Type', type: 'string', description: 'Type of this event (Normal, Warning), new types could be added in the future.' },
      { name: 'Reason', type: 'string', description: 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.' },
      { name: 'Object', type: 'string', description: 'The object that this event is about.' },
      { name: 'Subobject', type: 'string', priority: 1, description: 'The subobject of the event' },
      { name: 'Source', type: 'string', priority: 1, description: 'The component reporting this event.' },
      { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation.' },
      { name: 'First Seen', type: 'string', priority: 1, description: 'The first time this event was seen' },
      { name: 'Count', type: 'string', priority: 1, description: 'The number of times this event has occurred.' },
      { name: 'Name', type: 'string', priority: 1, format: 'name', description: 'Name must be unique within a namespace.' },
    ],
    cells: (o, now) => {
      const io = (o['involvedObject'] ?? {}) as JsonObject;
      const source = (o['source'] ?? {}) as JsonObject;
      return [age(o['lastTimestamp'], now), String(o['type'] ?? ''), String(o['reason'] ?? ''),
        `${String(io['kind'] ?? '').toLowerCase()}/${String(io['name'] ?? '')}`, String(io['fieldPath'] ?? ''),
        [source['component'], source['host']].filter(Boolean).join(', '), String(o['message'] ?? ''),
        age(o['firstTimestamp'], now), String(o['count'] ?? 1), o.metadata.name ?? ''];
    },
  },
  Node: {
    columns: [
      nameColumn,
      { name: 'Status', type: 'string', description: 'The status of the node' },
      { name: 'Roles', type: 'string', description: 'The roles of the node' },
      ageColumn,
      { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.' },
      { name: 'Internal-IP', type: 'string', priority: 1, description: 'List of addresses reachable to the node. Queried from cloud provider, if available.' },
      { name: 'External-IP', type: 'string', priority: 1, description: 'List of addresses reachable to the node. Queried from cloud provider, if available.' },
      { name: 'OS-Image', type: 'string', priority: 1, description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).' },
      { name: 'Kernel-Version', type: 'string', priority: 1, description: 'Kernel Version reported by the node from \'uname -r\' (e.g. 3.16.0-0.bpo.4-amd64).' },
      { name: 'Container-Runtime', type: 'string', priority: 1, description: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).' },
    ],
    cells: (o, now) => {
      const status = (o['status'] ?? {}) as JsonObject;
      const info = (status['nodeInfo'] ?? {}) as JsonObject;
      const ready = ((status['conditions'] ?? []) as JsonObject[]).find((c) => c['type'] === 'Ready')?.['status'] === 'True';
      const roles = Object.keys(o.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice(24));
      const address = ((status['addresses'] ?? []) as JsonObject[]).find((a) => a['type'] === 'InternalIP')?.['address'];
      return [o.metadata.name ?? '', ready ? 'Ready' : 'NotReady', roles.join(',') || '<none>', age(o.metadata.creationTimestamp, now),
        String(info['kubeletVersion'] ?? ''), String(address ?? '<none>'), '<none>', String(info['osImage'] ?? ''),
        String(info['kernelVersion'] ?? ''), String(info['containerRuntimeVersion'] ?? '')];
    },
  },
};

const defaultPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  cells: (o, now) => [o.metadata.name ?? '', age(o.metadata.creationTimestamp, now)],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function toTable(kind: string, apiVersion: string, objects: readonly KubeObject[], meta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  includeObject: IncludeObject = 'Metadata'): object {
  const printer = printers[kind] ?? defaultPrinter;
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: printer.columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 })),
    rows: objects.map((o) => {
      const full = { ...o, kind, apiVersion };
      const row: JsonObject = { cells: printer.cells(full, now) };
      if (includeObject === 'Object') row['object'] = full;
      else if (includeObject === 'Metadata') row['object'] = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      return row;
    }),
  };
}
