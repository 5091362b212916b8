// Test-only authentication provider: `microsoft-sovereign-cloud`, the provider VS Code's Azure extensions ask for when
// `microsoft-sovereign-cloud.environment` is `custom`. It signs in without a browser and hands out the sandbox's ARM
// bearer token (ARC_APIM_SANDBOX_ARM_TOKEN, which reaches the extension host through code-server's environment). It
// registers on startup (`*`) so it wins the id before VS Code's built-in Microsoft authentication is activated for it.
// Installed only into the sandbox's and the tests' throwaway profiles (scripts/lib/launch.ts); never packaged.
/* global require, process, exports, console */
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscode = require('vscode');

const PROVIDER_ID = 'microsoft-sovereign-cloud';

exports.activate = function activate(context) {
  const token = process.env.ARC_APIM_SANDBOX_ARM_TOKEN;
  if (!token) {
    console.warn('sandbox-auth: ARC_APIM_SANDBOX_ARM_TOKEN is not set; no sandbox sign-in is offered.');
    return;
  }
  const account = { id: 'sandbox-user', label: 'sandbox-user@arc-apim.test' };
  const changed = new vscode.EventEmitter();
  let signedIn = false;
  const session = (scopes) => ({ id: `sandbox:${[...scopes].sort().join(' ')}`, accessToken: token, account, scopes: [...scopes] });
  const provider = {
    onDidChangeSessions: changed.event,
    getSessions: async (scopes) => (signedIn ? [session(scopes ?? [])] : []),
    createSession: async (scopes) => {
      signedIn = true;
      const created = session(scopes);
      changed.fire({ added: [created], removed: [], changed: [] });
      return created;
    },
    removeSession: async () => {
      signedIn = false;
      changed.fire({ added: [], removed: [], changed: [] });
    },
  };
  context.subscriptions.push(
    changed,
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, 'Sandbox cloud', provider, { supportsMultipleAccounts: false }),
  );
};

exports.deactivate = function deactivate() {};
