// Renew the token = Rotate Gateway Token… for this Deployment (it asks its own questions: key, expiry).
import { defineFix } from './types.ts';

export const openTokenWizard = defineFix({
  id: 'open-token-wizard',
  // Rotate Gateway Token… (the command it runs) reports its own change.
  changes: [],
  label: 'Rotate the gateway token',
  resends: false,
  apply: async (fix, _form, _prepared, scope) => {
    await scope.rotateToken(scope.binding?.gatewayId ?? fix.gatewayId);
    return {};
  },
});
