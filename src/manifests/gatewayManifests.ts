// The Kubernetes objects of a self-hosted gateway (v2) on a cluster without Arc, as the docs
// (self-hosted-gateway-deploy-kubernetes, -default-authentication) and the public Helm chart lay them out: a Secret
// with the gateway token, a ConfigMap with the gateway's own setting names, a Deployment of
// mcr.microsoft.com/azure-api-management/gateway and a Service. Pure: no `vscode`, no Node built-ins.
//
// The token reaches the container as `config.service.auth` = `GatewayKey <token>` (the form the portal's YAML and the
// gateway's examples give it) through `envFrom` of the Secret, so whoever rotates the token finds the Secret from the
// Deployment's envFrom alone (`secretTokenRef`).
import YAML from 'yaml';

export const FIELD_MANAGER = 'arc-apim-gateway';
export const TOKEN_PLACEHOLDER = '<token>';
export const TOKEN_KEY = 'config.service.auth';
export const GATEWAY_IMAGE_REPOSITORY = 'mcr.microsoft.com/azure-api-management/gateway';
/** The gateway's status endpoints (the chart probes them on the http port). */
export const READINESS_PATH = '/internal-status-0123456789abcdef';
export const LIVENESS_PATH = '/status-0123456789abcdef';
/** `app.kubernetes.io/managed-by` on everything this extension applies, so Uninstall can tell its own objects. */
export const MANAGED_BY = 'arc-apim-gateway';

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';
export type LogFormat = 'text' | 'json' | 'none';

export interface GatewayManifestOptions {
  /** The APIM service's v2 configuration endpoint, `https://<service>.configuration.azure-api.net` (src/azure/tokens.ts). */
  readonly configurationEndpoint: string;
  /** The APIM gateway resource (`gateway.name`). */
  readonly gatewayName: string;
  /** Names the Deployment and the Service; the Secret is `<name>-token`, the ConfigMap `<name>-env`. */
  readonly name: string;
  readonly namespace: string;
  readonly imageTag: string;
  readonly replicas: number;
  readonly serviceType: ServiceType;
  /** The Service's ports in front of the container's 8080 (http) and 8081 (https). */
  readonly httpPort: number;
  readonly httpsPort: number;
  readonly logFormat: LogFormat;
}

/** The token in the Secret: the real value only for the objects that are applied, else the placeholder. */
export type TokenValue = { readonly kind: 'placeholder' } | { readonly kind: 'value'; readonly value: string };

export type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

export const CONTAINER_HTTP_PORT = 8080;
export const CONTAINER_HTTPS_PORT = 8081;

export function objectNames(name: string): { secret: string; configMap: string; deployment: string; service: string } {
  return { secret: `${name}-token`, configMap: `${name}-env`, deployment: name, service: name };
}

/** The gateway token as the container reads it: `GatewayKey <token>` (ARM returns it without the prefix). */
export function gatewayKey(token: string): string {
  return token.startsWith('GatewayKey ') ? token : `GatewayKey ${token}`;
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The objects in apply order (Secret and ConfigMap before the Deployment that reads them). With the placeholder the
 * Secret carries `stringData` a reader can fill in; with the value it carries base64 `data`, which the API server
 * stores as given.
 */
export function gatewayManifests(options: GatewayManifestOptions, token: TokenValue): Manifest[] {
  const names = objectNames(options.name);
  const selector = { 'app.kubernetes.io/name': 'azure-api-management-gateway', 'app.kubernetes.io/instance': options.name };
  const labels = { ...selector, 'app.kubernetes.io/managed-by': MANAGED_BY };
  const metadata = (name: string) => ({ name, namespace: options.namespace, labels: { ...labels } });
  const secret: Manifest = token.kind === 'value'
    ? { apiVersion: 'v1', kind: 'Secret', metadata: metadata(names.secret), type: 'Opaque', data: { [TOKEN_KEY]: base64(gatewayKey(token.value)) } }
    : { apiVersion: 'v1', kind: 'Secret', metadata: metadata(names.secret), type: 'Opaque', stringData: { [TOKEN_KEY]: `GatewayKey ${TOKEN_PLACEHOLDER}` } };
  const configMap: Manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(names.configMap),
    data: {
      'gateway.name': options.gatewayName,
      'config.service.endpoint': options.configurationEndpoint,
      'telemetry.logs.std': options.logFormat,
      'telemetry.logs.std.level': 'info',
      'runtime.deployment.artifact.source': 'Arc APIM Gateway for VS Code',
      'runtime.deployment.mechanism': 'YAML',
      'runtime.deployment.orchestrator.type': 'Kubernetes',
    },
  };
  const probe = (path: string, periodSeconds: number) => ({
    httpGet: { path, port: 'http', scheme: 'HTTP' }, periodSeconds, failureThreshold: 3, successThreshold: 1,
  });
  const deployment: Manifest = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(names.deployment),
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: { ...selector } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          terminationGracePeriodSeconds: 60,
          containers: [{
            name: 'gateway',
            image: `${GATEWAY_IMAGE_REPOSITORY}:${options.imageTag}`,
            ports: [
              { name: 'http', containerPort: CONTAINER_HTTP_PORT, protocol: 'TCP' },
              { name: 'https', containerPort: CONTAINER_HTTPS_PORT, protocol: 'TCP' },
            ],
            readinessProbe: probe(READINESS_PATH, 5),
            livenessProbe: probe(LIVENESS_PATH, 10),
            envFrom: [{ configMapRef: { name: names.configMap } }, { secretRef: { name: names.secret } }],
          }],
        },
      },
    },
  };
  const service: Manifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(names.service),
    spec: {
      type: options.serviceType,
      selector: { ...selector },
      ports: [
        { name: 'http', port: options.httpPort, targetPort: 'http', protocol: 'TCP' },
        { name: 'https', port: options.httpsPort, targetPort: 'https', protocol: 'TCP' },
      ],
    },
  };
  return [secret, configMap, deployment, service];
}

/** One YAML stream, documents separated by `---`, for the review editor and Save YAML. */
export function manifestsYaml(manifests: readonly Manifest[]): string {
  const header = `# Self-hosted gateway manifests. The token is a placeholder (${TOKEN_PLACEHOLDER}): Apply puts the real one into the Secret.\n`;
  return header + manifests.map((m) => YAML.stringify(m, { lineWidth: 0 })).join('---\n');
}

/** The Secret named by a Deployment's `envFrom` that holds the token (for token rotation). */
export function secretTokenRef(deployment: { spec?: { template?: { spec?: { containers?: readonly { envFrom?: readonly { secretRef?: { name?: string } }[] }[] } } } }): { secret: string; key: string } | undefined {
  for (const container of deployment.spec?.template?.spec?.containers ?? []) {
    for (const source of container.envFrom ?? []) {
      if (source.secretRef?.name) return { secret: source.secretRef.name, key: TOKEN_KEY };
    }
  }
  return undefined;
}
