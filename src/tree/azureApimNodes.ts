// API Management side of the Azure tree: a service → its self-hosted gateways → the APIs assigned to each and where
// it was deployed from here (with its token's expiry — ARM never returns tokens, so that is known only for tokens
// this extension minted).
import * as vscode from 'vscode';
import { parseApimGatewayId, parseArcExtensionId } from '../azure/armIds.ts';
import { extensionsServing } from '../azure/gatewayJoin.ts';
import type { OperationContract } from '@azure/arm-apimanagement';
import type { ApiInfo, ApimServiceInfo, ClusterExtensionInfo, GatewayInfo, Page } from '../azure/models.ts';
import type { DeploymentRecord } from '../azure/records.ts';
import { describeExpiry } from '../azure/tokens.ts';
import { Commands, ContextValues } from '../constants.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { actionNode, dataOrThrow, errorNode, PagedListNode, type ArmNode, type AzureTreeContext } from './azureBase.ts';
import { forgetJoins, joinOfExtension } from './extensionJoin.ts';
import { MessageNode, type TreeNode } from './items.ts';

/** Tokens this close to expiry are shown as a warning. */
const EXPIRY_WARNING_MS = 3 * 24 * 60 * 60 * 1000;

export class ApimServiceNode extends PagedListNode<GatewayInfo, ApimGatewayNode> implements ArmNode {
  readonly id: string;
  readonly armId: string;
  readonly service: ApimServiceInfo;

  constructor(tree: AzureTreeContext, parent: TreeNode | undefined, service: ApimServiceInfo) {
    super(tree, parent);
    this.service = service;
    this.armId = service.id;
    this.id = `azure/apim:${service.id.toLowerCase()}`;
  }

  get name(): string {
    return this.service.name;
  }

  protected fetch(next: string | undefined): Promise<Page<GatewayInfo>> {
    return dataOrThrow(this.tree).listGateways(this.service.id, next);
  }

  protected makeNode(item: GatewayInfo): ApimGatewayNode {
    return new ApimGatewayNode(this.tree, this, item);
  }

  protected emptyNodes(): TreeNode[] {
    return [new MessageNode(this.id, 'No self-hosted gateway', 'empty'), actionNode(this.id, 'Create Self-Hosted Gateway…', Commands.createGateway, this)];
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.service;
    const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.azureApimService;
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.description = [s.sku, s.location].filter(Boolean).join(' · ');
    item.tooltip = `API Management service ${s.name}\nResource group ${s.resourceGroup} · ${s.location}${s.sku ? ` · ${s.sku}` : ''}${s.gatewayUrl ? `\nGateway: ${s.gatewayUrl}` : ''}`;
    return item;
  }
}

/** Where a gateway runs: an Arc extension, with its token's expiry and key when known. */
export interface GatewayDeploymentSeen {
  readonly extensionId: string;
  readonly extension: ClusterExtensionInfo | Error;
  readonly tokenExpiry: Date | undefined;
  readonly keyType: DeploymentRecord['keyType'] | undefined;
  /** False when the extension serves this gateway's service but which gateway its token names could not be read. */
  readonly confirmed: boolean;
}

interface GatewayChildren {
  readonly apis: ApiInfo[] | Error;
  readonly deployments: GatewayDeploymentSeen[];
  /** The gateway's hostname configurations (hostnames only); undefined when they could not be read. */
  readonly hostnames: string[] | undefined;
}

/** A self-hosted gateway resource. Its children load together: assigned APIs and the deployments recorded here. */
export class ApimGatewayNode implements ArmNode {
  readonly id: string;
  readonly armId: string;
  readonly parent: ApimServiceNode;
  readonly gateway: GatewayInfo;
  private readonly tree: AzureTreeContext;
  private loaded: Promise<GatewayChildren> | undefined;
  private seen: GatewayDeploymentSeen[] | undefined;
  private hostnames: string[] | undefined;

  constructor(tree: AzureTreeContext, parent: ApimServiceNode, gateway: GatewayInfo) {
    this.tree = tree;
    this.parent = parent;
    this.gateway = gateway;
    this.armId = gateway.id;
    this.id = `azure/gw:${gateway.id.toLowerCase()}`;
  }

  get serviceName(): string {
    return this.parent.name;
  }

