// Assign the API (every revision) to the gateway in ARM.
import { gatewayApiCommand } from '../../rotation/equivalents.ts';
import { safeErrorMessage } from '../../util/errors.ts';
import { recordConfigurationChange } from '../configurationChanges.ts';
import { defineFix, needArm } from './types.ts';

export const assignApi = defineFix({
  id: 'assign-api',
  label: 'Assign the API to the gateway',
  changes: ['apisAssigned'],
  resends: true,
  prepare: (fix, _form, scope) => ({ binding: needArm(scope, 'assign the API'), apiName: fix.apiId.split(';')[0] ?? fix.apiId }),
  confirm: (_fix, _form, { binding, apiName }) => ({
    id: 'assignApi',
    message: `Assign API ${apiName} to gateway ${binding.gatewayName}?`,
    detail: 'Every revision of the API is then served by this gateway (and reachable by whoever can reach it).',
    action: 'Assign',
  }),
  apply: async (_fix, _form, { binding, apiName }, scope, signal) => {
    const equivalent = gatewayApiCommand(binding.gatewayId, apiName, 'assign');
    try {
      await scope.data().assignApi(binding.gatewayId, apiName, { signal });
    } catch (error) {
      scope.audit(`$ ${equivalent}  → failed: ${safeErrorMessage(error)}`);
      throw error;
    }
    recordConfigurationChange({ what: `Assign ${apiName} to ${binding.gatewayName}`, apiId: apiName, gatewayId: binding.gatewayName });
    scope.audit(`$ ${equivalent}  → assigned`);
    scope.changed({ kind: 'apisAssigned', gatewayId: binding.gatewayId, apis: [apiName] });
    scope.notify(`${apiName} assigned to ${binding.gatewayName}. The gateway picks it up at its next configuration poll (seconds).`);
    return { context: await scope.refreshArm() };
  },
});
