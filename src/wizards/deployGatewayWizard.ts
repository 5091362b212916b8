// "Deploy Gateway to Arc Cluster" — the seed blog's `az k8s-extension create`, done right: an Arc cluster, an APIM
// service, an existing or new self-hosted gateway, the extension's name and namespace, Service type, release train,
// log format and setting names (current or 2021). A token is minted for the gateway and goes ONLY into the
// extension's protected settings as `GatewayKey <token>`; ARM installs the chart while the cluster's pods are
// watched; a failed install is reported with the extension's own statuses and errorInfo.
import type { AzureAccount } from '../azure/account.ts';
import { apimGatewayId, arcExtensionId } from '../azure/armIds.ts';
import type { AzureData } from '../azure/armService.ts';
import { createExtensionCommand } from '../rotation/equivalents.ts';
import { buildGatewayExtension, defaultExtensionName, describeSettingStyle, LOG_FORMAT_SETTING, LOG_FORMATS, SERVICE_TYPES, SETTING_NAMES, type GatewayExtensionBody, type LogFormat, type ServiceType, type SettingStyle } from '../azure/gatewayExtension.ts';
import { UPDATE_FIELDS } from '../azure/extensionUpdate.ts';
import type { ClusterExtensionInfo } from '../azure/models.ts';
import { configurationEndpoint } from '../azure/tokens.ts';
import { checkExtensionName, checkGatewayId, checkLocationName, checkNamespace, checkReleaseTrain, checkTokenDays, firstProblem, TOKEN_MAX_DAYS } from '../azure/validation.ts';
import type { DisposableLike } from '../util/disposable.ts';
import { redact } from '../util/redact.ts';
import { expiryAfterDays, promptTokenDays } from './generateTokenWizard.ts';
import { NEW_GATEWAY, pickApimService, pickArcCluster, pickGateway } from './pickers.ts';
import type { PickItem, Prompter } from './prompter.ts';
import { InvalidInputError, type WizardDefinition } from './wizard.ts';

/** The user chose to update the extension that already has the typed name: nothing was changed; the command hands over. */
export class UpdateInsteadError extends Error {
  readonly extensionId: string;
  constructor(extensionId: string) {
    super('Update the existing extension instead');
    this.name = 'UpdateInsteadError';
    this.extensionId = extensionId;
  }
}

export interface DeployContext {
  clusterId?: string;
  clusterName?: string;
  serviceId?: string;
  serviceName?: string;
  managementApiUrl?: string;
  gatewayId?: string;
  gatewayName?: string;
  /** A new gateway is made first (its name is `gatewayName`). */
  createGateway?: boolean;
  /** The new gateway exists (set once ARM created it, whatever happens after). */
  gatewayCreated?: boolean;
  gatewayLocation?: string;
  extensionName?: string;
  namespace?: string;
  serviceType?: ServiceType;
  releaseTrain?: string;
  logFormat?: LogFormat;
  style?: SettingStyle;
  tokenDays?: number;
  /** The chart's replicaCount (1, its default, is not written). */
  replicas?: number;
  /** Results. */
  extension?: ClusterExtensionInfo;
  tokenExpiry?: Date;
  /** The `az k8s-extension create` this install is equivalent to (token as `<token>`), for the log. */
  equivalentCommand?: string;
}

export interface DeployDependencies {
  readonly data: AzureData;
  readonly account: AzureAccount;
  now(): Date;
  /** Watches the release's pods while ARM works (undefined when no kubeconfig context plays the cluster). */
  watchPods?(clusterId: string, clusterName: string, namespace: string, release: string, report: (text: string) => void): Promise<DisposableLike | undefined>;
  /** "Copy equivalent command" on the summary (the command has `<token>`, never a token). */
  copy?(text: string): Promise<void>;
  /** Called once the token is in the extension's request: what is remembered about it (expiry, never the value). */
  recorded?(context: DeployContext): Promise<void>;
}

export const DEPLOY_TITLE = 'Deploy Gateway to Arc Cluster';
export const DEFAULT_NAMESPACE = 'apim';
export const RELEASE_TRAINS = ['stable', 'preview'] as const;