  getTreeItem(): vscode.TreeItem {
    const g = this.gateway;
    const item = new vscode.TreeItem(g.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.azureApimGateway;
    const soonest = this.expiries().sort((a, b) => a.getTime() - b.getTime())[0];
    const now = this.tree.now();
    const warn = soonest !== undefined && soonest.getTime() - now.getTime() < EXPIRY_WARNING_MS;
    item.iconPath = new vscode.ThemeIcon(warn ? 'warning' : 'server', warn ? new vscode.ThemeColor('list.warningForeground') : undefined);
    const hosts = this.hostnames && this.hostnames.length > 0 ? this.hostnames.join(', ') : undefined;
    item.description = [g.locationData?.name, hosts, soonest ? `token ${describeExpiry(soonest, now)}` : undefined].filter(Boolean).join(' · ');
    const location = g.locationData ? [g.locationData.name, g.locationData.city, g.locationData.district, g.locationData.countryOrRegion].filter(Boolean).join(', ') : 'no location data';
    const hostLine = this.hostnames === undefined ? '' : `\nHostnames: ${this.hostnames.length > 0 ? this.hostnames.join(', ') : 'none configured'}`;
    item.tooltip = `Self-hosted gateway ${g.name} of ${this.serviceName}\nLocation: ${location}${hostLine}${g.description ? `\n${g.description}` : ''}`;
    return item;
  }

  /** Whether this node, as last loaded, lists a deployment to this extension (a change to it changes this node). */
  showsExtension(extensionId: string): boolean {
    const wanted = extensionId.toLowerCase();
    return (this.seen ?? []).some((d) => d.extensionId.toLowerCase() === wanted);
  }

  /** Token expiries known: recorded here, or read from the clusters once the children loaded. */
  private expiries(): Date[] {
    const recorded = this.tree.records.deploymentsOf(this.gateway.id).map((r) => new Date(r.tokenExpiry));
    return [...recorded, ...(this.seen ?? []).filter((d) => d.keyType === undefined && d.tokenExpiry).map((d) => d.tokenExpiry as Date)];
  }

  private load(): Promise<GatewayChildren> {
    this.loaded ??= (async () => {
      const data = dataOrThrow(this.tree);
      const records = this.tree.records.deploymentsOf(this.gateway.id);
      const subscriptionId = parseApimGatewayId(this.gateway.id);
      // APIs, every recorded deployment's extension and the extensions whose settings name this service, all at once.
      const [apis, hostnames, scanned, ...extensions] = await Promise.all([
        data.listGatewayApis(this.gateway.id).catch((error: unknown) => toError(error)),
        data.listGatewayHostnames(this.gateway.id).catch(() => undefined),
        subscriptionId.ok ? extensionsServing(data, [subscriptionId.value.service.subscriptionId], this.serviceName).catch(() => [] as ClusterExtensionInfo[]) : Promise.resolve([] as ClusterExtensionInfo[]),
        ...records.map((r) => data.getClusterExtension(r.extensionId).catch((error: unknown) => toError(error))),
      ]);
      const deployments: GatewayDeploymentSeen[] = [];
      records.forEach((record, i) => {
        const extension = extensions[i] as ClusterExtensionInfo | undefined | Error;
        // An extension that is gone (uninstalled elsewhere) is forgotten rather than shown as a deployment.
        if (extension === undefined) void this.tree.records.forgetExtension(record.extensionId);
        else deployments.push({ extensionId: record.extensionId, extension, tokenExpiry: new Date(record.tokenExpiry), keyType: record.keyType, confirmed: true });
      });
      const known = new Set(deployments.map((d) => d.extensionId.toLowerCase()));
      const fresh = scanned.filter((e) => !known.has(e.id.toLowerCase()));
      const joins = await Promise.all(fresh.map((e) => joinOfExtension(this.tree, e)));
      fresh.forEach((extension, i) => {
        const join = joins[i];
        // An extension of this service whose token names another gateway runs that one, not this.
        if (join?.gatewayName !== undefined && join.gatewayName.toLowerCase() !== this.gateway.name.toLowerCase()) return;
        deployments.push({ extensionId: extension.id, extension, tokenExpiry: join?.tokenExpiry, keyType: undefined, confirmed: join?.gatewayName !== undefined });
      });
      return { apis: apis as ApiInfo[] | Error, deployments, hostnames };
    })();
    return this.loaded;
  }

  async getChildren(): Promise<TreeNode[]> {
    let loaded;
    try {
      loaded = await this.load();
    } catch (error) {
      this.loaded = undefined;
      return [errorNode(this.id, error)];
    }
    const first = this.seen === undefined;
    this.seen = loaded.deployments;
    this.hostnames = loaded.hostnames;
    // Hostnames and expiries read from the clusters change this node's own description.
    if (first && ((loaded.hostnames?.length ?? 0) > 0 || loaded.deployments.some((d) => d.keyType === undefined && d.tokenExpiry))) setTimeout(() => this.tree.redraw(this), 0);
    const nodes: TreeNode[] = [];
    if (loaded.apis instanceof Error) nodes.push(errorNode(this.id, loaded.apis));
    else if (loaded.apis.length === 0) {
      nodes.push(new MessageNode(this.id, 'No API assigned', 'empty'), actionNode(this.id, 'Assign APIs…', Commands.assignApis, this));
    } else nodes.push(...loaded.apis.map((api) => new GatewayApiNode(this, api, this.tree)));
    for (const d of loaded.deployments) nodes.push(new GatewayDeploymentRecordNode(this, d, this.tree.now()));
    return nodes;
  }

  invalidate(): void {
    this.loaded = undefined;
    this.seen = undefined;
    this.hostnames = undefined;
    forgetJoins(this.tree);
  }
}

export class GatewayApiNode implements ArmNode {
  readonly id: string;
  readonly armId: string;
  readonly parent: ApimGatewayNode;
  readonly api: ApiInfo;
  private readonly tree: AzureTreeContext;
  private operations: Promise<OperationContract[]> | undefined;

