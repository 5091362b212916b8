// Open the Generate Gateway Token wizard (an expired token is renewed there, not here: it needs its own questions).
import { defineFix } from './types.ts';

export const openTokenWizard = defineFix({
  id: 'open-token-wizard',
  label: 'Generate a new gateway token',
  resends: false,
  apply: async (fix, _form, _prepared, scope) => {
    await scope.openTokenWizard(scope.binding?.gatewayId ?? fix.gatewayId);
    return {};
  },
});
