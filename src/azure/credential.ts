// Credentials for ARM, independent of where the token comes from (VS Code's Microsoft account, the Azure CLI). No
// `vscode` import: the VS Code session credential lives in vscodeCredential.ts and is handed in.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

export type { TokenCredential };

/**
 * The user is not signed in (no VS Code session, `az login` not done): an expected state the tree shows as a
 * "Sign in" item, not an error. Recognised by name, because the integration tests' bundle has its own copy of this
 * class.
 */
export class SignInRequiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInRequiredError';
  }
}

export function isSignInRequired(error: unknown): boolean {
  return error instanceof Error && error.name === 'SignInRequiredError';
}

/** Tokens are renewed this long before they expire, so a request never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * One token per scope (and tenant) for every SDK client: each client's bearer policy keeps its own cache, so without
 * this, 50 subscriptions' clients would start 50 `az` processes (or 50 session look-ups) at once. Concurrent
 * requests for the same scope share one call.
 */
export function cachingCredential(inner: TokenCredential, now: () => number = Date.now): TokenCredential & { clear(): void } {
  const tokens = new Map<string, AccessToken>();
  const pending = new Map<string, Promise<AccessToken | null>>();
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = `${[scopes].flat().join(' ')}|${options?.tenantId ?? ''}`;
      // A claims challenge (CAE) must reach the source: a cached token is what was just rejected.
      if (!options?.claims) {
        const cached = tokens.get(key);
        if (cached && cached.expiresOnTimestamp - REFRESH_MARGIN_MS > now()) return cached;
      }
      let call = pending.get(key);
      if (!call) {
        call = inner.getToken(scopes, options).finally(() => pending.delete(key));
        pending.set(key, call);
      }
      const token = await call;
      if (token) tokens.set(key, token);
      return token;
    },
    clear(): void {
      tokens.clear();
    },
  };
}

/** `exp` of a JWT, read without verifying it (only to know when to ask again), in ms since the epoch. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** What AzureCliCredential says when `az login` is needed or az is missing, turned into our vocabulary. */
export function classifyCliError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/az login/i.test(message)) return new SignInRequiredError(`Azure CLI: not signed in. Run "az login" in a terminal, then refresh. (${firstLine(message)})`);
  if (/could not be found|not installed|ENOENT/i.test(message)) {
    return new SignInRequiredError('Azure CLI (az) was not found on PATH. Install it and run "az login", or set arcApimGateway.azure.credential to "vscode".');
  }
  return error instanceof Error ? error : new Error(message);
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}
