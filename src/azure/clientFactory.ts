// The ONE place Azure SDK clients are made. The SDKs are imported on the first call (`await import('./sdk.ts')`, a
// bundle of its own at run time), every client gets the chosen cloud's endpoint, token scope and one shared https
// agent — for a custom cloud behind a private CA, an agent that trusts that CA next to Node's roots
// (NODE_EXTRA_CA_CERTS cannot help inside a running extension host). No `vscode` import.
import { Agent } from 'node:https';
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import type * as Sdk from './sdk.ts';
import { armScope, type AzureCloud } from './clouds.ts';
import { classifyCliError, type TokenCredential } from './credential.ts';

type AzureSdk = typeof Sdk;

let sdk: Promise<AzureSdk> | undefined;

/** The SDKs, loaded once, on first use. */
export function loadAzureSdk(): Promise<AzureSdk> {
  sdk ??= import('./sdk.ts');
  return sdk;
}

export interface AzureClientFactory {
  readonly cloud: AzureCloud;
  readonly credential: TokenCredential;
  subscriptions(): Promise<Sdk.SubscriptionClient>;
  arc(subscriptionId: string): Promise<Sdk.ConnectedKubernetesClient>;
  extensions(subscriptionId: string): Promise<Sdk.SourceControlConfigurationClient>;
  apim(subscriptionId: string): Promise<Sdk.ApiManagementClient>;
}

export interface ClientFactoryOptions {
  cloud: AzureCloud;
  credential: TokenCredential;
  /** Reads the custom cloud's CA file (tests may hand the PEM in directly). */
  readCa?: (file: string) => Promise<string>;
  /** Retry timing override (benchmarks and tests against the emulator); ARM's defaults otherwise. */
  retryOptions?: { retryDelayInMs?: number; maxRetryDelayInMs?: number; maxRetries?: number };
  userAgent?: string;
}

export function createAzureClientFactory(options: ClientFactoryOptions): AzureClientFactory {
  const { cloud, credential } = options;
  const clients = new Map<string, Promise<unknown>>();
  let common: Promise<Record<string, unknown>> | undefined;

  const clientOptions = (): Promise<Record<string, unknown>> => {
    common ??= (async () => {
      let ca: string[] | undefined;
      if (cloud.caFile) {
        let pem: string;
        try {
          pem = await (options.readCa ?? ((f: string) => readFile(f, 'utf8')))(cloud.caFile);
        } catch (error) {
          common = undefined;
          throw new Error(`Cannot read the custom cloud's CA file ${cloud.caFile} (arcApimGateway.azure.customCloud.caFile): ${(error as Error).message}`, { cause: error });
        }
        // `ca` replaces Node's roots; a private cloud may still call public endpoints, so keep them.
        ca = [...rootCertificates, pem];
      }
      // One agent for every client, instead of the one per client the pipeline makes from `tlsOptions`: each of those
      // builds its own TLS context (parsing ~140 root certificates) and its own connections, which made expanding 50
      // subscriptions at once CPU-bound in the extension host. Shared, the connections to ARM are pooled too.
      const agent = new Agent({ keepAlive: true, ...(ca ? { ca } : {}) });
      return {
        endpoint: cloud.resourceManagerEndpoint,
        credentialScopes: [armScope(cloud)],
        // The newer generated clients (arm-resources-subscriptions 3) take their scopes here instead, and default
        // to the public cloud's whatever the endpoint.
        credentials: { scopes: [armScope(cloud)] },
        userAgentOptions: { userAgentPrefix: options.userAgent ?? 'arc-apim-gateway-vscode' },
        agent,
        ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
      };
    })();
    return common;
  };

  function cached<T>(key: string, make: (sdk: AzureSdk, opts: Record<string, unknown>) => T): Promise<T> {
    let client = clients.get(key) as Promise<T> | undefined;
    if (!client) {
      client = Promise.all([loadAzureSdk(), clientOptions()]).then(([s, o]) => make(s, o));
      clients.set(key, client);
      client.catch(() => clients.delete(key));
    }
    return client;
  }

  return {
    cloud,
    credential,
    subscriptions: () => cached('subscriptions', (s, o) => new s.SubscriptionClient(credential, o)),
    arc: (id) => cached(`arc/${id}`, (s, o) => new s.ConnectedKubernetesClient(credential, id, o)),
    extensions: (id) => cached(`ext/${id}`, (s, o) => new s.SourceControlConfigurationClient(credential, id, o)),
    apim: (id) => cached(`apim/${id}`, (s, o) => new s.ApiManagementClient(credential, id, o)),
  };
}

/**
 * The Azure CLI as a credential: the SDK's AzureCliCredential (it runs `az account get-access-token --output json
 * --resource <audience>` and reads accessToken / expires_on), made on first use and with a timeout, because a hung
 * `az` would otherwise hang every tree expansion. Its "run az login" answers become SignInRequiredError.
 */
export function azureCliCredential(options: { timeoutMs?: number; tenantId?: string } = {}): TokenCredential {
  let inner: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes, getTokenOptions) {
      inner ??= loadAzureSdk().then(
        (s) => new s.AzureCliCredential({ processTimeoutInMs: options.timeoutMs ?? 20_000, ...(options.tenantId ? { tenantId: options.tenantId } : {}) }),
      );
      try {
        return await (await inner).getToken(scopes, getTokenOptions);
      } catch (error) {
        throw classifyCliError(error);
      }
    },
  };
}
