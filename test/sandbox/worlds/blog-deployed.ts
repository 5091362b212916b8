// The seed blog's end state: the gateway resource exists with Echo API and Dummy assigned, the Arc extension is
// installed, and the cluster holds what its chart created (namespace apim, ConfigMap, Secret, Deployment with one
// gateway replica, ClusterIP Service on port 5000) with a token valid for 30 days.
import { renderArcGatewayChart } from '../gateway/arc-chart.ts';
import { configurationEndpoint } from '../world/ids.ts';
import { generateGatewayToken } from '../world/tokens.ts';
import type { World } from '../world/world.ts';
import { BLOG, buildBlogStart } from './blog-start.ts';

export const TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

export function buildBlogDeployed(): { world: World; kubernetesObjects: Array<Record<string, unknown>> } {
  const world = buildBlogStart();
  const apim = BLOG.apim.name;
  const gateway = world.putGateway(apim, {
    name: BLOG.gateway.name,
    description: `Self-hosted gateway on Arc cluster ${BLOG.arc.name}`,
    locationData: { name: BLOG.gateway.region },
  });
  world.assignApi(apim, gateway.name, 'echo-api');
  world.assignApi(apim, gateway.name, 'dummy');

  const token = generateGatewayToken(gateway, 'primary', new Date(world.now().getTime() + TOKEN_LIFETIME_MS));
  // The 2021 CLI call: legacy setting names, token in the protected settings only.
  const configurationSettings = { 'gateway.endpoint': configurationEndpoint(world.service(apim)), 'service.Type': 'ClusterIP' };
  const configurationProtectedSettings = { 'gateway.authKey': `GatewayKey ${token}` };
  const cluster = world.arcCluster(BLOG.subscriptionId, BLOG.arc.resourceGroup, BLOG.arc.name);
  if (!cluster) throw new Error('blog-start has no Arc cluster');
  world.putArcExtension(cluster, {
    name: BLOG.extension.name,
    extensionType: 'Microsoft.ApiManagement.Gateway',
    autoUpgradeMinorVersion: true,
    releaseTrain: 'preview',
    version: null,
    scope: { namespace: { targetNamespace: BLOG.extension.namespace } },
    configurationSettings,
    configurationProtectedSettings,
    provisioningState: 'Succeeded',
    statuses: [],
    errorInfo: null,
  });
  const rendered = renderArcGatewayChart({
    extensionName: BLOG.extension.name,
    namespace: BLOG.extension.namespace,
    configurationSettings,
    configurationProtectedSettings,
  });
  if (!rendered.ok) throw new Error(rendered.message);
  return { world, kubernetesObjects: rendered.objects };
}
