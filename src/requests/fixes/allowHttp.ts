// Allow HTTP: adds `http` to the API's protocols in ARM (the blog's 404 for an HTTP call to an HTTPS-only API).
import { allowHttpCommand } from '../../rotation/equivalents.ts';
import { safeErrorMessage } from '../../util/errors.ts';
import { recordConfigurationChange } from '../configurationChanges.ts';
import { defineFix, needArm, serviceName } from './types.ts';

export const allowHttp = defineFix({
  id: 'allow-http',
  label: 'Allow HTTP on the API',
  changes: ['apiProtocolsChanged'],
  resends: true,
  prepare: (_fix, _form, scope) => needArm(scope, 'change the API’s protocols'),
  confirm: (fix, _form, binding) => ({
    id: 'allowHttp',
    message: `Allow HTTP on API ${fix.apiId}?`,
    detail: `Adds http to the API's protocols in ${serviceName(binding)}. Every gateway serving the API then accepts unencrypted calls.`,
    action: 'Allow HTTP',
  }),
  apply: async (fix, _form, binding, scope, signal) => {
    const equivalent = allowHttpCommand(binding.serviceId, fix.apiId);
    try {
      await scope.data().allowHttp(binding.serviceId, fix.apiId, { signal });
    } catch (error) {
      scope.audit(`$ ${equivalent}  → failed: ${safeErrorMessage(error)}`);
      throw error;
    }
    recordConfigurationChange({ what: `Allow HTTP on ${fix.apiId}`, apiId: fix.apiId });
    scope.audit(`$ ${equivalent}  → done`);
    scope.changed({ kind: 'apiProtocolsChanged', serviceId: binding.serviceId, api: fix.apiId });
    scope.notify(`HTTP allowed on ${fix.apiId}. The gateway picks it up at its next configuration poll (seconds).`);
    return { context: await scope.refreshArm() };
  },
});
