// Change notifications. Listeners run synchronously after the mutation, in subscription order; a listener that throws
// is isolated so one broken consumer (an emulator's watch, a gateway instance) cannot stop the others seeing events.
import type { GatewayKeyType } from './model.ts';

export type WorldEvent =
  | { type: 'service-changed'; service: string }
  | { type: 'service-deleted'; service: string }
  | { type: 'api-changed'; service: string; api: string; revision: string }
  | { type: 'api-deleted'; service: string; api: string; revision: string }
  | { type: 'version-set-changed'; service: string; versionSet: string }
  | { type: 'product-changed'; service: string; product: string }
  | { type: 'subscription-changed'; service: string; subscription: string }
  | { type: 'subscription-key-regenerated'; service: string; subscription: string; keyType: GatewayKeyType }
  | { type: 'gateway-changed'; service: string; gateway: string }
  | { type: 'gateway-deleted'; service: string; gateway: string }
  | { type: 'gateway-api-assigned'; service: string; gateway: string; api: string }
  | { type: 'gateway-api-unassigned'; service: string; gateway: string; api: string }
  | { type: 'gateway-key-regenerated'; service: string; gateway: string; keyType: GatewayKeyType }
  | { type: 'gateway-hostname-changed'; service: string; gateway: string; hostnameConfiguration: string }
  | { type: 'gateway-simulation-changed'; service: string; gateway: string }
  | { type: 'arc-cluster-changed'; clusterId: string }
  | { type: 'arc-extension-changed'; clusterId: string; extension: string }
  | { type: 'arc-extension-deleted'; clusterId: string; extension: string }
  | { type: 'clock-changed' };

export type WorldEventType = WorldEvent['type'];
export type WorldEventOf<T extends WorldEventType> = Extract<WorldEvent, { type: T }>;

type Listener = (event: WorldEvent) => void;

export class WorldEvents {
  readonly #listeners = new Set<Listener>();
  readonly #errors: unknown[] = [];

  /** Every event. Returns the unsubscribe function. */
  onAny(listener: (event: WorldEvent) => void): () => void {
    const wrapped: Listener = (event) => listener(event);
    this.#listeners.add(wrapped);
    return () => this.#listeners.delete(wrapped);
  }

  /** Events of one type. Returns the unsubscribe function. */
  on<T extends WorldEventType>(type: T, listener: (event: WorldEventOf<T>) => void): () => void {
    return this.onAny((event) => {
      if (event.type === type) listener(event as WorldEventOf<T>);
    });
  }

  emit(event: WorldEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#errors.push(error);
      }
    }
  }

  /** Errors listeners threw, so a test can fail on them instead of them vanishing. Drains the list. */
  takeListenerErrors(): unknown[] {
    return this.#errors.splice(0);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
