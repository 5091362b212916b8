// Allow HTTP: adds `http` to the API's protocols in ARM (the blog's 404 for an HTTP call to an HTTPS-only API).
import { parseApimServiceId } from '../../azure/armIds.ts';
import { shellQuote } from '../../rotation/equivalents.ts';
import { recordConfigurationChange } from '../configurationChanges.ts';
import { defineFix, needArm, serviceName } from './types.ts';

export const allowHttp = defineFix({
  id: 'allow-http',
  label: 'Allow HTTP on the API',
  resends: true,
  prepare: (_fix, _form, scope) => needArm(scope, 'change the API’s protocols'),
  confirm: (fix, _form, binding) => ({
    id: 'allowHttp',
    message: `Allow HTTP on API ${fix.apiId}?`,
    detail: `Adds http to the API's protocols in ${serviceName(binding)}. Every gateway serving the API then accepts unencrypted calls.`,
    action: 'Allow HTTP',
  }),
  apply: async (fix, _form, binding, scope, signal) => {
    await scope.data().allowHttp(binding.serviceId, fix.apiId, { signal });
    recordConfigurationChange({ what: `Allow HTTP on ${fix.apiId}`, apiId: fix.apiId });
    scope.audit(`$ az apim api update --resource-group ${shellQuote(resourceGroupOf(binding.serviceId))} --service-name ${shellQuote(serviceName(binding))} --api-id ${shellQuote(fix.apiId)} --protocols http https → done`);
    scope.refreshResources(binding.serviceId, binding.gatewayId);
    scope.notify(`HTTP allowed on ${fix.apiId}. The gateway picks it up at its next configuration poll (seconds).`);
    return { context: await scope.refreshArm() };
  },
});

function resourceGroupOf(serviceId: string): string {
  const parsed = parseApimServiceId(serviceId);
  return parsed.ok ? parsed.value.resourceGroup : '<resource-group>';
}
