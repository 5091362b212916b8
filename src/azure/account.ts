// The signed-in Azure account as the tree and the commands see it: which cloud, which credential, the data source
// built on them, and which subscriptions the user chose. Rebuilt when the settings change; says so through
// `onDidChange`. The credential is VS Code's Microsoft account by default, or the Azure CLI
// (`arcApimGateway.azure.credential`: "azureCli"); tokens never leave the credential (not logged, not stored).
import * as vscode from 'vscode';
import { Settings } from '../constants.ts';
import type { Logger } from '../extensionLog.ts';
import { Disposable } from '../util/disposable.ts';
import { fail, ok, type Result } from '../util/errors.ts';
import { ArmAzureData, type AzureData } from './armService.ts';
import { createAzureClientFactory, azureCliCredential } from './clientFactory.ts';
import { armScope, resolveCloud, type AzureCloud, type CustomCloudSetting } from './clouds.ts';
import { cachingCredential, isSignInRequired, jwtExpiry, SignInRequiredError, type TokenCredential } from './credential.ts';

export type CredentialKind = 'vscode' | 'azureCli';

export type SignInState =
  | { readonly kind: 'signedIn' }
  | { readonly kind: 'signedOut'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

export interface AzureAccount {
  readonly onDidChange: vscode.Event<void>;
  /** The configured cloud, or the settings problem that prevents using it. */
  cloud(): Result<AzureCloud>;
  credentialKind(): CredentialKind;
  /** The ARM data source for the current settings (a settings problem is an error value). */
  data(): Result<AzureData>;
  /** Whether a token can be had right now, without asking the user anything. */
  signInState(): Promise<SignInState>;
  /** Interactive: VS Code's account picker, or a terminal running `az login`. */
  signIn(): Promise<void>;
  /**
   * Whether the user uses Azure here at all (an Azure setting, a past sign-in, or an existing VS Code session): until
   * then the tree shows no Azure root, so an empty view keeps its welcome page with its sign-in link.
   */
  inUse(): boolean;
  /** Subscription ids the user chose to see; undefined: all. */
  selectedSubscriptions(): readonly string[] | undefined;
  setSelectedSubscriptions(ids: readonly string[] | undefined): Promise<void>;
}

const AzureSettings = {
  credential: Settings.azureCredential,
  cloud: Settings.azureCloud,
  customCloud: Settings.azureCustomCloud,
} as const;

const SUBSCRIPTIONS_KEY = 'arcApimGateway.azure.selectedSubscriptions';
const USED_KEY = 'arcApimGateway.azure.used';

export class VscodeAzureAccount extends Disposable implements AzureAccount {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly state: vscode.Memento;
  private readonly log: Logger;
  private readonly section: string;
  private built: { cloud: Result<AzureCloud>; kind: CredentialKind; credential: ReturnType<typeof cachingCredential> | undefined; data: Result<AzureData> } | undefined;

  constructor(state: vscode.Memento, log: Logger, section: string) {
    super();
    this.state = state;
    this.log = log;
    this.section = section;
    this.register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (Object.values(AzureSettings).some((key) => event.affectsConfiguration(`${section}.${key}`))) {
          this.built = undefined;
          this.changed.fire();
        }
      }),
    );
    this.register(
      vscode.authentication.onDidChangeSessions((event) => {
        if (event.provider.id === 'microsoft' || event.provider.id === 'microsoft-sovereign-cloud') {
          this.built?.credential?.clear();
          this.changed.fire();
          void this.detectSession();
        }
      }),
    );
    void this.detectSession();
  }

  inUse(): boolean {
    if (this.state.get<boolean>(USED_KEY) === true) return true;
    const config = vscode.workspace.getConfiguration(this.section);
    return Object.values(AzureSettings).some((key) => {
      const i = config.inspect(key);
      return i !== undefined && (i.globalValue !== undefined || i.workspaceValue !== undefined || i.workspaceFolderValue !== undefined);
    });
  }

  /** An existing VS Code session (signed in for another Azure extension) counts as using Azure. */
  private async detectSession(): Promise<void> {
    if (this.inUse()) return;
    const built = this.build();
    if (!built.cloud.ok || built.kind !== 'vscode') return;
    try {
      const session = await vscode.authentication.getSession(built.cloud.value.authProvider, [armScope(built.cloud.value)], { silent: true });
      if (session) await this.markUsed();
    } catch {
      // No provider (e.g. a web host without Microsoft auth): nothing to detect.
    }
  }

  private async markUsed(): Promise<void> {
    if (this.state.get<boolean>(USED_KEY) === true) return;
    await this.state.update(USED_KEY, true);
    this.changed.fire();
  }

  private build(): NonNullable<VscodeAzureAccount['built']> {
    if (this.built) return this.built;
    const config = vscode.workspace.getConfiguration(this.section);
    const cloud = resolveCloud(config.get<string>(AzureSettings.cloud), config.get<CustomCloudSetting>(AzureSettings.customCloud));
    const kind: CredentialKind = config.get<string>(AzureSettings.credential) === 'azureCli' ? 'azureCli' : 'vscode';
    if (!cloud.ok) {
      this.built = { cloud, kind, credential: undefined, data: fail(cloud.error) };
      return this.built;
    }
    const credential = cachingCredential(kind === 'azureCli' ? azureCliCredential() : vscodeSessionCredential(cloud.value));
    const data = new ArmAzureData(createAzureClientFactory({ cloud: cloud.value, credential }));
    this.log.info(`Azure: ${cloud.value.displayName} (${cloud.value.resourceManagerEndpoint}), credential ${kind === 'azureCli' ? 'Azure CLI' : "VS Code's Microsoft account"}`);
    this.built = { cloud, kind, credential, data: ok(data) };
    return this.built;
  }

  cloud(): Result<AzureCloud> {
    return this.build().cloud;
  }

  credentialKind(): CredentialKind {
    return this.build().kind;
  }

  data(): Result<AzureData> {
    return this.build().data;
  }

  async signInState(): Promise<SignInState> {
    const built = this.build();
    if (!built.cloud.ok) return { kind: 'error', message: built.cloud.error };
    try {
      await built.credential?.getToken(armScope(built.cloud.value));
      return { kind: 'signedIn' };
    } catch (error) {
      if (isSignInRequired(error)) return { kind: 'signedOut', message: (error as Error).message };
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    }
  }

  async signIn(): Promise<void> {
    await this.markUsed();
    const built = this.build();
    if (!built.cloud.ok) throw new Error(built.cloud.error);
    const cloud = built.cloud.value;
    if (built.kind === 'azureCli') {
      const terminal = vscode.window.createTerminal({ name: 'Azure CLI sign-in' });
      terminal.show();
      // az's own cloud must match ours; for a custom cloud the user registers it with `az cloud register` first.
      terminal.sendText(cloud.name === 'custom' ? 'az login' : `az cloud set --name ${cloud.name} && az login`);
      const done = await vscode.window.showInformationMessage('Sign in with the Azure CLI in the terminal, then continue.', 'Continue');
      if (done) {
        built.credential?.clear();
        this.changed.fire();
      }
      return;
    }
    if (cloud.authProvider === 'microsoft-sovereign-cloud') await this.checkSovereignEnvironment(cloud);
    await vscode.authentication.getSession(cloud.authProvider, [armScope(cloud)], { createIfNone: true });
    built.credential?.clear();
    this.changed.fire();
  }

  /** VS Code's sovereign-cloud provider signs in to the cloud its own setting names: offer to align it. */
  private async checkSovereignEnvironment(cloud: AzureCloud): Promise<void> {
    const config = vscode.workspace.getConfiguration('microsoft-sovereign-cloud');
    const current = config.get<string>('environment');
    if (current === cloud.sovereignEnvironment) return;
    if (cloud.sovereignEnvironment === 'custom') {
      throw new Error(
        'Signing in to a custom cloud with VS Code\'s account needs the setting "microsoft-sovereign-cloud.environment" set to "custom" and "microsoft-sovereign-cloud.customEnvironment" describing the cloud; or set arcApimGateway.azure.credential to "azureCli".',
      );
    }
    const choice = await vscode.window.showWarningMessage(
      `VS Code signs in to sovereign clouds through "microsoft-sovereign-cloud.environment", which is ${current ? `"${current}"` : 'not set'}. Set it to "${cloud.sovereignEnvironment}" to sign in to ${cloud.displayName}?`,
      { modal: true },
      'Set and Sign In',
    );
    if (choice !== 'Set and Sign In') throw new vscode.CancellationError();
    await config.update('environment', cloud.sovereignEnvironment, vscode.ConfigurationTarget.Global);
  }

  selectedSubscriptions(): readonly string[] | undefined {
    const ids = this.state.get<unknown>(SUBSCRIPTIONS_KEY);
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : undefined;
  }

  async setSelectedSubscriptions(ids: readonly string[] | undefined): Promise<void> {
    // Ids only: nothing about the account, no names, no tokens.
    await this.state.update(SUBSCRIPTIONS_KEY, ids ? [...ids] : undefined);
    this.changed.fire();
  }
}

/**
 * VS Code's Microsoft account as a TokenCredential. Silent: when there is no session it says so (SignInRequiredError)
 * instead of opening a sign-in prompt in the middle of a tree expansion. A tenant asked for by ARM goes into the
 * scopes the way VS Code's provider expects (`VSCODE_TENANT:<id>`).
 */
function vscodeSessionCredential(cloud: AzureCloud): TokenCredential {
  return {
    async getToken(scopes, options) {
      const list = [scopes].flat();
      if (options?.tenantId) list.push(`VSCODE_TENANT:${options.tenantId}`);
      let session: vscode.AuthenticationSession | undefined;
      try {
        session = await vscode.authentication.getSession(cloud.authProvider, list, { silent: true });
      } catch (error) {
        throw new SignInRequiredError(`Sign in to ${cloud.displayName}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!session) throw new SignInRequiredError(`Not signed in to ${cloud.displayName}.`);
      // The session does not say when its token expires; the token itself does.
      return { token: session.accessToken, expiresOnTimestamp: jwtExpiry(session.accessToken) ?? Date.now() + 60_000 };
    },
  };
}