export function deployGatewayWizard(deps: DeployDependencies): WizardDefinition<DeployContext> {
  const { data, account } = deps;
  const title = DEPLOY_TITLE;
  return {
    title,
    prompts: [
      {
        shouldPrompt: (c) => c.clusterId === undefined,
        prompt: async (c, p, position) => {
          const cluster = await pickArcCluster(p, data, account, title, position);
          c.clusterId = cluster.id;
          c.clusterName = cluster.name;
        },
      },
      {
        shouldPrompt: (c) => c.serviceId === undefined,
        prompt: async (c, p, position) => {
          const service = await pickApimService(p, data, account, title, position);
          c.serviceId = service.id;
          c.serviceName = service.name;
          c.managementApiUrl = service.managementApiUrl;
        },
      },
      {
        shouldPrompt: (c) => c.gatewayId === undefined && !c.createGateway,
        prompt: async (c, p, position) => {
          const gateway = await pickGateway(p, data, c.serviceId ?? '', title, position, { allowNew: true, prefer: c.clusterName });
          if (gateway === NEW_GATEWAY) c.createGateway = true;
          else {
            c.gatewayId = gateway.id;
            c.gatewayName = gateway.name;
          }
        },
      },
      {
        shouldPrompt: (c) => c.createGateway === true,
        prompt: async (c, p, position) => {
          c.gatewayName = await p.input({ id: 'gatewayName', title, prompt: 'Name of the new gateway (at most 80 characters, none of * # & + : < > ?)', value: c.clusterName ? `${c.clusterName}-gateway`.slice(0, 80) : '', validate: checkGatewayId, ...position });
          c.gatewayId = apimGatewayId({ id: c.serviceId ?? '' }, c.gatewayName);
        },
      },
      {
        prompt: async (c, p, position) => {
          // A name already taken on the cluster is caught here, where it is typed, with Update offered instead.
          for (;;) {
            const name = await p.input({ id: 'extensionName', title, prompt: 'Extension name (the Helm release: lower-case, at most 53 characters)', value: c.extensionName ?? defaultExtensionName(c.clusterName ?? 'gateway'), validate: checkExtensionName, ...position });
            const existing = await data.getClusterExtension(arcExtensionId({ id: c.clusterId ?? '' }, name));
            if (!existing) {
              c.extensionName = name;
              break;
            }
            const choice = await p.pick<'update' | 'rename'>({
              id: 'extensionClash', title, ...position, emptyMessage: '',
              placeholder: `${c.clusterName ?? 'The cluster'} already has an extension named ${existing.name} (${existing.provisioningState ?? 'unknown state'})`,
              items: [
                { label: `Update ${existing.name} instead…`, description: 'Change its settings in place (Update Gateway Extension)', value: 'update' },
                { label: 'Choose another name', value: 'rename' },
              ],
            });
            if (choice === 'update') throw new UpdateInsteadError(existing.id);
            c.extensionName = undefined;
          }
        },
      },
      {
        prompt: async (c, p, position) => {
          c.namespace = await p.input({ id: 'namespace', title, prompt: 'Kubernetes namespace for the gateway (created if missing; a DNS-1123 label)', value: c.namespace ?? DEFAULT_NAMESPACE, validate: checkNamespace, ...position });
        },
      },
      {
        // The summary, before any ARM call: what will be created, the equivalent command, every setting with its
        // default (each one changed from here, then back to the summary), and Deploy first.
        prompt: async (c, p, position) => {
          applyDefaults(c);
          for (;;) {
            const plan = planOf(c);
            const choice = await p.pick<SummaryChoice>({ id: 'deploySummary', title, ...position, emptyMessage: '', placeholder: `Deploy ${c.gatewayName ?? 'the gateway'} to ${c.clusterName ?? 'the cluster'}: Enter deploys; pick a line to change it`, items: summaryItems(c, plan) });
            if (choice === 'deploy') return;
            if (choice === 'copy') {
              await deps.copy?.(plan.command);
              continue;
            }
            await SETTING_PROMPTS[choice](c, p, position);
          }
        },
      },
    ],
    check: (c) => {
      if (!c.clusterId) return 'No Arc-enabled cluster was chosen.';
      if (!c.serviceId) return 'No API Management service was chosen.';
      if (!c.gatewayId || !c.gatewayName) return 'No gateway was chosen.';
      return firstProblem(
        c.createGateway ? checkGatewayId(c.gatewayName) : undefined,
        c.createGateway ? checkLocationName(c.gatewayLocation ?? '') : undefined,
        checkExtensionName(c.extensionName ?? ''),
        checkNamespace(c.namespace ?? ''),
        c.serviceType && SERVICE_TYPES.includes(c.serviceType) ? undefined : 'The Service type must be ClusterIP, LoadBalancer or NodePort.',
        checkReleaseTrain(c.releaseTrain ?? ''),
        c.logFormat && LOG_FORMATS.includes(c.logFormat) ? undefined : 'The log format must be text, json or none.',
        c.style === 'current' || c.style === 'legacy' ? undefined : 'The setting names must be current or 2021.',
        checkTokenDays(String(c.tokenDays ?? '')),
        checkReplicas(String(c.replicas ?? 1)),
      );
    },
    execute: [
      {
        title: 'Checking the cluster, the service and the names',
        execute: async (c, _progress, signal) => {
          const extensionId = arcExtensionId({ id: c.clusterId ?? '' }, c.extensionName ?? '');
          const [cluster, existing, service, gateway] = await Promise.all([
            data.getArcCluster(c.clusterId ?? '', { signal }),
            data.getClusterExtension(extensionId, { signal }),
            c.managementApiUrl ? undefined : data.getApimService(c.serviceId ?? '', { signal }),
            data.getGateway(c.gatewayId ?? '', { signal }),
          ]);
          c.clusterName = cluster.name;
          if (cluster.connectivityStatus !== 'Connected') {
            throw new InvalidInputError(`Cluster ${cluster.name} is ${cluster.connectivityStatus ?? 'not connected'}: Arc can only install extensions on a Connected cluster.`);
          }
          if (existing) {
            throw new InvalidInputError(`Cluster ${cluster.name} already has an extension named ${existing.name} (${existing.provisioningState ?? 'unknown state'}): choose another name, or uninstall it first. Nothing was changed.`);
          }
          if (service) {
            c.serviceName = service.name;
            c.managementApiUrl = service.managementApiUrl;
          }
          if (c.createGateway && gateway) throw new InvalidInputError(`A gateway named ${gateway.name} already exists in ${c.serviceName ?? 'the service'}: pick it as an existing gateway, or choose another name.`);
          if (!c.createGateway && !gateway) throw new InvalidInputError(`Gateway ${c.gatewayName} no longer exists in ${c.serviceName ?? 'the service'}.`);
        },
      },
      {
        title: 'Creating the gateway',
        shouldExecute: (c) => c.createGateway === true,
        execute: async (c, _progress, signal) => {
          await data.createGateway(c.serviceId ?? '', c.gatewayName ?? '', { name: c.gatewayLocation ?? '' }, `Deployed to Arc cluster ${c.clusterName ?? ''}`, { signal });
          c.gatewayCreated = true;
        },
      },
      {
        title: 'Installing the gateway extension',
        execute: async (c, progress, signal) => {
          const expiry = expiryAfterDays(deps.now(), c.tokenDays ?? 30);
          progress.report('minting a gateway token');
          const token = await data.generateGatewayToken(c.gatewayId ?? '', 'primary', expiry, { signal });
          c.tokenExpiry = expiry;
          const { body, protectedSettingName, command } = planOf(c);
          c.equivalentCommand = command;
          await deps.recorded?.(c);
          let arm = 'submitted';
          let pods = '';
          const show = (): void => progress.report(`ARM ${arm}${pods ? ` · ${pods}` : ''}`);
          let watch: DisposableLike | undefined;
          try {
            watch = await deps.watchPods?.(c.clusterId ?? '', c.clusterName ?? '', c.namespace ?? DEFAULT_NAMESPACE, c.extensionName ?? '', (text) => {
              pods = text;
              show();
            }).catch(() => undefined);
            show();
            c.extension = await data.installGatewayExtension(c.clusterId ?? '', c.extensionName ?? '', body, protectedSettingName, token, {
              signal,
              onStatus: (status) => {
                arm = status;
                show();
              },
            });
          } catch (error) {
            if (signal.aborted) throw error;
            throw await describeFailure(data, c, error);
          } finally {
            watch?.dispose();
          }
        },
      },
    ],
  };
}

