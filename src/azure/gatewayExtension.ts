// The Microsoft.ApiManagement.Gateway cluster extension: its two generations of setting names, the request that
// installs it, and what an installed one tells about itself. No `vscode` import; the token is never part of what this
// module builds — the ARM service adds it to the protected settings at the moment of the call.

export const GATEWAY_EXTENSION_TYPE = 'Microsoft.ApiManagement.Gateway';

export type SettingStyle = 'current' | 'legacy';
export type ServiceType = 'ClusterIP' | 'LoadBalancer' | 'NodePort';
export const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'LoadBalancer', 'NodePort'];
export type LogFormat = 'text' | 'json' | 'none';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json', 'none'];

export interface SettingNames {
  readonly endpoint: string;
  readonly token: string;
  readonly serviceType: string;
}

/** Current docs (self-hosted-gateway-arc-reference) vs the 2021 preview the seed blog used. */
export const SETTING_NAMES: Readonly<Record<SettingStyle, SettingNames>> = {
  current: { endpoint: 'gateway.configuration.uri', token: 'gateway.auth.token', serviceType: 'service.type' },
  legacy: { endpoint: 'gateway.endpoint', token: 'gateway.authKey', serviceType: 'service.Type' },
};

export const LOG_FORMAT_SETTING = 'telemetry.logs.std';

export function isGatewayExtensionType(type: string | undefined): boolean {
  return (type ?? '').toLowerCase() === GATEWAY_EXTENSION_TYPE.toLowerCase();
}

export interface GatewayExtensionPlan {
  readonly namespace: string;
  readonly releaseTrain: string;
  readonly style: SettingStyle;
  readonly serviceType: ServiceType;
  readonly logFormat: LogFormat;
  /** The v2 configuration endpoint of the APIM service. */
  readonly configurationEndpoint: string;
}

/** The extension body without its protected settings (the caller adds the token under `protectedSettingName`). */
export interface GatewayExtensionBody {
  extensionType: string;
  autoUpgradeMinorVersion: boolean;
  releaseTrain: string;
  scope: { namespace: { targetNamespace: string } };
  configurationSettings: Record<string, string>;
}

export function buildGatewayExtension(plan: GatewayExtensionPlan): { body: GatewayExtensionBody; protectedSettingName: string } {
  const names = SETTING_NAMES[plan.style];
  const configurationSettings: Record<string, string> = {
    [names.endpoint]: plan.configurationEndpoint,
    [names.serviceType]: plan.serviceType,
    [LOG_FORMAT_SETTING]: plan.logFormat,
  };
  return {
    body: {
      extensionType: GATEWAY_EXTENSION_TYPE,
      autoUpgradeMinorVersion: true,
      releaseTrain: plan.releaseTrain,
      scope: { namespace: { targetNamespace: plan.namespace } },
      configurationSettings,
    },
    protectedSettingName: names.token,
  };
}

/** Which generation of names an installed extension uses, read from its (non-protected) settings. */
export function settingStyleOf(settings: Readonly<Record<string, string>> | undefined): SettingStyle | undefined {
  if (!settings) return undefined;
  if (settings[SETTING_NAMES.current.endpoint] !== undefined) return 'current';
  if (settings[SETTING_NAMES.legacy.endpoint] !== undefined) return 'legacy';
  return undefined;
}

export function describeSettingStyle(style: SettingStyle | undefined): string {
  if (style === 'current') return `${SETTING_NAMES.current.endpoint} / ${SETTING_NAMES.current.token}`;
  if (style === 'legacy') return `${SETTING_NAMES.legacy.endpoint} / ${SETTING_NAMES.legacy.token} (2021)`;
  return 'no configuration endpoint setting';
}

export function serviceTypeOf(settings: Readonly<Record<string, string>> | undefined): string {
  return settings?.[SETTING_NAMES.current.serviceType] ?? settings?.[SETTING_NAMES.legacy.serviceType] ?? 'ClusterIP';
}

export function endpointOf(settings: Readonly<Record<string, string>> | undefined): string | undefined {
  return settings?.[SETTING_NAMES.current.endpoint] ?? settings?.[SETTING_NAMES.legacy.endpoint];
}

/** The Service the chart creates in front of the gateway. */
export function gatewayServiceName(extensionName: string): string {
  const chart = 'azure-api-management-gateway';
  const name = extensionName.includes(chart) ? extensionName : `${extensionName}-${chart}`;
  return name.slice(0, 63).replace(/-+$/, '');
}

/** A default extension name in the blog's style (`<cluster>-apimgw`), cut to the Helm limit. */
export function defaultExtensionName(clusterName: string): string {
  const base = clusterName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  const suffix = '-apimgw';
  return `${base.slice(0, 53 - suffix.length).replace(/-+$/, '')}${suffix}`.replace(/^-/, '') || 'apimgw';
}
