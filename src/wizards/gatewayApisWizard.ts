// "Assign APIs to Gateway" and "Remove APIs from Gateway": a gateway, then several APIs (multi-select). Assigning
// offers the service's current APIs not yet on the gateway; removing offers the assigned ones. Both are undone by
// the other; removing still asks for confirmation, since requests to a removed API fail (404) at once.
import type { AzureAccount } from '../azure/account.ts';
import type { AzureData } from '../azure/armService.ts';
import type { ApiInfo } from '../azure/models.ts';
import { apiPickItems, existingGatewayPrompts } from './pickers.ts';
import type { WizardDefinition } from './wizard.ts';

export interface GatewayApisContext {
  serviceId?: string;
  gatewayId?: string;
  gatewayName?: string;
  /** API ids (`echo-api`) to assign or remove. */
  apis?: string[];
  /** Preselected in the picker (the API item the command was run on). */
  preselected?: string;
  /** Remove only: the user confirmed. */
  confirmed?: boolean;
  /** What was done, for the message. */
  done?: string[];
}

export function gatewayApisWizard(data: AzureData, account: AzureAccount, mode: 'assign' | 'remove'): WizardDefinition<GatewayApisContext> {
  const title = mode === 'assign' ? 'Assign APIs to Gateway' : 'Remove APIs from Gateway';
  return {
    title,
    prompts: [
      ...existingGatewayPrompts<GatewayApisContext>(data, account, title),
      {
        prompt: async (c, p, position) => {
          const items = (async () => {
            const assigned = await data.listGatewayApis(c.gatewayId ?? '');
            let candidates: ApiInfo[];
            if (mode === 'remove') candidates = assigned;
            else {
              const names = new Set(assigned.map((a) => a.name));
              const serviceId = (c.gatewayId ?? '').replace(/\/gateways\/[^/]+$/i, '');
              candidates = (await data.listApis(serviceId)).filter((a) => !names.has(a.name));
            }
            return apiPickItems(candidates, (a) => a.name === c.preselected);
          })();
          const picked = await p.pickMany({
            id: 'apis',
            title,
            placeholder: mode === 'assign' ? `APIs to serve on ${c.gatewayName ?? 'the gateway'}` : `APIs to remove from ${c.gatewayName ?? 'the gateway'}`,
            items,
            emptyMessage: mode === 'assign' ? `Every API of the service is already assigned to ${c.gatewayName ?? 'the gateway'}.` : `No API is assigned to ${c.gatewayName ?? 'the gateway'}.`,
            ...position,
          });
          c.apis = picked.map((a) => a.name);
        },
      },
      ...(mode === 'remove'
        ? [
            {
              prompt: async (c: GatewayApisContext, p: Parameters<WizardDefinition<GatewayApisContext>['prompts'][number]['prompt']>[1]) => {
                const apis = c.apis ?? [];
                c.confirmed = await p.confirm({
                  id: 'confirmRemoveApis',
                  message: `Remove ${apis.length === 1 ? `API ${apis[0] ?? ''}` : `${apis.length} APIs`} from gateway ${c.gatewayName ?? ''}?`,
                  detail: `Requests to ${apis.join(', ')} through this gateway fail with 404 once it syncs (about 10 s). The APIs stay in the service; Assign APIs puts them back.`,
                  action: 'Remove',
                });
              },
            },
          ]
        : []),
    ],
    check: (c) =>
      !c.gatewayId ? 'No gateway was chosen.' : !c.apis || c.apis.length === 0 ? 'No API was chosen.' : mode === 'remove' && !c.confirmed ? 'The removal was not confirmed.' : undefined,
    execute: [
      {
        title: mode === 'assign' ? 'Assigning APIs' : 'Removing APIs',
        execute: async (c, progress, signal) => {
          c.done = [];
          // One at a time: each is a small PUT/DELETE, and a failure leaves a clear record of what was done.
          for (const api of c.apis ?? []) {
            progress.report(api);
            if (mode === 'assign') await data.assignApi(c.gatewayId ?? '', api, { signal });
            else await data.unassignApi(c.gatewayId ?? '', api, { signal });
            c.done.push(api);
          }
        },
      },
    ],
  };
}
