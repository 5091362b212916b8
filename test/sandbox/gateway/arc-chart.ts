// What the Microsoft.ApiManagement.Gateway cluster extension's Helm chart puts into the cluster for a set of extension
// settings. The Arc chart itself is not public; this follows the public azure-api-management-gateway chart (which
// turns the endpoint into ConfigMap `config.service.endpoint`, the token into Secret key `gateway-key` surfaced as env
// `config.service.auth`) and the seed blog's cluster (Deployment named after the extension, Service
// `<extension>-azure-api-management-gateway` on port 5000). The token is copied verbatim, as the chart does: it must
// already carry the `GatewayKey ` prefix the container expects (the portal shows it that way).
//
// Two generations of setting names exist: 2021 installs used gateway.endpoint / gateway.authKey / service.Type (and
// got the single-port Service the blog saw); current docs use gateway.configuration.uri / gateway.auth.token /
// service.type with http and https ports.

export interface ArcGatewayChartInput {
  /** The extension's name: Helm's release name. */
  extensionName: string;
  namespace: string;
  configurationSettings: Readonly<Record<string, string>>;
  configurationProtectedSettings: Readonly<Record<string, string>>;
  /** Chart version for the helm.sh/chart label. */
  chartVersion?: string;
}

export type ArcChartLayout = 'legacy' | 'current';

export type ArcChartResult =
  | { ok: true; layout: ArcChartLayout; objects: Array<Record<string, unknown>> }
  | { ok: false; message: string };

export const CHART_NAME = 'azure-api-management-gateway';

function fullName(release: string): string {
  const name = release.includes(CHART_NAME) ? release : `${release}-${CHART_NAME}`;
  return name.slice(0, 63).replace(/-+$/, '');
}

export function renderArcGatewayChart(input: ArcGatewayChartInput): ArcChartResult {
  const settings = input.configurationSettings;
  const protectedSettings = input.configurationProtectedSettings;
  const legacy = settings['gateway.endpoint'] !== undefined || protectedSettings['gateway.authKey'] !== undefined;
  const layout: ArcChartLayout = legacy ? 'legacy' : 'current';
  const endpoint = settings['gateway.configuration.uri'] ?? settings['gateway.endpoint'];
  const token = protectedSettings['gateway.auth.token'] ?? protectedSettings['gateway.authKey'];
  // Helm's `required`: the install fails before anything reaches the cluster.
  if (!endpoint) return { ok: false, message: `execution error: ${legacy ? 'gateway.endpoint' : 'gateway.configuration.uri'} is required.` };
  if (!token) return { ok: false, message: `execution error: ${legacy ? 'gateway.authKey' : 'gateway.auth.token'} is required.` };

  const release = input.extensionName;
  const name = fullName(release);
  const chartVersion = input.chartVersion ?? (legacy ? '0.3.0' : '1.15.1');
  const selector = { 'app.kubernetes.io/name': CHART_NAME, 'app.kubernetes.io/instance': release };
  const labels = { 'helm.sh/chart': `${CHART_NAME}-${chartVersion}`, ...selector, 'app.kubernetes.io/managed-by': 'Helm' };
  const annotations = { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': input.namespace };
  const metadata = (objectName: string) => ({ name: objectName, namespace: input.namespace, labels: { ...labels }, annotations: { ...annotations } });

  const configData: Record<string, string> = { 'config.service.endpoint': endpoint };
  for (const [key, value] of Object.entries(settings)) if (key.startsWith('telemetry.')) configData[key] = value;

  const serviceType = settings['service.type'] ?? settings['service.Type'] ?? 'ClusterIP';
  const httpPort = Number(settings['service.http.port'] ?? settings['service.port'] ?? (legacy ? 5000 : 8080));
  const httpsPort = Number(settings['service.https.port'] ?? 8081);
  const replicas = Number(settings['replicaCount'] ?? (legacy ? 1 : 3));
  const tag = settings['image.tag'] ?? 'v2';

  const objects: Array<Record<string, unknown>> = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: input.namespace } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(name), data: configData },
    { apiVersion: 'v1', kind: 'Secret', metadata: metadata(name), type: 'Opaque', data: { 'gateway-key': Buffer.from(token, 'utf8').toString('base64') } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(release),
      spec: {
        replicas,
        selector: { matchLabels: { ...selector } },
        template: {
          metadata: { labels: { ...selector } },
          spec: {
            containers: [
              {
                name: CHART_NAME,
                image: `mcr.microsoft.com/azure-api-management/gateway:${tag}`,
                imagePullPolicy: 'IfNotPresent',
                ports: [
                  { name: 'http', containerPort: 8080, protocol: 'TCP' },
                  { name: 'https', containerPort: 8081, protocol: 'TCP' },
                ],
                env: [{ name: 'config.service.auth', valueFrom: { secretKeyRef: { name, key: 'gateway-key' } } }],
                envFrom: [{ configMapRef: { name } }],
                readinessProbe: { httpGet: { path: '/internal-status-0123456789abcdef', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3 },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(name),
      spec: {
        type: serviceType,
        selector: { ...selector },
        ports: legacy
          ? [{ name: 'http', port: httpPort, targetPort: 'http', protocol: 'TCP' }]
          : [
              { name: 'http', port: httpPort, targetPort: 'http', protocol: 'TCP' },
              { name: 'https', port: httpsPort, targetPort: 'https', protocol: 'TCP' },
            ],
      },
    },
  ];
  return { ok: true, layout, objects };
}
