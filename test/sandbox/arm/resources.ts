// Microsoft.Resources generic resource list: `GET /subscriptions/{s}/resources` and
// `/subscriptions/{s}/resourceGroups/{rg}/resources` (Resources_List / Resources_ListByResourceGroup). This is what
// the Azure Resources explorer (ms-azuretools.vscode-azureresourcegroups, @azure/arm-resources 5.x, api-version
// 2021-04-01) builds its tree from. As ARM does, it lists only top-level tracked resources — here the world's Arc
// clusters and APIM services — in the generic shape (id, name, type, location as a normalised region name, tags,
// sku/identity where the resource has them), without `properties`. Child resources (APIM gateways, APIs…) and
// extension resources (Arc cluster extensions) are not in this list on Azure either.
import type { ApimService, ArcCluster } from '../world/model.ts';
import { arcClusterResourceId, serviceResourceId } from '../world/ids.ts';
import { principalId } from './arc.ts';
import { findSubscription, requireSubscription, type ArmContext } from './context.ts';
import { ArmError, isRecord, type ArmRequest, type ArmResponse } from './http.ts';
import type { ApiVersionRule, Route } from './router.ts';

const RESOURCES: ApiVersionRule = {
  namespace: 'Microsoft.Resources',
  type: 'resources',
  versions: ['2019-10-01', '2020-06-01', '2021-04-01', '2022-09-01', '2023-07-01', '2024-03-01'],
};

/** One generic resource (GenericResourceExpanded) plus what `$filter` matches on but ARM does not return. */
interface Listed {
  json: Record<string, unknown>;
  resourceGroup: string;
  provisioningState: string;
}

/** ARM's generic list writes the normalised region name (`westeurope`), even for providers that store a display name. */
function regionName(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}

function clusterItem(ctx: ArmContext, cluster: ArcCluster): Listed {
  const tenantId = findSubscription(ctx.world, cluster.subscriptionId)?.tenantId;
  return {
    json: {
      id: arcClusterResourceId(cluster),
      name: cluster.name,
      type: 'Microsoft.Kubernetes/connectedClusters',
      location: regionName(cluster.location),
      identity: { type: 'SystemAssigned', principalId: principalId(cluster), ...(tenantId ? { tenantId } : {}) },
      tags: {},
    },
    resourceGroup: cluster.resourceGroup,
    provisioningState: cluster.provisioningState,
  };
}

function serviceItem(service: ApimService): Listed {
  return {
    json: {
      id: serviceResourceId(service),
      name: service.name,
      type: 'Microsoft.ApiManagement/service',
      sku: { ...service.sku },
      ...(service.identity.type === 'None' ? {} : { identity: { ...service.identity } }),
      location: regionName(service.location),
      tags: {},
    },
    resourceGroup: service.resourceGroup,
    provisioningState: 'Succeeded',
  };
}

export function resourceListRoutes(ctx: ArmContext): Route[] {
  const list = (request: ArmRequest): ArmResponse => {
    const sub = requireSubscription(ctx.world, request.params['subscriptionId'] ?? '').subscriptionId.toLowerCase();
    const group = request.params['resourceGroupName']?.toLowerCase();
    const inScope = (s: { subscriptionId: string; resourceGroup: string }): boolean =>
      s.subscriptionId.toLowerCase() === sub && (group === undefined || s.resourceGroup.toLowerCase() === group);
    const all = [
      ...[...ctx.world.arcClusters.values()].filter(inScope).map((c) => clusterItem(ctx, c)),
      ...[...ctx.world.services.values()].filter(inScope).map(serviceItem),
    ].sort((a, b) => String(a.json['id']).toLowerCase().localeCompare(String(b.json['id']).toLowerCase()));
    const filter = parseFilter(request.query.get('$filter'));
    const expand = parseExpand(request.query.get('$expand'));
    const matching = all.filter((item) => filter.matches(item)).map((item) => {
      const json = { ...item.json };
      // "When you filter by a tag name, the tags for each resource are not returned in the results."
      if (filter.byTag) delete json['tags'];
      if (expand.has('provisioningstate')) json['provisioningState'] = item.provisioningState;
      return json;
    });
    return { status: 200, body: page(request, matching, ctx.pageSize()) };
  };
  return [
    { methods: ['GET'], pattern: '/subscriptions/{subscriptionId}/resources', apiVersions: RESOURCES, handler: list },
    { methods: ['GET'], pattern: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/resources', apiVersions: RESOURCES, handler: list },
  ];
}

// ---- paging: `$top` and ARM's opaque `$skiptoken` ------------------------------------------------------------------

function page(request: ArmRequest, items: Record<string, unknown>[], pageSize: number): { value: Record<string, unknown>[]; nextLink?: string } {
  const topText = request.query.get('$top');
  const top = topText === null ? undefined : Number(topText);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) {
    throw new ArmError(400, 'InvalidTopInQueryString', `The value '${topText}' of the query parameter '$top' is not valid: it must be a positive integer.`);
  }
  const offset = skipOffset(request);
  const size = top ?? pageSize;
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value };
  const next = new URLSearchParams();
  for (const [key, v] of request.query) if (key.toLowerCase() !== '$skiptoken') next.append(key, v);
  next.set('$skiptoken', Buffer.from(JSON.stringify({ offset: offset + size }), 'utf8').toString('base64url'));
  return { value, nextLink: `${request.baseUrl}${request.rawPath}?${next.toString()}` };
}

