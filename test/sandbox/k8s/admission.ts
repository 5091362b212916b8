// What the apiserver does to an object between decoding and storage: defaulting (the fields `kubectl get -o yaml`
// shows that nobody wrote), admission (service account, tolerations), validation with the real field paths and
// messages, and the status/spec split of the status subresource.
import { invalid, type FieldError } from './status.ts';
import { deepEqual } from './patch.ts';
import { matchesLabelSelector } from './selectors.ts';
import type { ResourceType } from './resources.ts';
import {
  clone, isObject, type ContainerSpec, type Deployment, type LabelSelector, type KubeObject, type Pod, type PodSpec, type Secret, type Service,
} from './types.ts';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const configKey = /^[-._a-zA-Z0-9]+$/;
const envVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const labelName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const dns1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export function validateDns1123Label(value: string, field: string, errors: FieldError[]): void {
  if (value.length > 63) errors.push({ type: 'FieldValueInvalid', field, value, detail: 'must be no more than 63 characters' });
  if (!dns1123Label.test(value)) errors.push({ type: 'FieldValueInvalid', field, value, detail: labelMessage });
}

function validateSubdomain(value: string, field: string, errors: FieldError[]): void {
  if (value.length > 253) errors.push({ type: 'FieldValueInvalid', field, value, detail: 'must be no more than 253 characters' });
  if (!dns1123Subdomain.test(value)) errors.push({ type: 'FieldValueInvalid', field, value, detail: subdomainMessage });
}

function validateName(resource: ResourceType, name: string, errors: FieldError[]): void {
  const field = 'metadata.name';
  if (resource.plural === 'namespaces') validateDns1123Label(name, field, errors);
  else if (resource.plural === 'services') {
    if (name.length > 63) errors.push({ type: 'FieldValueInvalid', field, value: name, detail: 'must be no more than 63 characters' });
    if (!dns1035Label.test(name)) errors.push({ type: 'FieldValueInvalid', field, value: name, detail: dns1035Message });
  } else if (resource.plural === 'events') {
    if (name.includes('/') || name === '.' || name === '..') errors.push({ type: 'FieldValueInvalid', field, value: name, detail: 'may not contain \'/\'' });
  } else validateSubdomain(name, field, errors);
}

