// "Deploy APIM Gateway to Kubernetes…": the gateway v2 on any cluster of the kubeconfig, without Arc. The prompts
// gather what the manifests need (src/manifests); `check` applies every rule before anything is sent; the one execute
// step makes sure the context's API server answers and that the names are free (or ours) — before any token is minted
// or any object written. Reviewing and applying follow in the command (src/commands/deployToKubernetes.ts).
import type { AzureAccount } from '../azure/account.ts';
import type { AzureData } from '../azure/armService.ts';
import { configurationEndpoint } from '../azure/tokens.ts';
import { preflightDeployment } from '../kubernetes/apply.ts';
import type { KubeContextClient } from '../kubernetes/client.ts';
import type { KubeconfigSummary } from '../kubernetes/kubeconfigFile.ts';
import { MANAGED_BY, objectNames, type GatewayManifestOptions, type LogFormat, type ServiceType } from '../manifests/gatewayManifests.ts';
import { checkImageTag, checkNamespaceName, checkObjectName, checkPort, checkReplicas, LOG_FORMATS, SERVICE_TYPES, validateManifestOptions } from '../manifests/validation.ts';
import { existingGatewayPrompts, type ExistingGatewayChoice } from './pickers.ts';
import type { PickItem } from './prompter.ts';
import { InvalidInputError, type WizardDefinition } from './wizard.ts';

export const DEPLOY_K8S_TITLE = 'Deploy APIM Gateway to Kubernetes';
export const DEFAULT_IMAGE_TAG = '2.11.1';

export interface KubeDeployContext extends ExistingGatewayChoice {
  /** Set as the manifests start going to the cluster: from then on something may have changed, even on failure. */
  applying?: boolean;
  kubeContext?: string;
  namespace?: string;
  name?: string;
  imageTag?: string;
  replicas?: number;
  serviceType?: ServiceType;
  httpPort?: number;
  httpsPort?: number;
  logFormat?: LogFormat;
  /** Found while checking. */
  configurationEndpoint?: string;
  server?: string;
  namespaceExists?: boolean;
}

export interface KubeDeployDependencies {
  readonly data: AzureData;
  readonly account: AzureAccount;
  kubeconfig(): Promise<KubeconfigSummary>;
  client(context: string): Promise<KubeContextClient>;
}

/** The gateway's name as a DNS-1035 label, for the default object name. */
export function defaultObjectName(gatewayName: string): string {
  const cleaned = gatewayName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 57).replace(/-+$/, '');
  return cleaned || 'apim-gateway';
}

/** The manifest options the finished context stands for (undefined fields fail validation, never default silently). */
export function manifestOptions(c: KubeDeployContext): GatewayManifestOptions {
  return {
    configurationEndpoint: c.configurationEndpoint ?? '',
    gatewayName: c.gatewayName ?? '',
    name: c.name ?? '',
    namespace: c.namespace ?? '',
    imageTag: c.imageTag ?? '',
    replicas: c.replicas ?? Number.NaN,
    serviceType: c.serviceType ?? ('' as ServiceType),
    httpPort: c.httpPort ?? Number.NaN,
    httpsPort: c.httpsPort ?? Number.NaN,
    logFormat: c.logFormat ?? ('' as LogFormat),
  };
}

