// One owner type for listeners, streams, watches and child work, so closing a view closes everything it started.
export interface DisposableLike {
  dispose(): unknown;
}

export class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership: `value` is disposed with this object (at once if this one is already disposed). */
  protected register<T extends DisposableLike>(value: T): T {
    if (this.disposed) value.dispose();
    else this.owned.push(value);
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Children go in reverse order of creation: later work may depend on earlier work.
    for (const item of this.owned.splice(0).reverse()) {
      try {
        item.dispose();
      } catch {
        // A failing child must not keep its siblings alive.
      }
    }
  }
}
