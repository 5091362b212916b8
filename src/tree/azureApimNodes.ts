// API Management side of the Azure tree: a service → its self-hosted gateways → the APIs assigned to each and where
// it was deployed from here (with its token's expiry — ARM never returns tokens, so that is known only for tokens
// this extension minted).
import * as vscode from 'vscode';
import { parseArcExtensionId } from '../azure/armIds.ts';
import type { OperationContract } from '@azure/arm-apimanagement';
import type { ApiInfo, ApimServiceInfo, ClusterExtensionInfo, GatewayInfo, Page } from '../azure/models.ts';
import type { DeploymentRecord } from '../azure/records.ts';
import { describeExpiry } from '../azure/tokens.ts';
import { Commands, ContextValues } from '../constants.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { actionNode, dataOrThrow, errorNode, PagedListNode, type ArmNode, type AzureTreeContext } from './azureBase.ts';
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

interface GatewayChildren {
  readonly apis: ApiInfo[] | Error;
  readonly deployments: Array<{ record: DeploymentRecord; extension: ClusterExtensionInfo | Error }>;
}

/** A self-hosted gateway resource. Its children load together: assigned APIs and the deployments recorded here. */
export class ApimGatewayNode implements ArmNode {
  readonly id: string;
  readonly armId: string;
  readonly parent: ApimServiceNode;
  readonly gateway: GatewayInfo;
  private readonly tree: AzureTreeContext;
  private loaded: Promise<GatewayChildren> | undefined;

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
    const records = this.tree.records.deploymentsOf(g.id);
    const soonest = records.map((r) => new Date(r.tokenExpiry)).sort((a, b) => a.getTime() - b.getTime())[0];
    const now = this.tree.now();
    const warn = soonest !== undefined && soonest.getTime() - now.getTime() < EXPIRY_WARNING_MS;
    item.iconPath = new vscode.ThemeIcon(warn ? 'warning' : 'server', warn ? new vscode.ThemeColor('list.warningForeground') : undefined);
    item.description = [g.locationData?.name, soonest ? `token ${describeExpiry(soonest, now)}` : undefined].filter(Boolean).join(' · ');
    const location = g.locationData ? [g.locationData.name, g.locationData.city, g.locationData.district, g.locationData.countryOrRegion].filter(Boolean).join(', ') : 'no location data';
    item.tooltip = `Self-hosted gateway ${g.name} of ${this.serviceName}\nLocation: ${location}${g.description ? `\n${g.description}` : ''}`;
    return item;
  }

  private load(): Promise<GatewayChildren> {
    this.loaded ??= (async () => {
      const data = dataOrThrow(this.tree);
      const records = this.tree.records.deploymentsOf(this.gateway.id);
      // APIs and every recorded deployment's extension, all at once.
      const [apis, ...extensions] = await Promise.all([
        data.listGatewayApis(this.gateway.id).catch((error: unknown) => toError(error)),
        ...records.map((r) => data.getClusterExtension(r.extensionId).catch((error: unknown) => toError(error))),
      ]);
      const deployments = records.map((record, i) => ({ record, extension: extensions[i] as ClusterExtensionInfo | undefined | Error }));
      // An extension that is gone (uninstalled elsewhere) is forgotten rather than shown as a deployment.
      for (const d of deployments) if (d.extension === undefined) void this.tree.records.forgetExtension(d.record.extensionId);
      return {
        apis: apis as ApiInfo[] | Error,
        deployments: deployments.filter((d): d is { record: DeploymentRecord; extension: ClusterExtensionInfo | Error } => d.extension !== undefined),
      };
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
    const nodes: TreeNode[] = [];
    if (loaded.apis instanceof Error) nodes.push(errorNode(this.id, loaded.apis));
    else if (loaded.apis.length === 0) {
      nodes.push(new MessageNode(this.id, 'No API assigned', 'empty'), actionNode(this.id, 'Assign APIs…', Commands.assignApis, this));
    } else nodes.push(...loaded.apis.map((api) => new GatewayApiNode(this, api, this.tree)));
    for (const d of loaded.deployments) nodes.push(new GatewayDeploymentRecordNode(this, d.record, d.extension, this.tree.now()));
    return nodes;
  }

  invalidate(): void {
    this.loaded = undefined;
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

export class GatewayDeploymentRecordNode implements TreeNode {
  readonly id: string;
  readonly parent: ApimGatewayNode;
  readonly record: DeploymentRecord;
  private readonly extension: ClusterExtensionInfo | Error;
  private readonly now: Date;

  constructor(parent: ApimGatewayNode, record: DeploymentRecord, extension: ClusterExtensionInfo | Error, now: Date) {
    this.parent = parent;
    this.record = record;
    this.extension = extension;
    this.now = now;
    this.id = `${parent.id}/deployed:${record.extensionId.toLowerCase()}`;
  }

  /** Commands run on this item act on the extension it names. */
  get armId(): string {
    return this.record.extensionId;
  }

  getTreeItem(): vscode.TreeItem {
    const ref = parseArcExtensionId(this.record.extensionId);
    const where = ref.ok ? `${ref.value.cluster.name} · ${ref.value.name}` : this.record.extensionId;
    const item = new vscode.TreeItem(`Deployed to ${where}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = ContextValues.azureGatewayDeployment;
    const expiry = new Date(this.record.tokenExpiry);
    const left = expiry.getTime() - this.now.getTime();
    item.iconPath = new vscode.ThemeIcon(left < EXPIRY_WARNING_MS ? 'warning' : 'rocket', left < EXPIRY_WARNING_MS ? new vscode.ThemeColor('list.warningForeground') : undefined);
    const state = this.extension instanceof Error ? 'state unknown' : (this.extension.provisioningState ?? 'unknown');
    item.description = `${state} · token ${describeExpiry(expiry, this.now)}`;
    item.tooltip =
      this.extension instanceof Error
        ? `Could not read the extension: ${safeErrorMessage(this.extension)}`
        : `Extension ${this.extension.name} in namespace ${this.extension.namespace ?? '?'}: ${state}\nToken from the ${this.record.keyType} key, ${describeExpiry(expiry, this.now)} (${expiry.toISOString()})`;
    return item;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
