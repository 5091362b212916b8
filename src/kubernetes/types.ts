// The parts of Kubernetes objects this extension reads, as the API serves them in JSON (lists and watch events
// alike: times are strings). Every field is optional because clusters and versions differ. Pure: types only.

export interface KubeMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KubeLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface KubeEnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}

export interface KubeEnvFrom {
  prefix?: string;
  secretRef?: { name: string };
  configMapRef?: { name: string };
}

export interface KubeContainer {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: KubeEnvVar[];
  envFrom?: KubeEnvFrom[];
}

export interface KubeDeployment {
  metadata?: KubeMeta;
  spec?: {
    replicas?: number;
    selector?: KubeLabelSelector;
    template?: { metadata?: KubeMeta; spec?: { containers?: KubeContainer[] } };
  };
  status?: { replicas?: number; readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

export interface KubeContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string; finishedAt?: string };
}

export interface KubeContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  containerID?: string;
  image?: string;
  state?: KubeContainerState;
  lastState?: KubeContainerState;
}

export interface KubePod {
  metadata?: KubeMeta;
  spec?: { containers?: KubeContainer[]; nodeName?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: KubeContainerStatus[];
    initContainerStatuses?: KubeContainerStatus[];
  };
}

export interface KubeServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol?: string;
}

export interface KubeService {
  metadata?: KubeMeta;
  spec?: {
    type?: string;
    selector?: Record<string, string>;
    ports?: KubeServicePort[];
    clusterIP?: string;
    externalName?: string;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface KubeList<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

/** A Status object: what the API answers with on errors (and inside ERROR watch events). */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** A core/v1 Event, as much of it as the health check reads. */
export interface KubeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
}

export interface KubeConfigMap {
  metadata?: { name?: string; namespace?: string };
  data?: Record<string, string>;
}