function skipOffset(request: ArmRequest): number {
  let token: string | undefined;
  for (const [key, v] of request.query) if (key.toLowerCase() === '$skiptoken') token = v;
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (isRecord(parsed) && Number.isInteger(parsed['offset']) && (parsed['offset'] as number) >= 0) return parsed['offset'] as number;
  } catch {
    // Falls through: a token this server did not issue.
  }
  throw new ArmError(400, 'InvalidSkipToken', 'The skip token is not valid.');
}

function parseExpand(text: string | null): Set<string> {
  const known = new Set(['createdtime', 'changedtime', 'provisioningstate']);
  const fields = new Set((text ?? '').split(',').map((f) => f.trim().toLowerCase()).filter((f) => f !== ''));
  for (const f of fields) {
    if (!known.has(f)) throw new ArmError(400, 'InvalidExpandQueryString', `The '$expand' value '${f}' is not valid. Supported values: createdTime, changedTime, provisioningState.`);
  }
  return fields;
}

// ---- $filter: the clauses Resources_List documents --------------------------------------------------------------
// `resourceType eq 'T'`, `name eq`, `location eq`, `resourceGroup eq`, `substringof('x', name)`, `tagName eq` (with
// `tagValue eq`), `startswith(tagName, 'x')`, joined with `and` / `or`. Values compare case-insensitively, as ARM's do.

interface Filter {
  matches(item: Listed): boolean;
  byTag: boolean;
}

type Clause = (item: Listed) => boolean;

export function parseFilter(text: string | null): Filter {
  if (text === null || text.trim() === '') return { matches: () => true, byTag: false };
  const invalid = (): ArmError => new ArmError(400, 'InvalidFilterInQueryString', `Invalid $filter '${text}' specified in the query string.`);
  const tokens = text.match(/'(?:[^']|'')*'|\(|\)|,|[^\s(),']+/g) ?? [];
  let pos = 0;
  let byTag = false;
  const literal = (): string => {
    const t = tokens[pos++];
    if (t === undefined || !/^'.*'$/s.test(t)) throw invalid();
    return t.slice(1, -1).replace(/''/g, "'").toLowerCase();
  };
  const expect = (word: string): void => {
    if (tokens[pos++]?.toLowerCase() !== word) throw invalid();
  };
  const tagEntries = (item: Listed): Array<[string, string]> =>
    Object.entries(isRecord(item.json['tags']) ? item.json['tags'] : {}).map(([k, v]) => [k.toLowerCase(), String(v).toLowerCase()]);
  const clause = (): Clause => {
    const head = tokens[pos++]?.toLowerCase();
    if (head === 'substringof') {
      expect('(');
      const needle = literal();
      expect(',');
      expect('name');
      expect(')');
      return (item) => String(item.json['name']).toLowerCase().includes(needle);
    }
    if (head === 'startswith') {
      expect('(');
      expect('tagname');
      expect(',');
      const prefix = literal();
      expect(')');
      byTag = true;
      return (item) => tagEntries(item).some(([k]) => k.startsWith(prefix));
    }
    expect('eq');
    const value = literal();
    switch (head) {
      case 'resourcetype':
        return (item) => String(item.json['type']).toLowerCase() === value;
      case 'name':
        return (item) => String(item.json['name']).toLowerCase() === value;
      case 'location':
        return (item) => String(item.json['location']).toLowerCase() === value;
      case 'resourcegroup':
        return (item) => item.resourceGroup.toLowerCase() === value;
      case 'tagname':
        byTag = true;
        return (item) => tagEntries(item).some(([k]) => k === value);
      case 'tagvalue':
        return (item) => tagEntries(item).some(([, v]) => v === value);
      default:
        throw invalid();
    }
  };
  const conjunction = (): Clause => {
    const parts = [clause()];
    while (tokens[pos]?.toLowerCase() === 'and') {
      pos++;
      parts.push(clause());
    }
    return (item) => parts.every((p) => p(item));
  };
  const alternatives = [conjunction()];
  while (tokens[pos]?.toLowerCase() === 'or') {
    pos++;
    alternatives.push(conjunction());
  }
  if (pos !== tokens.length) throw invalid();
  return { matches: (item) => alternatives.some((a) => a(item)), byTag };
}
