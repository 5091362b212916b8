// The seed blog before its gateway exists: an Arc-connected AKS cluster and a Developer-tier APIM instance with what
// a new instance ships with (Echo API, Starter and Unlimited products, their subscriptions) plus the Dummy API the
// author added. Keys are random per world, so no test can depend on a value printed anywhere.
import type { ApiOperation } from '../world/model.ts';
import { World } from '../world/world.ts';

export const BLOG = {
  tenantId: '4e9c1a6b-2d3f-4b8e-9a71-5c0d2e8f6b13',
  subscriptionId: '7a3f9c2e-51b4-4d8a-b6e0-2c9d1f4a8e57',
  subscriptionName: 'Visual Studio Enterprise',
  location: 'westeurope',
  arc: { resourceGroup: 'rb-arc-rg', name: 'rb-arc-aks' },
  apim: { resourceGroup: 'rb-aks-rg', name: 'rb-azure-apim' },
  /** The gateway resource the author created under APIM > Gateways; its location name is the logs' `region`. */
  gateway: { name: 'rb-arc-gateway', region: 'rb-arc' },
  extension: { name: 'rb-arc-aks-apimgw', namespace: 'apim' },
  /** The Kubernetes Service the extension created; the blog called it on port 5000. */
  kubernetesService: 'rb-arc-aks-apimgw-azure-api-management-gateway',
  echoServiceUrl: 'http://echoapi.cloudapp.net/api',
} as const;

/** The operations of APIM's auto-created Echo API, with their real names. */
export const ECHO_OPERATIONS: ApiOperation[] = [
  { name: 'create-resource', displayName: 'Create resource', method: 'POST', urlTemplate: '/resource' },
  { name: 'modify-resource', displayName: 'Modify Resource', method: 'PUT', urlTemplate: '/resource' },
  { name: 'remove-resource', displayName: 'Remove resource', method: 'DELETE', urlTemplate: '/resource' },
  { name: 'retrieve-header-only', displayName: 'Retrieve header only', method: 'HEAD', urlTemplate: '/resource' },
  { name: 'retrieve-resource', displayName: 'Retrieve resource', method: 'GET', urlTemplate: '/resource' },
  { name: 'retrieve-resource-cached', displayName: 'Retrieve resource (cached)', method: 'GET', urlTemplate: '/resource-cached' },
];

export const DUMMY_OPERATIONS: ApiOperation[] = [
  { name: 'list-items', displayName: 'List items', method: 'GET', urlTemplate: '/items' },
  { name: 'get-item', displayName: 'Get item', method: 'GET', urlTemplate: '/items/{id}' },
  { name: 'create-item', displayName: 'Create item', method: 'POST', urlTemplate: '/items' },
];

export function buildBlogStart(): World {
  const world = new World();
  world.addAzureSubscription({ subscriptionId: BLOG.subscriptionId, displayName: BLOG.subscriptionName, tenantId: BLOG.tenantId, state: 'Enabled' });
  world.addArcCluster({
    subscriptionId: BLOG.subscriptionId,
    resourceGroup: BLOG.arc.resourceGroup,
    name: BLOG.arc.name,
    location: BLOG.location,
    connectivityStatus: 'Connected',
    kubernetesVersion: '1.19.11',
    distribution: 'aks',
    infrastructure: 'azure',
    agentVersion: '1.3.8',
    totalNodeCount: 3,
    totalCoreCount: 6,
    lastConnectivityTime: world.now().toISOString(),
    provisioningState: 'Succeeded',
  });
  const apim = BLOG.apim.name;
  world.addService({
    subscriptionId: BLOG.subscriptionId,
    resourceGroup: BLOG.apim.resourceGroup,
    name: apim,
    location: BLOG.location,
    sku: { name: 'Developer', capacity: 1 },
    publisherEmail: 'admin@example.com',
    publisherName: 'Cloud With Chris',
    // The author enabled Application Insights and a system-assigned identity (both show in the gateway's log).
    applicationInsights: true,
    identity: { type: 'SystemAssigned', principalId: '1b6e2f0a-8c4d-4e7b-9f3a-6d2c5b8e1a04', tenantId: BLOG.tenantId },
    localDiagnostics: true,
  });
  world.putApi(apim, {
    name: 'echo-api',
    displayName: 'Echo API',
    path: 'echo',
    protocols: ['https'],
    serviceUrl: BLOG.echoServiceUrl,
    subscriptionRequired: true,
    operations: ECHO_OPERATIONS,
  });
  world.putApi(apim, {
    name: 'dummy',
    displayName: 'Dummy',
    path: 'dummy',
    protocols: ['http', 'https'],
    serviceUrl: BLOG.echoServiceUrl,
    subscriptionRequired: false,
    operations: DUMMY_OPERATIONS,
  });
  world.putProduct(apim, {
    name: 'starter',
    displayName: 'Starter',
    description: 'Subscribers will be able to run 5 calls/minute up to a maximum of 100 calls/week.',
    subscriptionsLimit: 1,
    apis: ['echo-api'],
  });
  world.putProduct(apim, {
    name: 'unlimited',
    displayName: 'Unlimited',
    description: 'Subscribers have completely unlimited access to the API. Administrator approval is required.',
    approvalRequired: true,
    apis: ['echo-api'],
  });
  world.putSubscription(apim, { name: 'master', displayName: 'Built-in all-access subscription', scope: { kind: 'allApis' }, allowTracing: true });
  world.putSubscription(apim, { scope: { kind: 'product', product: 'starter' }, ownerId: '/users/1' });
  world.putSubscription(apim, { scope: { kind: 'product', product: 'unlimited' }, ownerId: '/users/1' });
  return world;
}
