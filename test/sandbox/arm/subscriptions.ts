// Microsoft.Resources: the subscriptions the signed-in identity sees, its tenants, and resource groups. The extension
// lists subscriptions first (SubscriptionClient from @azure/arm-resources-subscriptions, api-version 2022-12-01).
import type { AzureSubscription } from '../world/model.ts';
import { findSubscription, requireResourceGroup, requireSubscription, resourceGroupsOf, type ArmContext } from './context.ts';
import { ArmError, type ArmRequest } from './http.ts';
import { pageOf } from './paging.ts';
import type { ApiVersionRule, Route } from './router.ts';

const SUBSCRIPTIONS: ApiVersionRule = {
  namespace: 'Microsoft.Resources',
  type: 'subscriptions',
  versions: ['2016-06-01', '2018-06-01', '2019-06-01', '2019-11-01', '2020-01-01', '2021-01-01', '2022-01-01', '2022-09-01', '2022-12-01'],
};
const RESOURCE_GROUPS: ApiVersionRule = {
  namespace: 'Microsoft.Resources',
  type: 'resourceGroups',
  versions: ['2019-10-01', '2020-06-01', '2021-04-01', '2022-09-01', '2023-07-01', '2024-03-01'],
};

function subscriptionJson(s: AzureSubscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: s.state,
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'MSDN_2014-09-01', spendingLimit: 'Off' },
  };
}

export function subscriptionRoutes(ctx: ArmContext): Route[] {
  const list = (request: ArmRequest) => {
    const all = [...ctx.world.azureSubscriptions.values()].map(subscriptionJson);
    const page = pageOf(request, all, ctx.pageSize());
    return { status: 200, body: { ...page, count: { type: 'Total', value: all.length } } };
  };
  return [
    { methods: ['GET'], pattern: '/subscriptions', apiVersions: SUBSCRIPTIONS, handler: list },
    {
      methods: ['GET'],
      pattern: '/subscriptions/{subscriptionId}',
      apiVersions: SUBSCRIPTIONS,
      handler: (request) => {
        const s = findSubscription(ctx.world, request.params['subscriptionId'] ?? '');
        if (!s) throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${request.params['subscriptionId']}' could not be found.`);
        return { status: 200, body: subscriptionJson(s) };
      },
    },
    {
      methods: ['GET'],
      pattern: '/tenants',
      apiVersions: { ...SUBSCRIPTIONS, type: 'tenants' },
      handler: (request) => {
        const tenants = [...new Set([...ctx.world.azureSubscriptions.values()].map((s) => s.tenantId))];
        // The world knows tenant ids only; names and domains are left out rather than invented.
        const items = tenants.map((tenantId) => ({ id: `/tenants/${tenantId}`, tenantId, tenantCategory: 'Home' }));
        return { status: 200, body: pageOf(request, items, ctx.pageSize()) };
      },
    },
    {
      methods: ['GET'],
      pattern: '/subscriptions/{subscriptionId}/resourcegroups',
      apiVersions: RESOURCE_GROUPS,
      handler: (request) => {
        const sub = requireSubscription(ctx.world, request.params['subscriptionId'] ?? '');
        const groups = [...resourceGroupsOf(ctx.world, sub.subscriptionId).values()].map((g) => resourceGroupJson(sub.subscriptionId, g));
        return { status: 200, body: pageOf(request, groups, ctx.pageSize()) };
      },
    },
    {
      methods: ['GET', 'HEAD'],
      pattern: '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}',
      apiVersions: RESOURCE_GROUPS,
      handler: (request) => {
        const sub = requireSubscription(ctx.world, request.params['subscriptionId'] ?? '');
        const group = requireResourceGroup(ctx.world, sub.subscriptionId, request.params['resourceGroupName'] ?? '');
        return { status: request.method === 'HEAD' ? 204 : 200, body: resourceGroupJson(sub.subscriptionId, group) };
      },
    },
  ];
}

function resourceGroupJson(subscriptionId: string, group: { name: string; location: string }): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${group.name}`,
    name: group.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: group.location,
    properties: { provisioningState: 'Succeeded' },
  };
}