/** A failed install, told with what the extension itself reports (provisioning state, statuses, errorInfo). */
async function describeFailure(data: AzureData, c: DeployContext, error: unknown): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  let extension: ClusterExtensionInfo | undefined;
  try {
    extension = await data.getClusterExtension(arcExtensionId({ id: c.clusterId ?? '' }, c.extensionName ?? ''));
  } catch {
    extension = undefined;
  }
  const parts = [`Installing ${c.extensionName ?? 'the extension'} on ${c.clusterName ?? 'the cluster'} failed: ${message}`];
  if (extension) {
    parts.push(`Extension state: ${extension.provisioningState ?? 'unknown'}.`);
    if (extension.errorInfo) parts.push(`errorInfo ${extension.errorInfo.code ?? ''}: ${extension.errorInfo.message ?? ''}`);
    for (const s of extension.statuses) parts.push(`Status ${s.code ?? ''} (${s.level ?? ''}): ${s.message ?? ''}`);
  }
  const failure = new Error(redact(parts.join('\n')), { cause: error });
  failure.name = 'DeploymentFailedError';
  return failure;
}

const REPLICAS_SETTING = 'replicaCount';
/** The same rule as Update Gateway Extension's Replicas. */
const checkReplicas = (value: string): string | undefined => UPDATE_FIELDS.find((f) => f.field === 'replicas')?.check(value);

