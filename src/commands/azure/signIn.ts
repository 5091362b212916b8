import { Commands } from '../../constants.ts';
import type { CommandDefinition } from '../types.ts';

/** Sign in to Azure with the configured credential (VS Code's account picker, or `az login` in a terminal). */
export const azureSignIn: CommandDefinition = {
  id: Commands.azureSignIn,
  run: async (services) => {
    await services.azure.account.signIn();
    services.tree.refresh(services.azure.root);
  },
};