  constructor(parent: ApimGatewayNode, api: ApiInfo, tree: AzureTreeContext) {
    this.parent = parent;
    this.api = api;
    this.tree = tree;
    this.armId = `${parent.armId}/apis/${api.name}`;
    this.id = `${parent.id}/api:${api.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const a = this.api;
    const item = new vscode.TreeItem(a.displayName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.contextValue = ContextValues.azureGatewayApi;
    item.iconPath = new vscode.ThemeIcon('symbol-interface');
    item.description = [`/${a.path ?? ''}`, a.protocols.join(', ')].join(' · ');
    item.tooltip = `API ${a.name}: /${a.path ?? ''} over ${a.protocols.join(' and ') || 'no protocol'}${a.subscriptionRequired ? ' · subscription key required' : ''}`;
    return item;
  }

  /** The API's operations: what "Send Test Request" can start from. */
  async getChildren(): Promise<TreeNode[]> {
    this.operations ??= dataOrThrow(this.tree).listOperations(this.parent.gateway.serviceId, this.api.name);
    try {
      const operations = await this.operations;
      if (operations.length === 0) return [new MessageNode(this.id, 'No operations', 'empty')];
      return operations.map((o) => new GatewayOperationNode(this, o));
    } catch (error) {
      this.operations = undefined;
      return [errorNode(this.id, error)];
    }
  }

  invalidate(): void {
    this.operations = undefined;
  }
}

export class GatewayOperationNode implements ArmNode {
  readonly id: string;
  readonly armId: string;
  readonly parent: GatewayApiNode;
  readonly operation: OperationContract;

  constructor(parent: GatewayApiNode, operation: OperationContract) {
    this.parent = parent;
    this.operation = operation;
    this.armId = `${parent.armId}/operations/${operation.name ?? ''}`;
    this.id = `${parent.id}/operation:${operation.name ?? ''}`;
  }

  getTreeItem(): vscode.TreeItem {
    const o = this.operation;
    const item = new vscode.TreeItem(`${o.method ?? ''} ${o.urlTemplate ?? ''}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = ContextValues.azureGatewayOperation;
    item.iconPath = new vscode.ThemeIcon('symbol-method');
    item.description = o.displayName;
    item.tooltip = `${o.displayName ?? o.name ?? ''}: ${o.method ?? ''} /${this.parent.api.path ?? ''}${o.urlTemplate ?? ''}`;
    return item;
  }
}

/** "Deployed to <cluster> · <extension>": recorded when deployed from here, or joined through the extension's settings. */
export class GatewayDeploymentRecordNode implements TreeNode {
  readonly id: string;
  readonly parent: ApimGatewayNode;
  readonly deployment: GatewayDeploymentSeen;
  private readonly now: Date;

  constructor(parent: ApimGatewayNode, deployment: GatewayDeploymentSeen, now: Date) {
    this.parent = parent;
    this.deployment = deployment;
    this.now = now;
    this.id = `${parent.id}/deployed:${deployment.extensionId.toLowerCase()}`;
  }

  /** Commands run on this item act on the extension it names. */
  get armId(): string {
    return this.deployment.extensionId;
  }

  getTreeItem(): vscode.TreeItem {
    const d = this.deployment;
    const ref = parseArcExtensionId(d.extensionId);
    const where = ref.ok ? `${ref.value.cluster.name} · ${ref.value.name}` : d.extensionId;
    const item = new vscode.TreeItem(`Deployed to ${where}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = ContextValues.azureGatewayDeployment;
    const left = d.tokenExpiry ? d.tokenExpiry.getTime() - this.now.getTime() : Number.POSITIVE_INFINITY;
    item.iconPath = new vscode.ThemeIcon(left < EXPIRY_WARNING_MS ? 'warning' : 'rocket', left < EXPIRY_WARNING_MS ? new vscode.ThemeColor('list.warningForeground') : undefined);
    const state = d.extension instanceof Error ? 'state unknown' : (d.extension.provisioningState ?? 'unknown');
    item.description = [state, d.tokenExpiry ? `token ${describeExpiry(d.tokenExpiry, this.now)}` : undefined, d.confirmed ? undefined : 'gateway not confirmed (token not readable)'].filter(Boolean).join(' · ');
    const token = d.tokenExpiry ? `\nToken${d.keyType ? ` from the ${d.keyType} key` : ' (read from the cluster)'}, ${describeExpiry(d.tokenExpiry, this.now)} (${d.tokenExpiry.toISOString()})` : '';
    item.tooltip =
      d.extension instanceof Error
        ? `Could not read the extension: ${safeErrorMessage(d.extension)}`
        : `Extension ${d.extension.name} in namespace ${d.extension.namespace ?? '?'}: ${state}${token}${d.confirmed ? '' : `\nIts settings name service ${this.parent.serviceName}; which gateway its token is for could not be read`}`;
    return item;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