type SettingKey = 'serviceType' | 'replicas' | 'releaseTrain' | 'logFormat' | 'settingNames' | 'tokenDays' | 'locationName';
type SummaryChoice = 'deploy' | 'copy' | SettingKey;
type Position = { step: number; totalSteps: number };

/** What the summary starts from: the chart's defaults and the longest token lifetime. */
function applyDefaults(c: DeployContext): void {
  c.serviceType ??= 'ClusterIP';
  c.replicas ??= 1;
  c.releaseTrain ??= 'stable';
  c.logFormat ??= 'text';
  c.style ??= 'current';
  c.tokenDays ??= TOKEN_MAX_DAYS;
  if (c.createGateway) c.gatewayLocation ??= c.clusterName ?? '';
}

/** The extension's request body and its `az k8s-extension create` equivalent (token as `<token>`). */
export function planOf(c: DeployContext): { body: GatewayExtensionBody; protectedSettingName: string; command: string } {
  const { body, protectedSettingName } = buildGatewayExtension({
    namespace: c.namespace ?? DEFAULT_NAMESPACE,
    releaseTrain: c.releaseTrain ?? 'stable',
    style: c.style ?? 'current',
    serviceType: c.serviceType ?? 'ClusterIP',
    logFormat: c.logFormat ?? 'text',
    configurationEndpoint: configurationEndpoint({ name: c.serviceName ?? '', managementApiUrl: c.managementApiUrl }),
  });
  if (c.replicas !== undefined && c.replicas !== 1) body.configurationSettings[REPLICAS_SETTING] = String(c.replicas);
  return { body, protectedSettingName, command: createExtensionCommand(arcExtensionId({ id: c.clusterId ?? '' }, c.extensionName ?? ''), body, protectedSettingName) };
}

function summaryItems(c: DeployContext, plan: { command: string }): PickItem<SummaryChoice>[] {
  const creates = [
    ...(c.createGateway ? [`self-hosted gateway ${c.gatewayName ?? ''} in ${c.serviceName ?? 'the service'} (location ${c.gatewayLocation ?? ''})`] : []),
    `a ${c.tokenDays ?? TOKEN_MAX_DAYS}-day token of ${c.gatewayName ?? 'the gateway'} (primary key, protected setting only)`,
    `extension ${c.extensionName ?? ''} on ${c.clusterName ?? 'the cluster'}: Deployment, Service, ConfigMap and Secret in namespace ${c.namespace ?? DEFAULT_NAMESPACE}`,
  ];
  const setting = (value: SettingKey, label: string, description: string): PickItem<SummaryChoice> => ({ label, description, value });
  return [
    { label: 'Deploy', description: 'Create:', detail: creates.join('; '), value: 'deploy' },
    setting('serviceType', `Service type: ${c.serviceType ?? ''}`, 'Kubernetes Service in front of the gateway'),
    setting('replicas', `Replicas: ${c.replicas ?? 1}`, '2 or more keep the gateway serving while pods roll'),
    setting('releaseTrain', `Release train: ${c.releaseTrain ?? ''}`, ''),
    setting('logFormat', `Log format: ${c.logFormat ?? ''}`, LOG_FORMAT_SETTING),
    setting('settingNames', `Setting names: ${c.style === 'legacy' ? '2021' : 'current'}`, describeSettingStyle(c.style)),
    setting('tokenDays', `Token lifetime: ${c.tokenDays ?? TOKEN_MAX_DAYS} days`, `expires ${expiryAfterDaysLabel(c.tokenDays ?? TOKEN_MAX_DAYS)}`),
    ...(c.createGateway ? [setting('locationName', `Gateway location: ${c.gatewayLocation ?? ''}`, 'its logs report it as the region')] : []),
    { label: 'Copy equivalent command', description: 'az k8s-extension create … (token as <token>)', detail: plan.command, value: 'copy' },
  ];
}

