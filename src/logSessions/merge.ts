// Entries of several pods, merged in the order the kubelet stamped their lines. Pure: no `vscode`, no Node APIs.

import type { LogTimestamp } from '../gatewayLogs/entry.ts';

/**
 * Sorts a batch gathered from several pods' streams by kubelet time, in place and stably: each pod's own order is
 * kept (its stream is already in order), entries of different pods interleave by when their lines were written.
 * An entry without a kubelet time keeps the place after the entry before it. A batch already in order (one pod, or
 * pods taking turns) is left as it is after one pass.
 */
export function mergeByKubeletTime<T extends { readonly kubeletTime?: LogTimestamp }>(batch: T[]): T[] {
  const keys = new Float64Array(batch.length);
  let key = -Infinity;
  let sorted = true;
  for (let i = 0; i < batch.length; i++) {
    const value = batch[i]?.kubeletTime?.value;
    if (value !== undefined) {
      if (value < key) sorted = false;
      key = value;
    }
    keys[i] = key;
  }
  if (sorted) return batch;
  const order = Array.from(batch.keys()).sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
  const copy = batch.slice();
  for (let i = 0; i < order.length; i++) batch[i] = copy[order[i] as number] as T;
  return batch;
}
