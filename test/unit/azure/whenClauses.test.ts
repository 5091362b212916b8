// The `when` clauses of our menus, evaluated against the context values the Azure Resources explorer gives its items
// (microsoft/vscode-azureresourcegroups: DefaultAzureResourceItem / BranchDataItemWrapper join `azureResource`,
// `hasPortalUrl`, `hasProperties` and the AzExtResourceType with `;` in no guaranteed order; "group by type" headers
// carry `groupingItem;azureResourceTypeGroup;<Type>;canFocus`), and against our own tree's contextValues.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ContextValues } from '../../../src/constants.ts';
import { evaluate } from './whenClause.ts';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, MenuEntry[]> };
};
const itemMenus = manifest.contributes.menus['view/item/context'] ?? [];

/** Commands whose menu entries would show for an item in a view. */
function shown(view: string, viewItem: string): string[] {
  return itemMenus.filter((m) => m.when === undefined || evaluate(m.when, { view, viewItem })).map((m) => m.command);
}

describe('when-clause evaluator', () => {
  it('handles the operators our manifest uses', () => {
    assert.equal(evaluate('view == a && viewItem =~ /^(x|y)$/', { view: 'a', viewItem: 'y' }), true);
    assert.equal(evaluate('view == a && viewItem =~ /^(x|y)$/', { view: 'a', viewItem: 'xy' }), false);
    assert.equal(evaluate('viewItem =~ /k8s/i || !flag', { viewItem: 'K8S' }), true);
    assert.equal(evaluate('!(a && b)', { a: true, b: true }), false);
    assert.equal(evaluate("a != 'x'", { a: 'y' }), true);
    assert.equal(evaluate('false', {}), false);
    assert.equal(evaluate('resourceExtname =~ /^\\.(log|txt)$/', { resourceExtname: '.log' }), true);
    assert.equal(evaluate('x =~ /[/]a/', { x: '/a' }), true, 'a slash inside a character class does not end the regex');
  });

  it('parses every when clause in package.json', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) if (entry.when) assert.doesNotThrow(() => evaluate(entry.when ?? '', {}), `${menu}: ${entry.when}`);
    }
  });
});

describe('Azure Resources explorer menus', () => {
  const arcItems = [
    'azureResource;hasPortalUrl;hasProperties;KubernetesConnectedClusters',
    'azureResource;hasPortalUrl;KubernetesConnectedClusters',
    'KubernetesConnectedClusters;azureResource;hasProperties;hasPortalUrl',
  ];
  const apimItems = ['azureResource;hasPortalUrl;hasProperties;ApiManagementService', 'ApiManagementService;hasPortalUrl;azureResource'];

  for (const view of ['azureResourceGroups', 'azureFocusView']) {
    it(`offers Deploy APIM Gateway and Tail Gateway Logs on Arc clusters in ${view}, in any order of context values`, () => {
      for (const item of arcItems) {
        const commands = shown(view, item);
        assert.ok(commands.includes('arcApimGateway.deployGatewayToArc'), item);
        assert.ok(commands.includes('arcApimGateway.azure.tailArcGatewayLogs'), item);
        assert.ok(!commands.includes('arcApimGateway.createGateway'), item);
      }
    });

    it(`offers Create Self-Hosted Gateway and Send Test Request on APIM services in ${view}`, () => {
      for (const item of apimItems) {
        const commands = shown(view, item);
        assert.ok(commands.includes('arcApimGateway.createGateway'), item);
        assert.ok(commands.includes('arcApimGateway.sendTestRequest'), item);
        assert.ok(commands.includes('arcApimGateway.copyConfigurationEndpoint'), item);
        assert.ok(!commands.includes('arcApimGateway.deployGatewayToArc'), item);
      }
    });

    it(`offers nothing on group headers, portal-less items or other resource types in ${view}`, () => {
      for (const item of [
        'groupingItem;azureResourceTypeGroup;KubernetesConnectedClusters;canFocus',
        'groupingItem;azureResourceTypeGroup;ApiManagementService;canFocus',
        'azureResource;KubernetesConnectedClusters',
        'azureResource;hasPortalUrl;hasProperties;AksClusters',
        'azureResource;hasPortalUrl;hasProperties;KubernetesConnectedClustersExtra',
        'azureResource;hasPortalUrl;hasProperties;MyApiManagementService',
      ]) {
        assert.deepEqual(shown(view, item).filter((c) => c.startsWith('arcApimGateway.')), [], item);
      }
    });
  }

  it('matches the type case-insensitively (the explorer has shipped both spellings of some types)', () => {
    assert.ok(shown('azureResourceGroups', 'azureResource;hasPortalUrl;kubernetesconnectedclusters').includes('arcApimGateway.deployGatewayToArc'));
    assert.ok(shown('azureResourceGroups', 'azureResource;hasPortalUrl;apimanagementservice').includes('arcApimGateway.createGateway'));
  });

  it('offers nothing in other views of the Azure container', () => {
    for (const view of ['azureWorkspace', 'azureTenantsView', 'azureResourceGroupsX']) {
      assert.deepEqual(shown(view, arcItems[0] ?? ''), [], view);
    }
  });
});