function expiryAfterDaysLabel(days: number): string {
  return days === 1 ? 'in 1 day' : `in ${days} days`;
}

/** Each setting of the summary, asked the way it was when it was a step of its own (same ids, same rules). */
const SETTING_PROMPTS: Record<SettingKey, (c: DeployContext, p: Prompter, position: Position) => Promise<void>> = {
  serviceType: async (c, p, position) => {
    const items: PickItem<ServiceType>[] = SERVICE_TYPES.map((t) => ({
      label: t,
      description: t === 'ClusterIP' ? 'Inside the cluster only (the chart\'s default)' : t === 'LoadBalancer' ? 'An external address from the cluster\'s load balancer' : 'A port on every node',
      value: t,
      picked: t === c.serviceType,
    }));
    c.serviceType = await p.pick({ id: 'serviceType', title: DEPLOY_TITLE, placeholder: 'Kubernetes Service type in front of the gateway', items, emptyMessage: '', ...position });
  },
  replicas: async (c, p, position) => {
    c.replicas = Number((await p.input({ id: 'replicas', title: DEPLOY_TITLE, prompt: 'Replicas: how many gateway pods run (2 or more keep it serving while pods roll)', value: String(c.replicas ?? 1), validate: checkReplicas, ...position })).trim());
  },
  releaseTrain: async (c, p, position) => {
    const items: PickItem<string>[] = RELEASE_TRAINS.map((t) => ({ label: t, description: t === 'stable' ? 'Generally available versions' : 'Preview versions (the 2021 blog used this)', value: t }));
    c.releaseTrain = await p.pick({ id: 'releaseTrain', title: DEPLOY_TITLE, placeholder: 'Release train', items, emptyMessage: '', ...position });
  },
  logFormat: async (c, p, position) => {
    const items: PickItem<LogFormat>[] = LOG_FORMATS.map((f) => ({ label: f, description: f === 'text' ? 'Plain text (the default)' : f === 'json' ? 'One JSON object per line' : 'No logs to stdout', value: f }));
    c.logFormat = await p.pick({ id: 'logFormat', title: DEPLOY_TITLE, placeholder: 'Gateway log format (telemetry.logs.std)', items, emptyMessage: '', ...position });
  },
  settingNames: async (c, p, position) => {
    const items: PickItem<SettingStyle>[] = [
      { label: 'Current setting names', description: `${SETTING_NAMES.current.endpoint}, ${SETTING_NAMES.current.token}, ${SETTING_NAMES.current.serviceType}`, value: 'current' },
      { label: '2021 setting names', description: `${SETTING_NAMES.legacy.endpoint}, ${SETTING_NAMES.legacy.token}, ${SETTING_NAMES.legacy.serviceType} (the seed blog's preview)`, value: 'legacy' },
    ];
    c.style = await p.pick({ id: 'settingNames', title: DEPLOY_TITLE, placeholder: 'Extension setting names', items, emptyMessage: '', ...position });
  },
  tokenDays: async (c, p, position) => {
    c.tokenDays = await promptTokenDays(p, DEPLOY_TITLE, position);
  },
  locationName: async (c, p, position) => {
    c.gatewayLocation = await p.input({ id: 'locationName', title: DEPLOY_TITLE, prompt: 'Location name of the new gateway (its logs report it as the region)', value: c.gatewayLocation ?? c.clusterName ?? '', validate: checkLocationName, ...position });
  },
};
