// What a command receives when it is run on a tree item, turned into an ARM resource id. Three callers:
// - the Azure Resources explorer (ms-azuretools.vscode-azureresourcegroups) passes its own item objects: an
//   AzureResourceItem carries the resource as `.resource` ({ id, name, subscription, … }); items of extensions that
//   claim a resource type are wrappers whose `unwrap()` returns the inner item (api/src/utils/wrapper.ts there);
//   ids of its tree items may carry an account/tenant prefix before `/subscriptions/`;
// - our own tree nodes expose `armId`;
// - a palette call passes nothing (the command then asks with a picker).
// No `vscode` import; unit tested with those shapes.
import { armIdWithin } from './armIds.ts';

const MAX_DEPTH = 3;

export function armIdOf(arg: unknown): string | undefined {
  return find(arg, 0);
}

function find(arg: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH || arg === undefined || arg === null) return undefined;
  if (typeof arg === 'string') return armIdWithin(arg);
  if (typeof arg !== 'object') return undefined;
  const o = arg as Record<string, unknown>;
  if (typeof o['armId'] === 'string') return armIdWithin(o['armId']);
  const resource = o['resource'];
  if (resource && typeof resource === 'object') {
    const id = (resource as Record<string, unknown>)['id'];
    if (typeof id === 'string') {
      const found = armIdWithin(id);
      if (found) return found;
    }
  }
  if (typeof o['unwrap'] === 'function') {
    try {
      const inner = (o['unwrap'] as () => unknown).call(arg);
      if (inner !== arg) {
        const found = find(inner, depth + 1);
        if (found) return found;
      }
    } catch {
      // A wrapper that cannot unwrap is treated like any other object below.
    }
  }
  if (typeof o['id'] === 'string') return armIdWithin(o['id']);
  return undefined;
}
