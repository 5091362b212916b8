// "Update Gateway Extension…": what to change (replicas, Service type and ports, log format, image tag, release train,
// version, any other documented setting), each value checked against its rule, the change shown as a diff of
// configurationSettings with its `az k8s-extension update` equivalent, then the ARM PATCH with progress and the pods
// rolling (read from the cluster when its kubeconfig context is known).
import type { AzureData } from '../azure/armService.ts';
import { settingsDiff, UPDATE_FIELDS, type SettingsChange, type UpdateField } from '../azure/extensionUpdate.ts';
import { settingStyleOf } from '../azure/gatewayExtension.ts';
import type { ClusterExtensionInfo } from '../azure/models.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import { waitForRollout } from '../kubernetes/rollout.ts';
import { updateSettingsCommand } from '../rotation/equivalents.ts';
import type { KubeRef } from '../rotation/resolve.ts';
import type { WizardDefinition } from './wizard.ts';

export const UPDATE_TITLE = 'Update Gateway Extension';

export interface UpdateContext {
  extension: ClusterExtensionInfo;
  kube?: KubeRef;
  fields?: UpdateField[];
  settings: Record<string, string | null>;
  releaseTrain?: string;
  version?: string | null;
  /** The diff lines shown before applying. */
  diff?: string[];
  command?: string;
  updated?: ClusterExtensionInfo;
  rollout?: string;
  /** Set as the PATCH is sent: from then on the extension may have changed, even if ARM fails. */
  patching?: boolean;
}

export function changeOf(c: UpdateContext): SettingsChange {
  return { settings: c.settings, ...(c.releaseTrain !== undefined ? { releaseTrain: c.releaseTrain } : {}), ...(c.version !== undefined ? { version: c.version } : {}) };
}

export function updateExtensionWizard(deps: { data: AzureData; kube: KubernetesClients; record: (command: string, outcome: string) => void }): WizardDefinition<UpdateContext> {
  const title = UPDATE_TITLE;
  return {
    title,
    prompts: [
      {
        shouldPrompt: (c) => c.fields === undefined,
        prompt: async (c, p, position) => {
          c.fields = await p.pickMany({
            id: 'fields', title, ...position, placeholder: `What to change on ${c.extension.name}`, emptyMessage: '',
            items: UPDATE_FIELDS.map((f) => ({ label: f.label, detail: f.detail, description: describeCurrent(c.extension, f.field), value: f.field })),
          });
        },
      },
      {
        prompt: async (c, p, position) => {
          const style = settingStyleOf(c.extension.configurationSettings) ?? 'current';
          for (const field of c.fields ?? []) {
            const spec = UPDATE_FIELDS.find((f) => f.field === field)!;
            const current = describeCurrent(c.extension, field);
            const value = spec.choices
              ? await p.pick({ id: field, title, ...position, placeholder: `${spec.label} (now ${current})`, emptyMessage: '', items: spec.choices.map((x) => ({ label: x, value: x, picked: x === current })) })
              : (await p.input({ id: field, title, ...position, prompt: `${spec.label}: ${spec.detail}`, value: field === 'other' ? '' : current === 'not set' ? '' : current, validate: spec.check })).trim();
            const key = spec.setting(style);
            if (key) c.settings[key] = value;
            else if (field === 'releaseTrain') c.releaseTrain = value;
            else if (field === 'version') c.version = value === '' ? null : value;
            else if (field === 'other') {
              const [k, ...rest] = value.split('=');
              c.settings[k ?? ''] = rest.join('=') === '' ? null : rest.join('=');
            }
          }
        },
      },
      {
        prompt: async (c, p) => {
          const e = c.extension;
          c.diff = settingsDiff(e.configurationSettings, changeOf(c), { releaseTrain: e.releaseTrain, version: e.autoUpgradeMinorVersion === false ? e.version : undefined });
          c.command = updateSettingsCommand(e.id, changeOf(c));
          if (c.diff.length === 0) return;
          const ok = await p.confirm({
            id: 'applyUpdate',
            message: `Update ${e.name} on its cluster?`,
            detail: `configurationSettings:\n${c.diff.join('\n')}\n\nThe chart is upgraded in place; the pods roll where their template changes.\n\nEquivalent command:\n${c.command}`,
            action: 'Update',
          });
          if (!ok) c.diff = [];
        },
      },
    ],
    check: (c) => {
      if ((c.diff ?? []).length === 0) return 'Nothing to change: every chosen value is what the extension already has.';
      for (const [k, v] of Object.entries(c.settings)) {
        const spec = UPDATE_FIELDS.find((f) => f.setting(settingStyleOf(c.extension.configurationSettings) ?? 'current') === k);
        const problem = v === null ? undefined : spec?.check(v);
        if (problem) return problem;
      }
      return undefined;
    },
    execute: [
      {
        title: 'Updating the extension (ARM PATCH)',
        execute: async (c, progress, signal) => {
          const change = changeOf(c);
          c.patching = true;
          try {
            c.updated = await deps.data.updateClusterExtension(c.extension.id, {
              configurationSettings: change.settings,
              ...(change.releaseTrain !== undefined ? { releaseTrain: change.releaseTrain } : {}),
              ...(change.version !== undefined ? { version: change.version, autoUpgradeMinorVersion: change.version === null } : {}),
            }, undefined, { signal, onStatus: (s) => progress.report(s) });
          } catch (error) {
            deps.record(c.command ?? '', `failed: ${error instanceof Error ? error.message : String(error)}`);
            throw error;
          }
          deps.record(c.command ?? '', c.updated.provisioningState ?? 'done');
          if (c.updated.provisioningState && c.updated.provisioningState !== 'Succeeded') {
            throw new Error(`${c.extension.name} ended ${c.updated.provisioningState}${c.updated.errorInfo?.message ? `: ${c.updated.errorInfo.message}` : ''}`);
          }
        },
      },
      {
        title: 'Waiting for the pods',
        shouldExecute: (c) => c.kube !== undefined,
        execute: async (c, progress, signal) => {
          const ref = c.kube!;
          const client = await deps.kube.forContext(ref.context);
          const done = await waitForRollout(client, ref.namespace, ref.deployment, 0, (p) => progress.report(p.text), signal, { timeoutMs: 5 * 60_000 });
          c.rollout = done.text;
        },
      },
    ],
  };
}

function describeCurrent(e: ClusterExtensionInfo, field: UpdateField): string {
  const style = settingStyleOf(e.configurationSettings) ?? 'current';
  if (field === 'releaseTrain') return e.releaseTrain ?? 'not set';
  if (field === 'version') return e.autoUpgradeMinorVersion === false && e.version ? e.version : 'auto-upgrade';
  const key = UPDATE_FIELDS.find((f) => f.field === field)?.setting(style);
  return key ? (e.configurationSettings[key] ?? 'not set') : '';
}
