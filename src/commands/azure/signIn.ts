import { Commands } from '../../constants.ts';
import { noTarget } from '../targets.ts';
import { defineCommand } from '../types.ts';

/** Sign in to Azure with the configured credential (VS Code's account picker, or `az login` in a terminal). */
export const azureSignIn = defineCommand({
  id: Commands.azureSignIn,
  target: noTarget,
  run: async (services) => {
    await services.azure.account.signIn();
    services.tree.refresh(services.azure.root);
  },
});