describe('Gateways view menus on the Azure side', () => {
  const gateways = 'arcApimGateway.gateways';
  const expected: Record<string, string[]> = {
    [ContextValues.azureRoot]: ['arcApimGateway.refresh', 'arcApimGateway.azure.selectSubscriptions'],
    [ContextValues.azureSubscription]: ['arcApimGateway.refresh'],
    [ContextValues.azureArcGroup]: ['arcApimGateway.refresh'],
    [ContextValues.azureApimGroup]: ['arcApimGateway.refresh'],
    [ContextValues.azureArcCluster]: ['arcApimGateway.refresh', 'arcApimGateway.deployGatewayToArc', 'arcApimGateway.azure.tailArcGatewayLogs', 'arcApimGateway.azure.chooseKubeContext'],
    [ContextValues.azureGatewayExtension]: ['arcApimGateway.refresh', 'arcApimGateway.azure.tailArcGatewayLogs', 'arcApimGateway.uninstallGatewayExtension', 'arcApimGateway.rotateGatewayToken', 'arcApimGateway.updateGatewayExtension', 'arcApimGateway.checkGatewayHealth'],
    [ContextValues.azureApimService]: ['arcApimGateway.refresh', 'arcApimGateway.createGateway', 'arcApimGateway.copyConfigurationEndpoint', 'arcApimGateway.sendTestRequest'],
    [ContextValues.azureApimGateway]: [
      'arcApimGateway.refresh',
      'arcApimGateway.deployGatewayToArc',
      'arcApimGateway.copyConfigurationEndpoint',
      'arcApimGateway.generateGatewayToken',
      'arcApimGateway.rotateGatewayToken',
      'arcApimGateway.assignApis',
      'arcApimGateway.removeApis',
      'arcApimGateway.deleteGateway',
      'arcApimGateway.sendTestRequest',
      'arcApimGateway.checkGatewayHealth',
      'arcApimGateway.deployGatewayToKubernetes',
      'arcApimGateway.copyDockerRunCommand',
    ],
    [ContextValues.azureGatewayApi]: ['arcApimGateway.removeApis', 'arcApimGateway.sendTestRequest'],
    [ContextValues.azureGatewayOperation]: ['arcApimGateway.sendTestRequest'],
    [ContextValues.azureGatewayDeployment]: ['arcApimGateway.azure.tailArcGatewayLogs', 'arcApimGateway.uninstallGatewayExtension', 'arcApimGateway.rotateGatewayToken', 'arcApimGateway.updateGatewayExtension', 'arcApimGateway.checkGatewayHealth'],
    [ContextValues.azureLoadMore]: [],
    'message;info': [],
  };

  for (const [item, commands] of Object.entries(expected)) {
    it(`${item}: ${commands.length} command(s)`, () => {
      assert.deepEqual([...shown(gateways, item)].sort(), [...commands].sort());
    });
  }

  it('our tree items never trigger the explorer entries, and explorer items never trigger ours', () => {
    assert.deepEqual(shown('azureResourceGroups', ContextValues.azureArcCluster), []);
    assert.ok(!shown(gateways, 'azureResource;hasPortalUrl;KubernetesConnectedClusters').some((c) => c === 'arcApimGateway.deployGatewayToArc'));
  });

  it('every command in a menu is contributed', () => {
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) assert.ok(contributed.has(entry.command), `${menu}: ${entry.command}`);
    }
  });
});