function validateLabels(labels: unknown, field: string, errors: FieldError[]): void {
  if (labels === undefined || labels === null) return;
  if (!isObject(labels)) { errors.push({ type: 'FieldValueInvalid', field, value: labels, detail: 'must be a map of strings' }); return; }
  for (const [k, v] of Object.entries(labels)) {
    const name = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
    if (!labelName.test(name) || name.length > 63) {
      errors.push({ type: 'FieldValueInvalid', field, value: k, detail: "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')" });
    }
    if (typeof v !== 'string' || !labelValue.test(v) || v.length > 63) {
      errors.push({ type: 'FieldValueInvalid', field, value: v, detail: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" });
    }
  }
}

function validateContainers(containers: unknown, field: string, errors: FieldError[]): void {
  if (!Array.isArray(containers) || containers.length === 0) {
    errors.push({ type: 'FieldValueRequired', field, detail: '' });
    return;
  }
  const seen = new Set<string>();
  containers.forEach((c: ContainerSpec, i) => {
    const at = `${field}[${i}]`;
    if (!c.name) errors.push({ type: 'FieldValueRequired', field: `${at}.name`, detail: '' });
    else {
      validateDns1123Label(c.name, `${at}.name`, errors);
      if (seen.has(c.name)) errors.push({ type: 'FieldValueDuplicate', field: `${at}.name`, value: c.name, detail: '' });
      seen.add(c.name);
    }
    if (!c.image) errors.push({ type: 'FieldValueRequired', field: `${at}.image`, detail: '' });
    (c.ports ?? []).forEach((p, j) => {
      if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535) {
        errors.push({ type: 'FieldValueInvalid', field: `${at}.ports[${j}].containerPort`, value: p.containerPort, detail: 'must be between 1 and 65535, inclusive' });
      }
    });
    (c.env ?? []).forEach((e, j) => {
      if (!envVarName.test(e.name ?? '')) {
        errors.push({ type: 'FieldValueInvalid', field: `${at}.env[${j}].name`, value: e.name ?? '', detail: "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')" });
      }
    });
  });
}

function validatePodSpec(spec: PodSpec | undefined, field: string, errors: FieldError[], template: boolean): void {
  if (!isObject(spec)) { errors.push({ type: 'FieldValueRequired', field, detail: '' }); return; }
  validateContainers(spec.containers, `${field}.containers`, errors);
  const policy = spec.restartPolicy;
  if (template && policy !== undefined && policy !== 'Always') {
    errors.push({ type: 'FieldValueNotSupported', field: `${field}.restartPolicy`, value: policy, detail: 'supported values: "Always"' });
  } else if (policy !== undefined && !['Always', 'OnFailure', 'Never'].includes(policy)) {
    errors.push({ type: 'FieldValueNotSupported', field: `${field}.restartPolicy`, value: policy, detail: 'supported values: "Always", "OnFailure", "Never"' });
  }
}

function goMap(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  return `map[string]string{${entries.join(', ')}}`;
}

export function validate(resource: ResourceType, object: KubeObject): void {
  const errors: FieldError[] = [];
  const name = object.metadata.name ?? '';
  validateName(resource, name, errors);
  validateLabels(object.metadata.labels, 'metadata.labels', errors);
  switch (resource.kind) {
    case 'Pod':
      validatePodSpec((object as Pod).spec, 'spec', errors, false);
      break;
    case 'Deployment':
    case 'ReplicaSet': {
      const d = object as Deployment;
      const spec = d.spec;
      if (!isObject(spec)) { errors.push({ type: 'FieldValueRequired', field: 'spec', detail: '' }); break; }
      if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
        errors.push({ type: 'FieldValueInvalid', field: 'spec.replicas', value: spec.replicas, detail: 'must be greater than or equal to 0' });
      }
      const templateLabels = spec.template?.metadata?.labels;
      const selector = spec.selector as LabelSelector | undefined;
      if (!selector || typeof selector !== 'object' || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
        errors.push({ type: 'FieldValueRequired', field: 'spec.selector', detail: '' });
        errors.push({ type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', value: goMap(templateLabels), detail: '`selector` does not match template `labels`' });
      } else if (!matchesLabelSelector(templateLabels, selector)) {
        errors.push({ type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', value: goMap(templateLabels), detail: '`selector` does not match template `labels`' });
      }
      validatePodSpec(spec.template?.spec, 'spec.template.spec', errors, true);
      break;
    }
    case 'Service': {
      const s = object as Service;
      const spec = s.spec ?? {};
      const type = spec.type ?? 'ClusterIP';
      if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) {
        errors.push({ type: 'FieldValueNotSupported', field: 'spec.type', value: type, detail: 'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"' });
      }
      const ports = spec.ports ?? [];
      if (ports.length === 0 && type !== 'ExternalName' && spec.clusterIP !== 'None') {
        errors.push({ type: 'FieldValueRequired', field: 'spec.ports', detail: '' });
      }
      const names = new Set<string>();
      ports.forEach((p, i) => {
        if (ports.length > 1 && !p.name) errors.push({ type: 'FieldValueRequired', field: `spec.ports[${i}].name`, detail: '' });
        if (p.name) {
          if (names.has(p.name)) errors.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}].name`, value: p.name, detail: '' });
          names.add(p.name);
        }
        if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
          errors.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].port`, value: p.port, detail: 'must be between 1 and 65535, inclusive' });
        }
      });
      break;
    }
    case 'ConfigMap':
    case 'Secret': {
      for (const field of ['data', 'binaryData', 'stringData']) {
        const data = object[field];
        if (!isObject(data)) continue;
        for (const key of Object.keys(data)) {
          if (!configKey.test(key)) {
            errors.push({ type: 'FieldValueInvalid', field: `${field}[${key}]`, value: key, detail: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')" });
          }
        }
      }
      break;
    }
  }
  if (errors.length) throw invalid(resource.kind, resource.group, name, errors);
}

/** Immutable fields, checked against the stored object on update. */
export function validateUpdate(resource: ResourceType, previous: KubeObject, next: KubeObject): void {
  const errors: FieldError[] = [];
  const name = next.metadata.name ?? '';
  if (resource.kind === 'Pod') {
    const a = clone((previous as Pod).spec) as PodSpec & { containers: ContainerSpec[] };
    const b = clone((next as Pod).spec) as PodSpec & { containers: ContainerSpec[] };
    for (const spec of [a, b]) {
      for (const c of spec.containers ?? []) delete c.image;
      delete spec['activeDeadlineSeconds'];
      delete spec['tolerations'];
      delete spec['terminationGracePeriodSeconds'];
    }
    if (!deepEqual(a, b)) {
      errors.push({ type: 'FieldValueForbidden', field: 'spec', detail: 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)' });
    }
  }
  if (resource.kind === 'Deployment' || resource.kind === 'ReplicaSet') {
    const a = (previous as Deployment).spec?.selector;
    const b = (next as Deployment).spec?.selector;
    if (!deepEqual(a, b)) errors.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: b, detail: 'field is immutable' });
  }
  if (resource.kind === 'Secret' || resource.kind === 'ConfigMap') {
    if (previous['immutable'] === true) {
      if (!deepEqual(previous['data'], next['data']) || !deepEqual(previous['binaryData'], next['binaryData'])) {
        errors.push({ type: 'FieldValueForbidden', field: 'data', detail: 'field is immutable when `immutable` is set' });
      }
      if (next['immutable'] !== true) errors.push({ type: 'FieldValueForbidden', field: 'immutable', detail: 'field is immutable when `immutable` is set' });
    }
    if (resource.kind === 'Secret' && (previous as Secret).type !== (next as Secret).type) {
      errors.push({ type: 'FieldValueInvalid', field: 'type', value: (next as Secret).type, detail: 'field is immutable' });
    }
  }
  if (resource.kind === 'Service') {
    const a = (previous as Service).spec.clusterIP;
    const b = (next as Service).spec.clusterIP;
    if (a && b && a !== b) errors.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', value: [b], detail: 'may not change once set' });
  }
  if (errors.length) throw invalid(resource.kind, resource.group, name, errors);
}

