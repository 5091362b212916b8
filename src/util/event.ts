// A tiny typed event emitter for pure modules (vscode.EventEmitter is not available outside the extension host).
import type { DisposableLike } from './disposable.ts';

export type Listener<T> = (value: T) => void;
export type Event<T> = (listener: Listener<T>) => DisposableLike;

export class Emitter<T> implements DisposableLike {
  private listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // One failing listener must not starve the others.
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
