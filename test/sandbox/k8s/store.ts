// The emulator's etcd: objects by resource, one global resourceVersion counter, and a bounded history of changes
// so watches can resume from a resourceVersion (and get 410 Expired, as from a compacted etcd, when it is too old).
import type { ResourceType } from './resources.ts';
import { clone, type KubeObject } from './types.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  resource: ResourceType;
  resourceVersion: number;
  object: KubeObject;
  /** The object before the change, so a selector-filtered watch can tell "left the selection" from "changed". */
  previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

export class Store {
  private revision: number;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  private compactedThrough: number;
  private readonly listeners = new Set<StoreListener>();
  private readonly historyLimit: number;

  constructor(historyLimit: number, startRevision = 1000) {
    this.historyLimit = historyLimit;
    this.revision = startRevision;
    this.compactedThrough = startRevision;
  }

  get resourceVersion(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch may still start from. */
  get oldestWatchable(): number {
    return this.compactedThrough;
  }

  private bucket(resource: ResourceType): Map<string, KubeObject> {
    let b = this.objects.get(resource.plural);
    if (!b) this.objects.set(resource.plural, b = new Map());
    return b;
  }

  private static key(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  /** A copy: callers may mutate what they get without touching the stored object. */
  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.bucket(resource).get(Store.key(namespace, name));
    return o ? clone(o) : undefined;
  }

  /** Read-only view for hot paths (controllers scanning every pod); never mutate what this returns. */
  peek(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(resource).get(Store.key(namespace, name));
  }

  /** Read-only views, sorted by namespace then name like the real list order. */
  scan(resource: ResourceType, namespace?: string): KubeObject[] {
    const all = [...this.bucket(resource).values()];
    const filtered = namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
    return filtered.sort((a, b) => Store.key(a.metadata.namespace, a.metadata.name ?? '')
      .localeCompare(Store.key(b.metadata.namespace, b.metadata.name ?? '')));
  }

  /** Store `object` (its metadata.resourceVersion is assigned here) and tell watchers. */
  write(resource: ResourceType, object: KubeObject): KubeObject {
    const bucket = this.bucket(resource);
    const key = Store.key(object.metadata.namespace, object.metadata.name ?? '');
    const previous = bucket.get(key);
    const stored = clone(object);
    stored.metadata.resourceVersion = String(++this.revision);
    bucket.set(key, stored);
    this.emit({
      type: previous ? 'MODIFIED' : 'ADDED', resource, resourceVersion: this.revision, object: stored,
      ...(previous ? { previous } : {}),
    });
    return clone(stored);
  }

  remove(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.bucket(resource);
    const key = Store.key(namespace, name);
    const previous = bucket.get(key);
    if (!previous) return undefined;
    bucket.delete(key);
    // A DELETED event carries the last state with a new resourceVersion, as etcd3's watch does.
    const gone = clone(previous);
    gone.metadata.resourceVersion = String(++this.revision);
    this.emit({ type: 'DELETED', resource, resourceVersion: this.revision, object: gone, previous });
    return clone(gone);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const drop = this.history.length - this.historyLimit;
      this.compactedThrough = this.history[drop - 1]!.resourceVersion;
      this.history = this.history.slice(drop);
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Forget all history up to now, as an etcd compaction does: older resourceVersions become 410 Expired. */
  compact(): void {
    this.history = [];
    this.compactedThrough = this.revision;
  }

  /** Events after `resourceVersion`, or undefined when that point has been compacted away. */
  since(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.compactedThrough) return undefined;
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