// ---- defaulting -------------------------------------------------------------------------------------------------

function defaultContainer(c: ContainerSpec): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (c.imagePullPolicy === undefined && c.image) {
    const tag = /:([^/:@]+)$/.exec(c.image)?.[1];
    c.imagePullPolicy = !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.fieldRef as { apiVersion?: string } | undefined;
    if (ref) ref.apiVersion ??= 'v1';
  }
}

export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec['dnsPolicy'] ??= 'ClusterFirst';
  spec['securityContext'] ??= {};
  spec['schedulerName'] ??= 'default-scheduler';
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(c);
}

function randomSuffix(length: number): string {
  // The alphabet of k8s.io/apimachinery/pkg/util/rand: no vowels, so generated names spell no words.
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

export { randomSuffix };

/** The pod-level admission plugins of a default cluster: ServiceAccount and DefaultTolerationSeconds. */
function admitPod(pod: Pod): void {
  const spec = pod.spec;
  spec['serviceAccountName'] ??= 'default';
  spec['serviceAccount'] ??= spec['serviceAccountName'];
  spec['enableServiceLinks'] ??= true;
  spec['preemptionPolicy'] ??= 'PreemptLowerPriority';
  spec['priority'] ??= 0;
  const tolerations = (spec['tolerations'] ??= []) as { key?: string }[];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 } as { key: string });
    }
  }
  const volumes = (spec['volumes'] ??= []) as { name: string }[];
  if (spec['automountServiceAccountToken'] !== false && !volumes.some((v) => v.name.startsWith('kube-api-access-'))) {
    const name = `kube-api-access-${randomSuffix(5)}`;
    volumes.push({
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    } as { name: string });
    for (const c of spec.containers ?? []) {
      const mounts = (c['volumeMounts'] ??= []) as object[];
      mounts.push({ name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' });
    }
  }
}

export interface Allocator {
  clusterIP(): string;
  nodePort(): number;
}

/** Defaults and admission for a new object. `status` from the client is dropped where the real server drops it. */
export function prepareCreate(resource: ResourceType, object: KubeObject, allocator: Allocator): void {
  switch (resource.kind) {
    case 'Namespace': {
      const labels = (object.metadata.labels ??= {});
      labels['kubernetes.io/metadata.name'] = object.metadata.name ?? '';
      object['spec'] = { finalizers: ['kubernetes'], ...(isObject(object['spec']) ? object['spec'] : {}) };
      object['status'] = { phase: 'Active' };
      break;
    }
    case 'Pod': {
      const pod = object as Pod;
      if (isObject(pod.spec)) {
        defaultPodSpec(pod.spec);
        admitPod(pod);
      }
      pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
      break;
    }
    case 'Deployment': {
      const d = object as Deployment;
      if (isObject(d.spec)) {
        d.spec.replicas ??= 1;
        d.spec['revisionHistoryLimit'] ??= 10;
        d.spec['progressDeadlineSeconds'] ??= 600;
        d.spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
        if (isObject(d.spec.template?.spec)) defaultPodSpec(d.spec.template.spec);
      }
      d.status = {};
      object.metadata.generation = 1;
      break;
    }
    case 'ReplicaSet': {
      const rs = object as Deployment;
      if (isObject(rs.spec)) {
        rs.spec.replicas ??= 1;
        if (isObject(rs.spec.template?.spec)) defaultPodSpec(rs.spec.template.spec);
      }
      rs.status = { replicas: 0 };
      object.metadata.generation = 1;
      break;
    }
    case 'Service': {
      const s = object as Service;
      s.spec ??= {};
      const spec = s.spec;
      spec.type ??= 'ClusterIP';
      spec['sessionAffinity'] ??= 'None';
      if (spec.type !== 'ExternalName') {
        if (!spec.clusterIP) spec.clusterIP = allocator.clusterIP();
        spec.clusterIPs ??= [spec.clusterIP];
        if (spec.clusterIP !== 'None') {
          spec['ipFamilies'] ??= ['IPv4'];
          spec['ipFamilyPolicy'] ??= 'SingleStack';
        }
        spec['internalTrafficPolicy'] ??= 'Cluster';
      }
      for (const p of spec.ports ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
        if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !p.nodePort) p.nodePort = allocator.nodePort();
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec['externalTrafficPolicy'] ??= 'Cluster';
      if (spec.type === 'LoadBalancer') spec['allocateLoadBalancerNodePorts'] ??= true;
      s.status = { loadBalancer: {} };
      break;
    }
    case 'Secret':
      (object as Secret).type ??= 'Opaque';
      normalizeSecret(object as Secret);
      break;
  }
}

/** Secret stringData is write-only: it lands in data (base64) and is never stored, as in the real apiserver. */
export function normalizeSecret(secret: Secret): void {
  if (isObject(secret.stringData)) {
    secret.data = { ...(secret.data ?? {}) };
    for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  }
  delete secret.stringData;
}

/** Defaults that also apply on update (a PUT of a manifest must not lose allocated or defaulted fields). */
export function prepareUpdate(resource: ResourceType, previous: KubeObject, next: KubeObject, subresource: string | undefined, allocator?: Allocator): void {
  next.metadata.uid = previous.metadata.uid;
  next.metadata.creationTimestamp = previous.metadata.creationTimestamp;
  if (previous.metadata.deletionTimestamp) next.metadata.deletionTimestamp = previous.metadata.deletionTimestamp;
  else delete next.metadata.deletionTimestamp;
  if (previous.metadata.generation !== undefined) next.metadata.generation = previous.metadata.generation;
  next.metadata.managedFields ??= previous.metadata.managedFields;
  const hasStatus = resource.subresources.some((s) => s.name === 'status');
  if (subresource === 'status') {
    // A status write changes status only.
    const status = next['status'];
    for (const key of Object.keys(next)) delete next[key];
    Object.assign(next, clone(previous), { status });
    return;
  }
  if (hasStatus && resource.kind !== 'Namespace') next['status'] = clone(previous['status']);
  switch (resource.kind) {
    case 'Namespace': {
      next['status'] = clone(previous['status']);
      const labels = (next.metadata.labels ??= {});
      labels['kubernetes.io/metadata.name'] = next.metadata.name ?? '';
      next['spec'] = { finalizers: ['kubernetes'], ...(isObject(next['spec']) ? next['spec'] : {}) };
      break;
    }
    case 'Pod': {
      const spec = (next as Pod).spec;
      if (isObject(spec)) defaultPodSpec(spec);
      break;
    }
    case 'Deployment':
    case 'ReplicaSet': {
      const d = next as Deployment;
      if (isObject(d.spec)) {
        d.spec.replicas ??= 1;
        if (resource.kind === 'Deployment') {
          d.spec['revisionHistoryLimit'] ??= 10;
          d.spec['progressDeadlineSeconds'] ??= 600;
          d.spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
        }
        if (isObject(d.spec.template?.spec)) defaultPodSpec(d.spec.template.spec);
      }
      if (!deepEqual((previous as Deployment).spec, d.spec)) next.metadata.generation = (previous.metadata.generation ?? 1) + 1;
      break;
    }
    case 'Service': {
      const s = next as Service;
      const before = (previous as Service).spec;
      s.spec ??= {};
      s.spec.type ??= 'ClusterIP';
      s.spec['sessionAffinity'] ??= 'None';
      if (!s.spec.clusterIP && before.clusterIP) s.spec.clusterIP = before.clusterIP;
      if (s.spec.clusterIP) s.spec.clusterIPs ??= [s.spec.clusterIP];
      for (const key of ['ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy']) s.spec[key] ??= before[key];
      for (const p of s.spec.ports ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
        const old = (before.ports ?? []).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === p.protocol);
        const external = s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer';
        if (external && !p.nodePort && old?.nodePort) p.nodePort = old.nodePort;
        if (external && !p.nodePort && allocator) p.nodePort = allocator.nodePort();
        // dropTypeDependentFields: node ports the user did not change go with the type that needed them.
        if (!external && p.nodePort !== undefined && p.nodePort === old?.nodePort) delete p.nodePort;
      }
      if (s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer') s.spec['externalTrafficPolicy'] ??= 'Cluster';
      else if (s.spec['externalTrafficPolicy'] === before['externalTrafficPolicy']) delete s.spec['externalTrafficPolicy'];
      if (s.spec.type === 'LoadBalancer') s.spec['allocateLoadBalancerNodePorts'] ??= true;
      else if (s.spec['allocateLoadBalancerNodePorts'] === before['allocateLoadBalancerNodePorts']) delete s.spec['allocateLoadBalancerNodePorts'];
      break;
    }
    case 'Secret':
      (next as Secret).type ??= 'Opaque';
      normalizeSecret(next as Secret);
      break;
  }
}
