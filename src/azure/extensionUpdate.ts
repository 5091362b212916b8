// The documented settings of the Microsoft.ApiManagement.Gateway Arc extension that can be changed in place
// (self-hosted-gateway-arc-reference), their rules, and the change shown as a diff of `configurationSettings` before
// the ARM PATCH. The names follow the generation the extension already uses (2021 `service.Type` vs `service.type`).
// No `vscode` import.
import { LOG_FORMAT_SETTING, LOG_FORMATS, SERVICE_TYPES, SETTING_NAMES, type SettingStyle } from './gatewayExtension.ts';
import type { Check } from './validation.ts';

export type UpdateField = 'replicas' | 'serviceType' | 'httpPort' | 'httpsPort' | 'logFormat' | 'imageTag' | 'releaseTrain' | 'version' | 'other';

export interface FieldSpec {
  readonly field: UpdateField;
  readonly label: string;
  readonly detail: string;
  /** The configurationSettings key (undefined for releaseTrain / version, which are properties). */
  setting(style: SettingStyle): string | undefined;
  readonly choices?: readonly string[];
  readonly check: Check;
}

const port: Check = (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : `A port is a whole number from 1 to 65535 (got "${v}").`);
const oneOf = (values: readonly string[], what: string): Check => (v) => (values.includes(v.trim()) ? undefined : `${what} must be one of ${values.join(', ')} (got "${v}").`);

export const UPDATE_FIELDS: readonly FieldSpec[] = [
  { field: 'replicas', label: 'Replicas', detail: 'replicaCount: how many gateway pods run', setting: () => 'replicaCount',
    check: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 100 ? undefined : `Replicas must be a whole number from 1 to 100 (got "${v}"); 2 or more keep the gateway serving while pods roll.`) },
  { field: 'serviceType', label: 'Service type', detail: 'ClusterIP, LoadBalancer or NodePort', setting: (s) => SETTING_NAMES[s].serviceType, choices: SERVICE_TYPES, check: oneOf(SERVICE_TYPES, 'The Service type') },
  { field: 'httpPort', label: 'HTTP port', detail: 'service.http.port: the Service\'s HTTP port (8080 by default)', setting: () => 'service.http.port', check: port },
  { field: 'httpsPort', label: 'HTTPS port', detail: 'service.https.port: the Service\'s HTTPS port (8081 by default)', setting: () => 'service.https.port', check: port },
  { field: 'logFormat', label: 'Log format', detail: `${LOG_FORMAT_SETTING}: text, json or none`, setting: () => LOG_FORMAT_SETTING, choices: LOG_FORMATS, check: oneOf(LOG_FORMATS, 'The log format') },
  { field: 'imageTag', label: 'Gateway image tag', detail: 'image.tag: the gateway container version (e.g. 2.11.1)', setting: () => 'image.tag',
    check: (v) => (/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(v.trim()) ? undefined : `An image tag is 1–128 letters, digits, _ . - and starts with a letter, digit or _ (got "${v}").`) },
  { field: 'releaseTrain', label: 'Release train', detail: 'Stable or preview', setting: () => undefined,
    check: (v) => (/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(v.trim()) ? undefined : `A release train is a name such as stable or preview (got "${v}").`) },
  { field: 'version', label: 'Extension version', detail: 'Pin the chart version (turns minor auto-upgrade off); empty: auto-upgrade again', setting: () => undefined,
    check: (v) => (v.trim() === '' || /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(v.trim()) ? undefined : `A version is semantic, such as 1.15.1 (got "${v}"), or empty to auto-upgrade.`) },
  { field: 'other', label: 'Another documented setting…', detail: 'key=value (e.g. telemetry.logs.std.level=debug); key= removes it', setting: () => undefined,
    check: (v) => {
      const m = /^([A-Za-z0-9_.-]{1,253})=(.*)$/.exec(v.trim());
      if (!m) return 'Write key=value (a key of letters, digits, . _ -), or key= to remove the setting.';
      if (/^gateway\.(auth|authKey)/i.test(m[1] ?? '')) return 'Tokens are protected settings: use Rotate Gateway Token.';
      return undefined;
    } },
];

export interface SettingsChange {
  readonly settings: Readonly<Record<string, string | null>>;
  readonly releaseTrain?: string;
  readonly version?: string | null;
}

/** `key: old → new` lines of what the PATCH changes, in key order; unchanged values are left out. */
export function settingsDiff(before: Readonly<Record<string, string>>, change: SettingsChange, properties: { releaseTrain?: string | undefined; version?: string | undefined } = {}): string[] {
  const lines: string[] = [];
  for (const key of Object.keys(change.settings).sort()) {
    const next = change.settings[key];
    const prev = before[key];
    if (next === prev || (next === null && prev === undefined)) continue;
    lines.push(next === null ? `- ${key}: ${prev}` : prev === undefined ? `+ ${key}: ${next}` : `~ ${key}: ${prev} → ${next}`);
  }
  if (change.releaseTrain !== undefined && change.releaseTrain !== properties.releaseTrain) lines.push(`~ releaseTrain: ${properties.releaseTrain ?? '(default)'} → ${change.releaseTrain}`);
  if (change.version !== undefined && change.version !== (properties.version ?? null)) lines.push(`~ version: ${properties.version ?? '(auto-upgrade)'} → ${change.version ?? '(auto-upgrade)'}`);
  return lines;
}
