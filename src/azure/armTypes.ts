// Small shared ARM vocabulary. No `vscode` import.

export type ExtensionProvisioningState = 'Succeeded' | 'Failed' | 'Canceled' | 'Creating' | 'Updating' | 'Deleting';

/** States after which nothing changes without a new request. */
export function isTerminalState(state: string | undefined): boolean {
  return state === 'Succeeded' || state === 'Failed' || state === 'Canceled';
}
