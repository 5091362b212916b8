import { Commands } from '../../constants.ts';
import { noTarget } from '../targets.ts';
import { defineCommand } from '../types.ts';

/** Sign in to Azure with the configured credential (VS Code's account picker, or `az login` in a terminal). */
export const azureSignIn = defineCommand({
  id: Commands.azureSignIn,
  changes: [],
  target: noTarget,
  run: async (services) => {
    // The account says it changed (AzureAccount.onDidChange); the Azure root reloads on that.
    await services.azure.account.signIn();
  },
});
