// What the extension remembers between sessions about Azure resources, in globalState: which kubeconfig context
// plays which Arc cluster (asked once), and where a gateway was deployed from here with when its token expires
// (ARM never returns protected settings, so this is the only place the expiry is known). Ids, names and dates
// only — never a token or key. No `vscode` import: a Memento-shaped store is handed in.

export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface DeploymentRecord {
  readonly gatewayId: string;
  readonly extensionId: string;
  /** ISO time the token put into the extension expires. */
  readonly tokenExpiry: string;
  readonly keyType: 'primary' | 'secondary';
  /** ISO time of the deployment. */
  readonly deployedAt: string;
}

/** A gateway Deployment in a cluster, as the Kubernetes side names it. */
export interface DeploymentRef {
  readonly context: string;
  readonly namespace: string;
  readonly deployment: string;
}

/** The APIM gateway whose configuration a Deployment runs (asked once, or learnt from a deployment made here). */
export interface GatewayBinding {
  readonly serviceId: string;
  readonly gatewayId: string;
  readonly gatewayName: string;
}

const CONTEXTS = 'arcApimGateway.azure.kubeContexts';
const BINDINGS = 'arcApimGateway.azure.gatewayBindings';
const DEPLOYMENTS = 'arcApimGateway.azure.deployments';

const key = (armId: string): string => armId.toLowerCase();

export class AzureRecords {
  private readonly store: StateStore;

  constructor(store: StateStore) {
    this.store = store;
  }

  kubeContextFor(clusterId: string): string | undefined {
    return this.store.get<Record<string, string>>(CONTEXTS)?.[key(clusterId)];
  }

  async setKubeContext(clusterId: string, context: string): Promise<void> {
    await this.store.update(CONTEXTS, { ...(this.store.get<Record<string, string>>(CONTEXTS) ?? {}), [key(clusterId)]: context });
  }

  deploymentsOf(gatewayId: string): DeploymentRecord[] {
    return this.all().filter((r) => key(r.gatewayId) === key(gatewayId));
  }

  deploymentOfExtension(extensionId: string): DeploymentRecord | undefined {
    return this.all().find((r) => key(r.extensionId) === key(extensionId));
  }

  async recordDeployment(record: DeploymentRecord): Promise<void> {
    // One record per extension: a redeploy replaces the old one (new token, maybe another gateway).
    await this.store.update(DEPLOYMENTS, [...this.all().filter((r) => key(r.extensionId) !== key(record.extensionId)), record]);
  }

  async forgetExtension(extensionId: string): Promise<void> {
    await this.store.update(DEPLOYMENTS, this.all().filter((r) => key(r.extensionId) !== key(extensionId)));
  }

  async forgetGateway(gatewayId: string): Promise<void> {
    await this.store.update(DEPLOYMENTS, this.all().filter((r) => key(r.gatewayId) !== key(gatewayId)));
  }

  /** The APIM gateway a cluster Deployment was bound to, if the user said (or a deployment from here told). */
  gatewayFor(ref: DeploymentRef): GatewayBinding | undefined {
    const value = this.store.get<Record<string, unknown>>(BINDINGS)?.[bindingKey(ref)];
    return isBinding(value) ? value : undefined;
  }

  /** Forgets which APIM gateway a Deployment runs (it is learnt or asked again). */
  async forgetGatewayFor(ref: DeploymentRef): Promise<void> {
    const all = { ...(this.store.get<Record<string, unknown>>(BINDINGS) ?? {}) };
    delete all[bindingKey(ref)];
    await this.store.update(BINDINGS, all);
  }

  async setGatewayFor(ref: DeploymentRef, binding: GatewayBinding): Promise<void> {
    const { serviceId, gatewayId, gatewayName } = binding;
    const { context, namespace, deployment } = ref;
    await this.store.update(BINDINGS, { ...(this.store.get<Record<string, unknown>>(BINDINGS) ?? {}), [bindingKey(ref)]: { serviceId, gatewayId, gatewayName, context, namespace, deployment } });
  }

  /** The cluster Deployments known to run this APIM gateway. */
  deploymentsBoundTo(gatewayId: string): DeploymentRef[] {
    const all = this.store.get<Record<string, unknown>>(BINDINGS) ?? {};
    return Object.values(all)
      .filter((v): v is GatewayBinding & DeploymentRef => isBinding(v) && typeof (v as unknown as DeploymentRef).context === 'string' && key(v.gatewayId) === key(gatewayId))
      .map(({ context, namespace, deployment }) => ({ context, namespace, deployment }));
  }

  /** Every gateway deployment made from here. */
  allDeployments(): DeploymentRecord[] {
    return this.all();
  }

  private all(): DeploymentRecord[] {
    const value = this.store.get<unknown>(DEPLOYMENTS);
    return Array.isArray(value) ? (value.filter(isRecord) as DeploymentRecord[]) : [];
  }
}

// Context names are case-sensitive in kubeconfig; namespaces and Deployment names are lowercase DNS labels.
const bindingKey = (ref: DeploymentRef): string => `${ref.context}\u0000${ref.namespace}\u0000${ref.deployment}`;

function isBinding(value: unknown): value is GatewayBinding {
  if (typeof value !== 'object' || value === null) return false;
  const b = value as Record<string, unknown>;
  return typeof b['serviceId'] === 'string' && typeof b['gatewayId'] === 'string' && typeof b['gatewayName'] === 'string';
}

function isRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r['gatewayId'] === 'string' && typeof r['extensionId'] === 'string' && typeof r['tokenExpiry'] === 'string';
}
