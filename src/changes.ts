// What a provisioning action changed, as one typed event: every command and fix that writes to ARM or a cluster fires
// exactly one Change once it is done (or, after a partial failure, for what did change), and the Gateways tree listens
// (src/tree/changeRefresh.ts) and reloads every node that shows what changed, in both halves. Nothing else refreshes
// the tree after an action. Pure: no `vscode` import, so unit tests use the bus as it is.

/** A place in a cluster: a kubeconfig context and a namespace, and the gateway Deployment when one is known. */
export interface KubePlace {
  readonly context: string;
  readonly namespace: string;
  readonly deployment?: string;
}

export type Change =
  | { readonly kind: 'gatewayCreated'; readonly gatewayId: string }
  | { readonly kind: 'gatewayDeleted'; readonly gatewayId: string }
  /** An Arc gateway extension installed (or an install that failed part-way: the extension may exist). */
  | { readonly kind: 'extensionDeployed'; readonly extensionId: string; readonly gatewayId?: string; readonly kube?: KubePlace }
  | { readonly kind: 'extensionUpdated'; readonly extensionId: string; readonly kube?: KubePlace }
  | { readonly kind: 'extensionUninstalled'; readonly extensionId: string }
  /** Plain Kubernetes (Deploy APIM Gateway to Kubernetes…). */
  | { readonly kind: 'kubernetesDeployed'; readonly kube: KubePlace; readonly gatewayId?: string }
  | { readonly kind: 'kubernetesUninstalled'; readonly kube: KubePlace }
  | { readonly kind: 'apisAssigned'; readonly gatewayId: string; readonly apis: readonly string[] }
  | { readonly kind: 'apisRemoved'; readonly gatewayId: string; readonly apis: readonly string[] }
  /** An API's protocols (Allow HTTP): every gateway of the service that serves it shows them. */
  | { readonly kind: 'apiProtocolsChanged'; readonly serviceId: string; readonly api: string }
  /** A new token where a running gateway reads it: an Arc extension's protected setting, or a Deployment's Secret. */
  | { readonly kind: 'tokenRotated'; readonly gatewayId?: string; readonly extensionId?: string; readonly kube?: KubePlace }
  /** Which kubeconfig context plays an Arc cluster (not a write to Azure, but it changes what the cluster node shows). */
  | { readonly kind: 'kubeContextChosen'; readonly clusterId: string };

export type ChangeKind = Change['kind'];

/** Every kind, for tests and declarations that must name them all. */
export const CHANGE_KINDS = [
  'gatewayCreated', 'gatewayDeleted', 'extensionDeployed', 'extensionUpdated', 'extensionUninstalled', 'kubernetesDeployed',
  'kubernetesUninstalled', 'apisAssigned', 'apisRemoved', 'apiProtocolsChanged', 'tokenRotated', 'kubeContextChosen',
] as const satisfies readonly ChangeKind[];

/** A change of one of these kinds (what a command or fix declares it fires). */
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

export interface ChangeListener {
  (change: Change): void;
}

export interface Subscription {
  dispose(): void;
}

/** Where changes are fired and heard: vscode.EventEmitter's shape, without vscode. */
export class ChangeBus {
  private readonly listeners = new Set<ChangeListener>();
  private readonly onListenerError: (error: unknown, change: Change) => void;

  /** `onListenerError`: a listener that throws is reported there and the others still hear the change. */
  constructor(onListenerError: (error: unknown, change: Change) => void = () => undefined) {
    this.onListenerError = onListenerError;
  }

  fire(change: Change): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.onListenerError(error, change);
      }
    }
  }

  readonly onDidChange = (listener: ChangeListener): Subscription => {
    // A wrapper per subscription: the same function subscribed twice is two subscriptions.
    const own: ChangeListener = (change) => listener(change);
    this.listeners.add(own);
    return { dispose: () => void this.listeners.delete(own) };
  };

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
  }
}

/** One line for the extension's log: what changed, by id. */
export function describeChange(change: Change): string {
  const { kind, ...rest } = change;
  return `${kind} ${JSON.stringify(rest)}`;
}
