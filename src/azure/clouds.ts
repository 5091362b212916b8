// Which Azure the user talks to: the three public clouds by name, or a custom cloud (Azure Stack Hub, a private
// cloud, the sandbox) given by its endpoints. No `vscode` import: resolved from plain setting values and unit tested.
import { fail, ok, type Result } from '../util/errors.ts';

export type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud' | 'custom';
export const CLOUD_NAMES: readonly CloudName[] = ['AzureCloud', 'AzureUSGovernment', 'AzureChinaCloud', 'custom'];

/** The setting `arcApimGateway.azure.customCloud`. */
export interface CustomCloudSetting {
  resourceManagerEndpoint?: unknown;
  authority?: unknown;
  audience?: unknown;
  caFile?: unknown;
}

export interface AzureCloud {
  readonly name: CloudName;
  readonly displayName: string;
  /** ARM's base URL, without a trailing slash (the SDKs' `endpoint`). */
  readonly resourceManagerEndpoint: string;
  /** Microsoft Entra authority (where a sign-in goes). */
  readonly authority: string;
  /** What ARM tokens are issued for; the scope asked for is `<audience>/.default`. */
  readonly audience: string;
  /** The portal, for "open in portal" links; absent for custom clouds. */
  readonly portal?: string;
  /** A PEM file of the CA that signed the custom cloud's TLS certificates (trusted in addition to Node's roots). */
  readonly caFile?: string;
  /**
   * VS Code's authentication provider for this cloud: `microsoft` serves only the public cloud; the others go
   * through `microsoft-sovereign-cloud`, whose own setting `microsoft-sovereign-cloud.environment` must name the same
   * cloud (VS Code's microsoft-authentication extension reads it).
   */
  readonly authProvider: 'microsoft' | 'microsoft-sovereign-cloud';
  readonly sovereignEnvironment?: 'USGovernment' | 'ChinaCloud' | 'custom';
}

const KNOWN: Record<Exclude<CloudName, 'custom'>, AzureCloud> = {
  AzureCloud: {
    name: 'AzureCloud',
    displayName: 'Azure',
    resourceManagerEndpoint: 'https://management.azure.com',
    authority: 'https://login.microsoftonline.com',
    audience: 'https://management.core.windows.net/',
    portal: 'https://portal.azure.com',
    authProvider: 'microsoft',
  },
  AzureUSGovernment: {
    name: 'AzureUSGovernment',
    displayName: 'Azure US Government',
    resourceManagerEndpoint: 'https://management.usgovcloudapi.net',
    authority: 'https://login.microsoftonline.us',
    audience: 'https://management.core.usgovcloudapi.net/',
    portal: 'https://portal.azure.us',
    authProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'USGovernment',
  },
  AzureChinaCloud: {
    name: 'AzureChinaCloud',
    displayName: 'Azure operated by 21Vianet',
    resourceManagerEndpoint: 'https://management.chinacloudapi.cn',
    authority: 'https://login.chinacloudapi.cn',
    audience: 'https://management.core.chinacloudapi.cn/',
    portal: 'https://portal.azure.cn',
    authProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'ChinaCloud',
  },
};

/** The setting values turned into a cloud, or a message naming the setting and the rule it breaks. */
export function resolveCloud(name: unknown, custom: CustomCloudSetting | undefined): Result<AzureCloud> {
  const cloudName = name === undefined || name === '' ? 'AzureCloud' : name;
  if (typeof cloudName !== 'string' || !(CLOUD_NAMES as readonly string[]).includes(cloudName)) {
    return fail(`arcApimGateway.azure.cloud must be one of ${CLOUD_NAMES.join(', ')} (got ${JSON.stringify(cloudName)})`);
  }
  if (cloudName !== 'custom') return ok(KNOWN[cloudName as Exclude<CloudName, 'custom'>]);

  const setting = 'arcApimGateway.azure.customCloud';
  const c = custom ?? {};
  const arm = httpsUrl(c.resourceManagerEndpoint);
  if (!arm.ok) return fail(`${setting}.resourceManagerEndpoint ${arm.error} (Azure Resource Manager is served over HTTPS only)`);
  const authority = c.authority === undefined || c.authority === '' ? ok(KNOWN.AzureCloud.authority) : httpsUrl(c.authority);
  if (!authority.ok) return fail(`${setting}.authority ${authority.error}`);
  // A custom cloud's ARM usually accepts tokens issued for its own endpoint (what Azure Stack Hub and az do).
  const audience = c.audience === undefined || c.audience === '' ? ok(arm.value) : httpsUrl(c.audience, { keepTrailingSlash: true });
  if (!audience.ok) return fail(`${setting}.audience ${audience.error}`);
  if (c.caFile !== undefined && c.caFile !== '' && (typeof c.caFile !== 'string' || !isAbsolutePath(c.caFile))) {
    return fail(`${setting}.caFile must be an absolute path to a PEM file (got ${JSON.stringify(c.caFile)})`);
  }
  return ok({
    name: 'custom',
    displayName: `Custom cloud (${new URL(arm.value).host})`,
    resourceManagerEndpoint: arm.value,
    authority: authority.value,
    audience: audience.value,
    ...(typeof c.caFile === 'string' && c.caFile !== '' ? { caFile: c.caFile } : {}),
    authProvider: 'microsoft-sovereign-cloud',
    sovereignEnvironment: 'custom',
  });
}

/** The scope a token for ARM is asked with: `<audience>/.default` (a trailing-slash audience gives `…//.default`, as az and MSAL expect). */
export function armScope(cloud: Pick<AzureCloud, 'audience'>): string {
  return `${cloud.audience}/.default`;
}

export function cloudByName(name: Exclude<CloudName, 'custom'>): AzureCloud {
  return KNOWN[name];
}

function httpsUrl(value: unknown, options: { keepTrailingSlash?: boolean } = {}): Result<string> {
  if (typeof value !== 'string' || value.trim() === '') return fail('is required: an https:// URL');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return fail(`must be an https:// URL (got ${JSON.stringify(value)})`);
  }
  if (url.protocol !== 'https:') return fail(`must be an https:// URL (got ${JSON.stringify(value)})`);
  if (url.username || url.password) return fail('must not carry credentials in the URL');
  if (url.search || url.hash) return fail('must not have a query or fragment');
  const text = url.toString();
  return ok(options.keepTrailingSlash && value.trim().endsWith('/') ? text : text.replace(/\/+$/, ''));
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}
