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

const CONTEXTS = 'arcApimGateway.azure.kubeContexts';
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

  private all(): DeploymentRecord[] {
    const value = this.store.get<unknown>(DEPLOYMENTS);
    return Array.isArray(value) ? (value.filter(isRecord) as DeploymentRecord[]) : [];
  }
}

function isRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r['gatewayId'] === 'string' && typeof r['extensionId'] === 'string' && typeof r['tokenExpiry'] === 'string';
}
