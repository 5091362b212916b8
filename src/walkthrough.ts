// The getting-started walkthrough (package.json contributes.walkthroughs) is opened the first time the extension
// runs for a user. VS Code opens an extension's walkthrough itself after an install from the Marketplace, but not on
// every path (e.g. an install into a remote server such as code-server): this covers the rest, once, and honours the
// user's `workbench.welcomePage.walkthroughs.openOnInstall` like VS Code does.
import * as vscode from 'vscode';
import { EXTENSION_ID } from './constants.ts';

export const WALKTHROUGH_ID = `${EXTENSION_ID}#gettingStarted`;
/** globalState key: the walkthrough was opened for this user once; never again automatically. */
export const WALKTHROUGH_OPENED_KEY = 'arcApimGateway.walkthrough.opened';

export function openWalkthroughOnFirstRun(state: Pick<vscode.Memento, 'get' | 'update'>, onError: (error: unknown) => void): void {
  if (state.get<boolean>(WALKTHROUGH_OPENED_KEY) === true) return;
  if (vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall') === false) return;
  Promise.resolve(state.update(WALKTHROUGH_OPENED_KEY, true))
    .then(() => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false))
    .catch(onError);
}
