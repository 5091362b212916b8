// List, then watch from the list's resourceVersion, for as long as the owner lives: reconnects when the server ends
// a watch (timeoutSeconds, a dropped connection), relists when the version is too old (410 Expired), and backs off
// while the cluster cannot be reached. No `vscode` import: the tree and log follow both use it.
import { Disposable } from '../util/disposable.ts';
import { KubeApiError, apiStatus, isAbortError, type KubeContextClient, type Query } from './client.ts';
import type { KubeList, KubeMeta, KubeStatus, WatchEvent } from './types.ts';

export interface ListWatchHandlers<T> {
  /** The full current set, after the first list and after every relist. */
  replace(items: T[]): void;
  /** A change after the last list. */
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: T): void;
  /** The list or watch failed; it is retried after `retryInMs`. */
  error?(error: unknown, retryInMs: number): void;
}

export interface ListWatchOptions {
  /** First retry delay; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

export class ListWatch<T extends { metadata?: KubeMeta }> extends Disposable {
  private readonly client: KubeContextClient;
  private readonly path: string;
  private readonly query: Query;
  private readonly handlers: ListWatchHandlers<T>;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly controller = new AbortController();
  private resourceVersion: string | undefined;
  private listed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wake: (() => void) | undefined;

  /** `path` is a collection (`/api/v1/namespaces/apim/pods`); `query` may hold labelSelector / fieldSelector. */
  constructor(client: KubeContextClient, path: string, query: Query, handlers: ListWatchHandlers<T>, options: ListWatchOptions = {}) {
    super();
    this.client = client;
    this.path = path;
    this.query = query;
    this.handlers = handlers;
    this.retryMs = options.retryMs ?? 1000;
    this.maxRetryMs = options.maxRetryMs ?? 30_000;
    this.register({
      dispose: () => {
        this.controller.abort();
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.wake?.();
      },
    });
  }

  /** Whether the first list has arrived. */
  get hasListed(): boolean {
    return this.listed;
  }

  /** Lists once (rejecting on failure, so a caller can show the error), then keeps watching in the background. */
  async start(): Promise<T[]> {
    const items = await this.list();
    void this.run();
    return items;
  }

  private async list(): Promise<T[]> {
    const list = await this.client.getJson<KubeList<T>>(this.path, this.query, this.controller.signal);
    this.resourceVersion = list.metadata?.resourceVersion;
    this.listed = true;
    const items = list.items ?? [];
    return items;
  }

  private async run(): Promise<void> {
    let delay = this.retryMs;
    while (!this.isDisposed) {
      try {
        if (this.resourceVersion === undefined) {
          this.handlers.replace(await this.list());
        }
        const started = Date.now();
        const expired = await this.watchOnce();
        if (expired) {
          this.resourceVersion = undefined;
        } else if (Date.now() - started < this.retryMs) {
          // A server that accepts watches and drops them at once must not be hammered.
          await this.sleep(delay);
          delay = Math.min(delay * 2, this.maxRetryMs);
        } else {
          delay = this.retryMs;
        }
      } catch (error) {
        if (this.isDisposed || isAbortError(error)) return;
        if (apiStatus(error) === 410) {
          this.resourceVersion = undefined;
          continue;
        }
        this.handlers.error?.(error, delay);
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.maxRetryMs);
      }
    }
  }

  /** One watch request until the server ends it; true when it ended with 410 Expired (relist needed). */
  private async watchOnce(): Promise<boolean> {
    const stream = await this.client.openStream(
      this.path,
      {
        ...this.query,
        watch: true,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        // What kubectl does: the server closes the watch after a while and the client rewatches from its version.
        timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      },
      this.controller.signal,
    );
    let carry = '';
    let expired = false;
    try {
      for await (const chunk of stream) {
        const parts = (carry + (typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'))).split('\n');
        carry = parts.pop() ?? '';
        for (const line of parts) {
          if (!line.trim()) continue;
          if (this.handleLine(line)) {
            expired = true;
            stream.destroy();
            break;
          }
        }
        if (expired) break;
      }
    } catch (error) {
      // A connection that breaks mid-watch ends this watch like a server timeout: rewatch from the last version seen.
      // An ERROR event other than 410 is rethrown from handleLine and is a real failure.
      if (this.isDisposed || isAbortError(error) || (error instanceof Error && error.name === 'KubeApiError')) throw error;
    }
    return expired;
  }

  /** True when the event is a 410 Expired error. */
  private handleLine(line: string): boolean {
    let event: WatchEvent<T | KubeStatus>;
    try {
      event = JSON.parse(line) as WatchEvent<T | KubeStatus>;
    } catch {
      return false;
    }
    if (event.type === 'ERROR') {
      const status = event.object as KubeStatus;
      if (status.code === 410) return true;
      throw new KubeApiError(status.message ?? 'The watch failed', status.code, status.reason);
    }
    const object = event.object as T;
    const rv = object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return false;
    this.handlers.event(event.type, object);
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.wake = undefined;
        resolve();
      }, ms);
    });
  }
}
