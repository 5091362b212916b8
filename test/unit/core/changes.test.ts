// One change-event mechanism (src/changes.ts): the bus, what each change touches in the tree
// (src/tree/changeTargets.ts), and the rule that makes it impossible to forget — every command and every fix that
// writes to ARM or a cluster declares the kinds of change it fires and fires them; nothing else refreshes the tree.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CHANGE_KINDS, ChangeBus, describeChange, type Change, type ChangeKind } from '../../../src/changes.ts';
import type { Fix, FixId } from '../../../src/diagnosis/types.ts';
import { applyFix, FIX_KINDS, type FixScope } from '../../../src/requests/fixes/index.ts';
import type { FixOf } from '../../../src/requests/fixes/types.ts';
import type { Prompter } from '../../../src/wizards/prompter.ts';
import { changeTargets } from '../../../src/tree/changeTargets.ts';
import { form, recordingScope } from '../requests/fixes/scope.ts';

const SUB = '7a3f9c2e-51b4-4d8a-b6e0-2c9d1f4a8e57';
const SERVICE = `/subscriptions/${SUB}/resourceGroups/rb-aks-rg/providers/Microsoft.ApiManagement/service/rb-azure-apim`;
const GATEWAY = `${SERVICE}/gateways/rb-arc-gateway`;
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/rb-arc-rg/providers/Microsoft.Kubernetes/connectedClusters/rb-arc-aks`;
const EXTENSION = `${CLUSTER}/providers/Microsoft.KubernetesConfiguration/extensions/rb-arc-aks-apimgw`;
const lower = (...ids: string[]): string[] => ids.map((i) => i.toLowerCase()).sort();

describe('the change bus', () => {
  it('delivers each change to every listener, in order, until disposed', () => {
    const bus = new ChangeBus();
    const heard: string[] = [];
    const a = bus.onDidChange((c) => heard.push(`a ${c.kind}`));
    bus.onDidChange((c) => heard.push(`b ${c.kind}`));
    bus.fire({ kind: 'gatewayCreated', gatewayId: GATEWAY });
    a.dispose();
    bus.fire({ kind: 'gatewayDeleted', gatewayId: GATEWAY });
    assert.deepEqual(heard, ['a gatewayCreated', 'b gatewayCreated', 'b gatewayDeleted']);
    bus.dispose();
    assert.equal(bus.listenerCount, 0);
  });

  it('a listener that throws is reported, and the others still hear the change', () => {
    const errors: string[] = [];
    const bus = new ChangeBus((error, change) => errors.push(`${change.kind}: ${(error as Error).message}`));
    const heard: ChangeKind[] = [];
    bus.onDidChange(() => {
      throw new Error('boom');
    });
    bus.onDidChange((c) => heard.push(c.kind));
    bus.fire({ kind: 'apisAssigned', gatewayId: GATEWAY, apis: ['echo-api'] });
    assert.deepEqual(heard, ['apisAssigned']);
    assert.deepEqual(errors, ['apisAssigned: boom']);
  });

  it('the same function subscribed twice is two subscriptions, each disposed on its own', () => {
    const bus = new ChangeBus();
    let count = 0;
    const listener = (): void => void count++;
    const first = bus.onDidChange(listener);
    bus.onDidChange(listener);
    first.dispose();
    bus.fire({ kind: 'kubeContextChosen', clusterId: CLUSTER });
    assert.equal(count, 1);
  });

  it('describes a change by its ids for the log', () => {
    assert.equal(describeChange({ kind: 'apiProtocolsChanged', serviceId: SERVICE, api: 'echo-api' }), `apiProtocolsChanged {"serviceId":"${SERVICE}","api":"echo-api"}`);
  });
});

describe('what a change touches in the tree', () => {
  it('a created or deleted gateway: its service\'s list and the gateway', () => {
    const t = changeTargets({ kind: 'gatewayCreated', gatewayId: GATEWAY });
    assert.deepEqual([...t.armIds].sort(), lower(SERVICE, GATEWAY));
    assert.deepEqual(t.kube, []);
  });

  it('an uninstalled extension: the cluster, the extension, the gateways that list it, and its cluster\'s context', () => {
    const t = changeTargets({ kind: 'extensionUninstalled', extensionId: EXTENSION });
    assert.deepEqual([...t.armIds].sort(), lower(CLUSTER, EXTENSION));
    assert.deepEqual([...t.extensions], lower(EXTENSION));
    assert.deepEqual(t.clusters, [{ id: CLUSTER, name: 'rb-arc-aks' }]);
  });

  it('a deployed extension also reloads its gateway and service (the wizard may have created the gateway)', () => {
    const kube = { context: 'rb-arc-aks', namespace: 'apim', deployment: 'rb-arc-aks-apimgw' };
    const t = changeTargets({ kind: 'extensionDeployed', extensionId: EXTENSION, gatewayId: GATEWAY, kube });
    assert.deepEqual([...t.armIds].sort(), lower(CLUSTER, EXTENSION, GATEWAY, SERVICE));
    assert.deepEqual(t.kube, [kube]);
  });

  it('Allow HTTP: every gateway of the service (the API\'s protocols show under each gateway serving it)', () => {
    const t = changeTargets({ kind: 'apiProtocolsChanged', serviceId: SERVICE, api: 'echo-api' });
    assert.deepEqual([...t.gatewaysOfServices], lower(SERVICE));
    assert.equal(t.armIds.size, 0);
  });

  it('a rotation: the gateway, the extension and its cluster, and the Deployment in its context', () => {
    const kube = { context: 'rb-arc-aks', namespace: 'apim', deployment: 'rb-arc-aks-apimgw' };
    const t = changeTargets({ kind: 'tokenRotated', gatewayId: GATEWAY, extensionId: EXTENSION, kube });
    assert.deepEqual([...t.armIds].sort(), lower(CLUSTER, EXTENSION, GATEWAY));
    assert.deepEqual(t.kube, [kube]);
  });

  it('every kind touches something', () => {
    const kube = { context: 'c', namespace: 'n' };
    const samples: { [K in ChangeKind]: Extract<Change, { kind: K }> } = {
      gatewayCreated: { kind: 'gatewayCreated', gatewayId: GATEWAY },
      gatewayDeleted: { kind: 'gatewayDeleted', gatewayId: GATEWAY },
      extensionDeployed: { kind: 'extensionDeployed', extensionId: EXTENSION },
      extensionUpdated: { kind: 'extensionUpdated', extensionId: EXTENSION },
      extensionUninstalled: { kind: 'extensionUninstalled', extensionId: EXTENSION },
      kubernetesDeployed: { kind: 'kubernetesDeployed', kube },
      kubernetesUninstalled: { kind: 'kubernetesUninstalled', kube },
      apisAssigned: { kind: 'apisAssigned', gatewayId: GATEWAY, apis: ['a'] },
      apisRemoved: { kind: 'apisRemoved', gatewayId: GATEWAY, apis: ['a'] },
      apiProtocolsChanged: { kind: 'apiProtocolsChanged', serviceId: SERVICE, api: 'a' },
      tokenRotated: { kind: 'tokenRotated', kube },
      kubeContextChosen: { kind: 'kubeContextChosen', clusterId: CLUSTER },
    };
    assert.deepEqual(Object.keys(samples).sort(), [...CHANGE_KINDS].sort());
    for (const change of Object.values(samples)) {
      const t = changeTargets(change);
      assert.ok(t.armIds.size + t.gatewaysOfServices.size + t.extensions.size + t.clusters.length + t.kube.length > 0, change.kind);
    }
  });
});

// ---- The rule, over the sources of the commands (they import `vscode`, so they are read, not run) ----

const SRC = path.resolve(import.meta.dirname, '../../../src');
/** Calls that change ARM or a cluster (src/azure/armService.ts, src/kubernetes): whoever reaches one provisions. */
const WRITES = /\.(?:createGateway|deleteGateway|assignApi|unassignApi|allowHttp|installGatewayExtension|uninstallClusterExtension|updateClusterExtension)\(|\b(?:applyManifests|deleteManifests|writeToken|rolloutRestart|rotateToken)\(/;
/** Where a command's own work lives (other folders are reached through these). */
const CLOSURE_DIRS = ['commands', 'wizards', 'rotation'].map((d) => path.join(SRC, d) + path.sep);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

const source = (file: string): string => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** The command file and what it imports (value imports) in commands/, wizards/ and rotation/, other commands excluded. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  seen.add(file);
  for (const m of source(file).matchAll(/^import\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gm)) {
    const target = path.resolve(path.dirname(file), m[1] ?? '');
    if (seen.has(target) || !CLOSURE_DIRS.some((d) => target.startsWith(d))) continue;
    if (target.startsWith(path.join(SRC, 'commands')) && /defineCommand\(/.test(source(target))) continue;
    closure(target, seen);
  }
  return seen;
}

const commandFiles = filesUnder(path.join(SRC, 'commands')).filter((f) => /defineCommand\(\{/.test(source(f)));

describe('every provisioning command fires its change', () => {
  it('finds the commands', () => {
    assert.ok(commandFiles.length >= 20, `${commandFiles.length} command files`);
  });

  for (const file of commandFiles) {
    const name = path.relative(SRC, file);
    it(name, () => {
      const text = source(file);
      const declared = /\bchanges:\s*\[([^\]]*)\]/.exec(text);
      assert.ok(declared, `${name} declares no changes: [...]`);
      const kinds = [...(declared[1] ?? '').matchAll(/'(\w+)'/g)].map((m) => m[1] ?? '');
      for (const kind of kinds) assert.ok((CHANGE_KINDS as readonly string[]).includes(kind), `${name}: unknown kind ${kind}`);
      const files = [...closure(file)];
      const writing = files.filter((f) => WRITES.test(source(f))).map((f) => path.relative(SRC, f));
      if (writing.length > 0) assert.ok(kinds.length > 0, `${name} writes to ARM or a cluster (${writing.join(', ')}) but declares changes: []`);
      // What it declares, it fires — through services.changes, in the command or a helper of its own folder.
      const own = files.filter((f) => f.startsWith(path.join(SRC, 'commands'))).map(source);
      for (const kind of kinds) {
        assert.ok(own.some((t) => /\bchanges\.fire\(/.test(t) && t.replace(declared[0], '').includes(`'${kind}'`)), `${name} declares ${kind} but never fires it`);
      }
      if (kinds.length === 0) assert.ok(!own.some((t) => /\bchanges\.fire\(/.test(t)), `${name} fires a change it does not declare`);
    });
  }

  it('nothing refreshes the tree by hand after an action (the change does)', () => {
    const offenders = ['commands', 'wizards', 'requests', 'composition', 'rotation']
      .flatMap((d) => filesUnder(path.join(SRC, d)))
      // The Refresh command itself; and the Azure root reloading when the account changes (sign-in, cloud,
      // subscriptions), which is not an action on a resource.
      .filter((f) => !f.endsWith(`commands${path.sep}refresh.ts`) && !f.endsWith(`composition${path.sep}azureSide.ts`))
      .filter((f) => /\btree(?:\(\))?\.refresh\(|\brefreshResources\(/.test(source(f)))
      .map((f) => path.relative(SRC, f));
    assert.deepEqual(offenders, []);
  });
});

// ---- The rule, run: every fix kind applied against an ARM that records what was called ----

const BINDING = { serviceId: SERVICE, gatewayId: GATEWAY, gatewayName: 'rb-arc-gateway' };
const samples: { [Id in FixId]: FixOf<Id> } = {
  'allow-http': { id: 'allow-http', label: 'Allow HTTP', apiId: 'echo-api' },
  'assign-api': { id: 'assign-api', label: 'Assign', apiId: 'echo-api', gatewayId: GATEWAY },
  'pick-subscription-key': { id: 'pick-subscription-key', label: 'Key', apiId: 'echo-api' },
  'retry-https': { id: 'retry-https', label: 'Resend over HTTPS', url: 'https://gw-svc.apim:5001/echo/resource' },
  'open-token-wizard': { id: 'open-token-wizard', label: 'New token', gatewayId: 'rb-arc-gateway' },
  'add-version': { id: 'add-version', label: 'v2', apiId: 'echo-v2', versionSetId: 'set', version: 'v2', scheme: 'Segment', url: 'http://gw-svc.apim:5000/echo/v2/resource' },
  'use-revision': { id: 'use-revision', label: 'rev 2', apiId: 'echo-api', revision: '2', url: 'http://gw-svc.apim:5000/echo;rev=2/resource' },
};

/** A scope whose ARM records every call (reads start with list/get) and fails the writes when told to. */
function armScope(failWrites: boolean): { scope: FixScope; writes: string[]; changes: Change[]; audit: string[] } {
  const writes: string[] = [];
  const changes: Change[] = [];
  const audit: string[] = [];
  const data = new Proxy({}, {
    get: (_t, method: string) => (...args: unknown[]) => {
      if (/^(list|get)/.test(method)) return Promise.resolve([]);
      writes.push(`${method}(${args.filter((a) => typeof a === 'string').join(', ')})`);
      return failWrites ? Promise.reject(new Error('ARM said no')) : Promise.resolve(undefined);
    },
  });
  const prompter = {
    pick: (o: { items: unknown }) => Promise.resolve(o.items).then((items) => {
      const first = (items as Array<{ value: unknown }>)[0];
      if (!first) throw new Error('nothing to pick');
      return first.value;
    }),
    confirm: () => Promise.resolve(true),
  } as unknown as Prompter;
  const { scope } = recordingScope(true, { binding: BINDING, prompter, data: () => data as never, changed: (c) => changes.push(c), audit: (l) => audit.push(l) });
  return { scope, writes, changes, audit };
}

describe('every fix that writes fires exactly one change of a kind it declares', () => {
  const signal = new AbortController().signal;
  for (const [id, kind] of Object.entries(FIX_KINDS)) {
    it(id, async () => {
      const { scope, writes, changes } = armScope(false);
      await applyFix(samples[id as FixId] as Fix, form, scope, signal).catch(() => undefined);
      if (writes.length === 0) {
        assert.deepEqual(changes, [], `${id} changed nothing but fired ${changes.map((c) => c.kind).join(', ')}`);
        return;
      }
      assert.equal(changes.length, 1, `${id} wrote ${writes.join(', ')}: one change expected, fired ${changes.length}`);
      assert.ok(kind.changes.includes(changes[0]!.kind), `${id} fired ${changes[0]!.kind}, declares ${kind.changes.join(', ')}`);
    });
  }

  it('a write ARM refused fires nothing, and the log says it failed with the equivalent command', async () => {
    for (const id of ['allow-http', 'assign-api'] as const) {
      const { scope, writes, changes, audit } = armScope(true);
      await assert.rejects(applyFix(samples[id], form, scope, signal), /ARM said no/);
      assert.equal(writes.length, 1);
      assert.deepEqual(changes, []);
      assert.match(audit.join('\n'), /^\$ az .* {2}→ failed: ARM said no$/m);
    }
  });

  it('Allow HTTP and Assign API log their equivalent az command and outcome', async () => {
    const allow = armScope(false);
    await applyFix(samples['allow-http'], form, allow.scope, signal);
    assert.deepEqual(allow.audit, ['$ az apim api update --resource-group rb-aks-rg --service-name rb-azure-apim --api-id echo-api --protocols http https  → done']);
    assert.deepEqual(allow.changes, [{ kind: 'apiProtocolsChanged', serviceId: SERVICE, api: 'echo-api' }]);
    const assign = armScope(false);
    await applyFix(samples['assign-api'], form, assign.scope, signal);
    assert.deepEqual(assign.audit, [`$ az rest --method put --url '${GATEWAY}/apis/echo-api?api-version=2024-05-01'  → assigned`]);
  });
});
