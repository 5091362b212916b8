// Microsoft's Azure Resources explorer hides resource types that no Azure extension claims unless
// `azureResourceGroups.showHiddenTypes` is true — and Arc-enabled clusters and API Management services are such types,
// so by default a user never sees the items our right-click actions are on. When that explorer is installed and hides
// them, say so once, and turn the setting on in the user's settings only if the user agrees.
import * as vscode from 'vscode';

export const AZURE_RESOURCES_EXTENSION_ID = 'ms-azuretools.vscode-azureresourcegroups';
export const HIDDEN_TYPES_MESSAGE = 'Arc-enabled clusters and API Management services are hidden in Azure Resources';
export const SHOW_HIDDEN_TYPES = 'Show Them';
export const NOT_NOW = 'Not Now';
/** globalState key: the question was asked (whatever the answer), so it is never asked again. */
export const ASKED_KEY = 'arcApimGateway.explorerVisibility.asked';
const SECTION = 'azureResourceGroups';
const SETTING = 'showHiddenTypes';

export type VisibilityOutcome = 'no-explorer' | 'already-visible' | 'already-asked' | 'turned-on' | 'declined';

export interface VisibilityDeps {
  readonly state: Pick<vscode.Memento, 'get' | 'update'>;
  /** Shows the message with its buttons; resolves with the one chosen (undefined when dismissed). */
  readonly ask: (message: string, ...buttons: string[]) => Thenable<string | undefined>;
  readonly explorerInstalled: () => boolean;
}

export function realVisibilityDeps(context: vscode.ExtensionContext): VisibilityDeps {
  return {
    state: context.globalState,
    ask: (message, ...buttons) => vscode.window.showInformationMessage(message, ...buttons),
    explorerInstalled: () => vscode.extensions.getExtension(AZURE_RESOURCES_EXTENSION_ID) !== undefined,
  };
}

/** Asks at most once per user (globalState) whether to show the hidden types; changes nothing without a yes. */
export async function offerToShowHiddenTypes(deps: VisibilityDeps): Promise<VisibilityOutcome> {
  if (!deps.explorerInstalled()) return 'no-explorer';
  if (vscode.workspace.getConfiguration(SECTION).get<boolean>(SETTING) === true) return 'already-visible';
  if (deps.state.get<boolean>(ASKED_KEY) === true) return 'already-asked';
  // Remembered before asking: a window closed with the question open does not ask again.
  await deps.state.update(ASKED_KEY, true);
  const answer = await deps.ask(
    `${HIDDEN_TYPES_MESSAGE} unless its "Show Hidden Types" setting is on, so Arc APIM Gateway's right-click actions cannot be reached there. Turn it on in your user settings?`,
    SHOW_HIDDEN_TYPES,
    NOT_NOW,
  );
  if (answer !== SHOW_HIDDEN_TYPES) return 'declined';
  await vscode.workspace.getConfiguration(SECTION).update(SETTING, true, vscode.ConfigurationTarget.Global);
  return 'turned-on';
}

/**
 * Registration: asks now if the explorer is there, or as soon as it is installed later in this session. Errors
 * (e.g. the setting not registered yet) are logged, never shown: this is a hint, not a feature.
 */
export function registerExplorerVisibility(context: vscode.ExtensionContext, onError: (error: unknown) => void): void {
  const deps = realVisibilityDeps(context);
  // One at a time: extension changes arrive in bursts, and a question waiting for its answer is not asked twice.
  let pending: Promise<unknown> | undefined;
  const offer = (): void => {
    pending ??= offerToShowHiddenTypes(deps)
      .catch(onError)
      .finally(() => (pending = undefined));
  };
  offer();
  context.subscriptions.push(vscode.extensions.onDidChange(offer));
}