export function deployToKubernetesWizard(deps: KubeDeployDependencies): WizardDefinition<KubeDeployContext> {
  const title = DEPLOY_K8S_TITLE;
  const input = (id: string, prompt: string, value: string, validate: (v: string) => string | undefined) => ({ id, title, prompt, value, validate });
  return {
    title,
    prompts: [
      ...existingGatewayPrompts<KubeDeployContext>(deps.data, deps.account, title),
      {
        shouldPrompt: (c) => c.kubeContext === undefined,
        prompt: async (c, p, position) => {
          const summary = await deps.kubeconfig();
          c.kubeContext = await p.pick({
            id: 'kubeContext', title, placeholder: 'kubeconfig context of the cluster to deploy to',
            items: summary.contexts.map((ctx) => ({ label: ctx.name, description: `cluster ${ctx.cluster}${ctx.name === summary.currentContext ? ' · current' : ''}`, value: ctx.name })),
            emptyMessage: 'The kubeconfig has no context: add the cluster with kubectl or your cloud\'s CLI first.', ...position,
          });
        },
      },
      {
        shouldPrompt: (c) => c.namespace === undefined,
        prompt: async (c, p, position) => {
          c.namespace = await p.input({ ...input('namespace', 'Namespace (created if missing; a DNS-1123 label)', 'apim', checkNamespaceName), ...position });
        },
      },
      {
        prompt: async (c, p, position) => {
          c.name = await p.input({ ...input('name', 'Name of the Deployment and Service (the Secret is <name>-token, the ConfigMap <name>-env)', c.name ?? defaultObjectName(c.gatewayName ?? ''), checkObjectName), ...position });
        },
      },
      {
        prompt: async (c, p, position) => {
          c.imageTag = await p.input({ ...input('imageTag', 'Gateway image tag (mcr.microsoft.com/azure-api-management/gateway)', c.imageTag ?? DEFAULT_IMAGE_TAG, checkImageTag), ...position });
        },
      },
      {
        prompt: async (c, p, position) => {
          c.replicas = Number(await p.input({ ...input('replicas', 'Replicas (at least 1)', String(c.replicas ?? 1), checkReplicas), ...position }));
        },
      },
      {
        prompt: async (c, p, position) => {
          const items: PickItem<ServiceType>[] = SERVICE_TYPES.map((t) => ({
            label: t,
            description: t === 'ClusterIP' ? 'Inside the cluster only' : t === 'LoadBalancer' ? 'An external address from the cluster\'s load balancer' : 'A port on every node',
            value: t,
          }));
          c.serviceType = await p.pick({ id: 'serviceType', title, placeholder: 'Kubernetes Service type in front of the gateway', items, emptyMessage: '', ...position });
        },
      },
      {
        prompt: async (c, p, position) => {
          c.httpPort = Number(await p.input({ ...input('httpPort', 'Service port for http (to the container\'s 8080)', String(c.httpPort ?? 8080), checkPort), ...position }));
        },
      },
      {
        prompt: async (c, p, position) => {
          c.httpsPort = Number(await p.input({ ...input('httpsPort', 'Service port for https (to the container\'s 8081)', String(c.httpsPort ?? 8081), checkPort), ...position }));
        },
      },
      {
        prompt: async (c, p, position) => {
          const items: PickItem<LogFormat>[] = LOG_FORMATS.map((f) => ({ label: f, description: f === 'text' ? 'Plain text (the default)' : f === 'json' ? 'One JSON object per line' : 'No logs to stdout', value: f }));
          c.logFormat = await p.pick({ id: 'logFormat', title, placeholder: 'Gateway log format (telemetry.logs.std)', items, emptyMessage: '', ...position });
        },
      },
    ],
    check: (c) => {
      if (!c.serviceId || !c.gatewayId || !c.gatewayName) return 'No API Management gateway was chosen.';
      if (!c.kubeContext) return 'No kubeconfig context was chosen.';
      // The endpoint is known only after the check step; validate the rest now with a well-formed stand-in.
      const problems = validateManifestOptions({ ...manifestOptions(c), configurationEndpoint: 'https://x.configuration.azure-api.net' });
      return problems[0]?.message;
    },
    execute: [
      {
        title: 'Checking the cluster and the names',
        execute: async (c, progress, signal) => {
          const client = await deps.client(c.kubeContext ?? '');
          c.server = client.server;
          progress.report(`asking ${client.server}`);
          const preflight = await preflightDeployment(client, c.kubeContext ?? '', c.namespace ?? '', objectNames(c.name ?? '').deployment, MANAGED_BY, signal);
          if (!preflight.ok) throw new InvalidInputError(preflight.error);
          c.namespaceExists = preflight.namespaceExists;
          const service = await deps.data.getApimService(c.serviceId ?? '', { signal });
          c.configurationEndpoint = configurationEndpoint({ name: service.name, managementApiUrl: service.managementApiUrl });
          const problems = validateManifestOptions(manifestOptions(c));
          if (problems[0]) throw new InvalidInputError(problems[0].message);
        },
      },
    ],
  };
}
