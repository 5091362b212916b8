import * as vscode from 'vscode';
import { Commands } from '../../constants.ts';
import { noTarget } from '../targets.ts';
import { defineCommand } from '../types.ts';

/** Select Subscriptions…: which subscriptions the tree and the pickers show. Only their ids are remembered. */
export const azureSelectSubscriptions = defineCommand({
  id: Commands.azureSelectSubscriptions,
  changes: [],
  target: noTarget,
  run: async (services) => {
    const azure = services.azure;
    const selected = azure.account.selectedSubscriptions();
    const wanted = selected ? new Set(selected.map((s) => s.toLowerCase())) : undefined;
    const items = azure
      .data()
      .listSubscriptions()
      .then((all) => all.map((s) => ({ label: s.displayName, description: s.subscriptionId, detail: s.state && s.state !== 'Enabled' ? s.state : undefined, value: s.subscriptionId, picked: !wanted || wanted.has(s.subscriptionId.toLowerCase()) })));
    const all = await items;
    const picked = await azure.prompter.get().pickMany({ id: 'subscriptions', title: 'Select Subscriptions', placeholder: 'Subscriptions to show', items: all, emptyMessage: 'This account has no subscription.' });
    // Everything picked means "all", so subscriptions added later show up too.
    // The account says it changed (AzureAccount.onDidChange); the Azure root reloads on that.
    await azure.account.setSelectedSubscriptions(picked.length === all.length ? undefined : picked);
    void vscode.window.setStatusBarMessage(`Arc APIM Gateway: showing ${picked.length} of ${all.length} subscriptions`, 5000);
    return picked;
  },
});
