import * as vscode from 'vscode';
import type { OperationContract } from '@azure/arm-apimanagement';
import { Commands } from '../constants.ts';
import type { ApiFacts, Fix, GatewayFacts } from '../diagnosis/types.ts';
import { discoverGateways } from '../kubernetes/discovery.ts';
import { servicesForDeployment, type GatewayServiceInfo, type ServicePortInfo } from '../kubernetes/gateways.ts';
import { deploymentSelector } from '../kubernetes/selectors.ts';
import type { KubeDeployment, KubeList, KubeService } from '../kubernetes/types.ts';
import { TestRequestPanel, type TestRequestHandle } from '../panels/testRequestPanel.ts';
import { buildTestRequest, pickPort, retarget, templateParameters } from '../requests/build.ts';
import { CurlPodTransport } from '../requests/curlPod.ts';
import { runTestRequest } from '../requests/run.ts';
import { ServiceProxyTransport } from '../requests/serviceProxy.ts';
import type { BuiltRequest, RequestTransport, TestRequestSpec, TransportKind } from '../requests/types.ts';
import { pickApimService, pickGateway } from '../wizards/pickers.ts';
import type { PickItem, Prompter } from '../wizards/prompter.ts';
import type { CommandDefinition, CommandServices } from './types.ts';

const TITLE = 'Send Test Request';
const TIMEOUT_MS = 30_000;

interface GatewayTarget {
  context: string;
  namespace: string;
  deployment: string;
  /** A Service the user started from (a Service node). */
  service?: string;
}

/** The ARM side, when signed in and chosen: where the facts and fixes come from. */
interface ArmSide {
  serviceId: string;
  gatewayId: string;
  gatewayName: string;
  facts: GatewayFacts;
}

/**
 * "Send Test Request": from a gateway Deployment or Service node (or the palette: context → gateway), choose the API
 * and operation from ARM (or type a path), the transport, and see the answer, the gateway's record of it and why it
 * failed, with fixes that resend. Returns the view's handle (integration tests drive it).
 */
export const sendTestRequest: CommandDefinition = {
  id: Commands.sendTestRequest,
  run: async (services, arg) => {
    const prompter = services.azure.prompter.get();
    const target = targetOf(arg) ?? (await pickTarget(services, prompter));
    const client = await services.kubernetes.forContext(target.context);
    const ns = encodeURIComponent(target.namespace);
    const deployment = await client.getJson<KubeDeployment>(`/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(target.deployment)}`);
    const serviceList = await client.getJson<KubeList<KubeService>>(`/api/v1/namespaces/${ns}/services`);
    const gatewayServices = servicesForDeployment(deployment, serviceList.items ?? []);
    const service = await pickService(prompter, gatewayServices, target.service);
    const port = await pickServicePort(prompter, service.ports);
    const arm = await pickArmSide(services, prompter);
    const spec = await pickRequest(prompter, arm);
    const transportKind = await prompter.pick<TransportKind>({
      id: 'transport',
      title: TITLE,
      placeholder: 'How the request gets into the cluster',
      emptyMessage: 'No transport',
      items: [
        { label: 'Kubernetes API server service proxy', description: 'default', detail: 'Nothing is created in the cluster', value: 'service-proxy' },
        { label: 'curl pod (curlimages/curl)', detail: 'A short-lived pod calls the Service like in-cluster clients do; it is deleted afterwards', value: 'curl-pod' },
      ],
    });
    const built = buildTestRequest(spec, { namespace: service.namespace, service: service.name, port: port.port, scheme: port.scheme });
    if (!built.ok) throw new Error(built.error);
    let request: BuiltRequest = built.request;
    const transport: RequestTransport = transportKind === 'curl-pod' ? new CurlPodTransport(client) : new ServiceProxyTransport(client);
    const ports = service.ports.filter((p) => p.scheme !== undefined).map((p) => ({ port: p.port, scheme: p.scheme ?? 'http', ...(p.name ? { name: p.name } : {}) }));
    const facts = (): GatewayFacts | undefined => (arm ? { ...arm.facts, ports } : undefined);
    const log = services.log.child('testRequest');
    const panel = new TestRequestPanel(services.context.extensionUri, `Test: ${request.method} ${request.pathAndQuery}`, {
      run: (signal) => runTestRequest({ client, namespace: target.namespace, labelSelector: deploymentSelector(deployment), facts: facts(), timeoutMs: TIMEOUT_MS }, transport, request, signal),
      applyFix: async (fix, signal) => {
        const next = await applyFix(services, prompter, arm, request, service, fix, signal);
        if (next) request = next;
        return next !== undefined;
      },
    }, log);
    services.context.subscriptions.push(panel);
    log.info(`${transport.kind}: ${request.method} ${request.url}${request.subscriptionKey ? ' (with a subscription key)' : ''}`);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sending ${request.method} ${request.pathAndQuery}`, cancellable: true }, async (_p, token) => {
      const listener = token.onCancellationRequested(() => panel.dispose());
      try {
        await panel.retry();
      } finally {
        listener.dispose();
      }
    });
    return panel satisfies TestRequestHandle;
  },
};

function targetOf(arg: unknown): GatewayTarget | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { context?: unknown; namespace?: unknown; name?: unknown; service?: GatewayServiceInfo; deployment?: unknown };
  if (typeof a.context !== 'string') return undefined;
  // GatewayDeploymentNode: context, namespace, name.
  if (typeof a.namespace === 'string' && typeof a.name === 'string' && a.service === undefined) return { context: a.context, namespace: a.namespace, deployment: a.name };
  // GatewayServiceNode: its id is `<deployment node id>/service:<name>`; the Deployment is found from the Service.
  if (a.service && typeof a.service === 'object' && typeof (a as { id?: unknown }).id === 'string') {
    const m = /\/deployment:([^/]+)\/service:[^/]+$/.exec((a as { id: string }).id);
    if (m?.[1]) return { context: a.context, namespace: a.service.namespace, deployment: m[1], service: a.service.name };
  }
  if (typeof a.namespace === 'string' && typeof a.deployment === 'string') return { context: a.context, namespace: a.namespace, deployment: a.deployment };
  return undefined;
}

async function pickTarget(services: CommandServices, prompter: Prompter): Promise<GatewayTarget> {
  const summary = await services.kubeconfig.read();
  if (!summary.ok) throw new Error(summary.error);
  const context = await prompter.pick({
    id: 'kubeContext',
    title: TITLE,
    placeholder: 'The kubeconfig context of the cluster the gateway runs in',
    emptyMessage: `No contexts in the kubeconfig (${services.kubeconfig.describe()})`,
    items: summary.value.contexts.map((c) => ({ label: c.name, description: c.name === summary.value.currentContext ? 'current' : c.cluster, value: c })),
  });
  const client = await services.kubernetes.forContext(context.name);
  const items = discoverGateways(client, context.namespace).then((found) =>
    [...found.byNamespace.values()].flat().map((g) => ({ label: g.name, description: g.namespace, value: { context: context.name, namespace: g.namespace, deployment: g.name } })),
  );
  return prompter.pick({ id: 'gatewayDeployment', title: TITLE, placeholder: `Gateway Deployments in ${context.name}`, emptyMessage: `No gateway Deployment in ${context.name}`, items });
}

async function pickService(prompter: Prompter, list: readonly GatewayServiceInfo[], preferred: string | undefined): Promise<GatewayServiceInfo> {
  const chosen = list.find((s) => s.name === preferred);
  if (chosen) return chosen;
  if (list.length === 1 && list[0]) return list[0];
  return prompter.pick({ id: 'service', title: TITLE, placeholder: 'The gateway Service to call', emptyMessage: 'No Service selects this gateway’s pods: there is nothing to send to.', items: list.map((s) => ({ label: s.name, description: s.ports.map((p) => p.label).join(' · '), value: s })) });
}

async function pickServicePort(prompter: Prompter, ports: readonly ServicePortInfo[]): Promise<{ port: number; scheme: 'http' | 'https' }> {
  const usable = ports.filter((p) => p.protocol === 'TCP' && p.scheme !== undefined);
  if (usable.length <= 1) {
    const port = pickPort(ports);
    if (!port) throw new Error('The gateway Service has no port whose scheme (http / https) is known');
    return port;
  }
  return prompter.pick({ id: 'port', title: TITLE, placeholder: 'The Service port (its scheme read from the Service)', emptyMessage: 'No port', items: usable.map((p) => ({ label: `${p.port} (${p.scheme ?? ''})`, description: p.label, value: { port: p.port, scheme: p.scheme ?? 'http' } })) });
}

/** When signed in to Azure: the APIM service and gateway whose configuration this cluster's gateway runs. */
async function pickArmSide(services: CommandServices, prompter: Prompter): Promise<ArmSide | undefined> {
  const account = services.azure.account;
  if (!account.data().ok || (await account.signInState()).kind !== 'signedIn') return undefined;
  const source = await prompter.pick<'arm' | 'typed'>({
    id: 'requestSource',
    title: TITLE,
    placeholder: 'What to call',
    emptyMessage: 'Nothing to pick',
    items: [
      { label: 'An API and operation from Azure API Management', value: 'arm' },
      { label: 'A path I type', value: 'typed' },
    ],
  });
  if (source === 'typed') return undefined;
  const data = services.azure.data();
  const apim = await pickApimService(prompter, data, account, TITLE, { step: 1, totalSteps: 2 });
  const gateway = await pickGateway(prompter, data, apim.id, TITLE, { step: 2, totalSteps: 2 }, { allowNew: false });
  if (typeof gateway === 'symbol') throw new vscode.CancellationError();
  const [apis, assigned] = await Promise.all([data.listApisWithOperations(apim.id), data.listGatewayApis(gateway.id)]);
  return { serviceId: apim.id, gatewayId: gateway.id, gatewayName: gateway.name, facts: { gatewayId: gateway.name, apis: apis as ApiFacts[], assignedApiIds: assigned.map((a) => a.name) } };
}

async function pickRequest(prompter: Prompter, arm: ArmSide | undefined): Promise<TestRequestSpec> {
  if (!arm) {
    const method = await prompter.pick({ id: 'method', title: TITLE, placeholder: 'HTTP method', emptyMessage: 'No method', items: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => ({ label: m, value: m })) });
    const path = await prompter.input({ id: 'path', title: TITLE, prompt: 'Path and query as the gateway receives them (API suffix + operation)', placeholder: '/echo/resource?param1=sample', validate: (v) => (v.trim() === '' ? 'Enter a path' : /\s/.test(v.trim()) ? 'No spaces (encode them as %20)' : undefined) });
    return { method, path };
  }
  const assigned = new Set(arm.facts.assignedApiIds ?? []);
  const apis = (arm.facts.apis ?? []).filter((a) => a.api.isCurrent !== false);
  const api = await prompter.pick<ApiFacts>({
    id: 'api',
    title: TITLE,
    placeholder: `APIs of the service (assigned to ${arm.gatewayName} first)`,
    emptyMessage: 'The API Management service has no APIs',
    items: [...apis]
      .sort((a, b) => Number(assigned.has(b.api.name ?? '')) - Number(assigned.has(a.api.name ?? '')))
      .map((a): PickItem<ApiFacts> => ({ label: a.api.displayName ?? a.api.name ?? '', description: `/${a.api.path ?? ''} · ${(a.api.protocols ?? []).join(', ')}${assigned.has(a.api.name ?? '') ? '' : ' · not assigned'}`, value: a })),
  });
  const operation = await prompter.pick<OperationContract>({
    id: 'operation',
    title: TITLE,
    placeholder: 'Operation',
    emptyMessage: 'The API has no operations',
    items: (api.operations ?? []).map((o) => ({ label: `${o.method ?? ''} ${o.urlTemplate ?? ''}`, description: o.displayName, value: o })),
  });
  const templateValues: Record<string, string> = {};
  for (const name of templateParameters(operation.urlTemplate ?? '')) {
    templateValues[name] = await prompter.input({ id: `param:${name}`, title: TITLE, prompt: `Value for {${name}}`, validate: (v) => (v === '' ? `Enter a value for ${name}` : undefined) });
  }
  const query = await prompter.input({ id: 'query', title: TITLE, prompt: 'Extra query string (optional)', placeholder: 'param1=sample', validate: () => undefined });
  return {
    method: operation.method ?? 'GET',
    apiPath: api.api.path ?? '',
    urlTemplate: operation.urlTemplate ?? '/',
    templateValues,
    query: query
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const i = pair.indexOf('=');
        return i < 0 ? ([decodeURIComponent(pair), ''] as const) : ([decodeURIComponent(pair.slice(0, i)), decodeURIComponent(pair.slice(i + 1))] as const);
      }),
  };
}

/** Acts on one fix after a modal confirmation; returns the request to send next, or undefined to stay. */
async function applyFix(services: CommandServices, prompter: Prompter, arm: ArmSide | undefined, request: BuiltRequest, service: GatewayServiceInfo, fix: Fix, signal: AbortSignal): Promise<BuiltRequest | undefined> {
  switch (fix.id) {
    case 'allow-http': {
      if (!arm) throw new Error('Sign in to Azure to change the API’s protocols');
      const ok = await prompter.confirm({ id: 'allowHttp', message: `Allow HTTP on API ${fix.apiId}?`, detail: `Adds http to the API's protocols in ${arm.serviceId.split('/').pop() ?? ''}. Every gateway serving the API then accepts unencrypted calls.`, action: 'Allow HTTP' });
      if (!ok) return undefined;
      await services.azure.data().allowHttp(arm.serviceId, fix.apiId, { signal });
      const apis = await services.azure.data().listApisWithOperations(arm.serviceId, { signal });
      arm.facts = { ...arm.facts, apis };
      void vscode.window.showInformationMessage(`HTTP allowed on ${fix.apiId}. The gateway picks it up at its next configuration poll (about 10 s).`);
      return request;
    }
    case 'pick-subscription-key': {
      if (!arm) throw new Error('Sign in to Azure to pick a subscription key');
      const data = services.azure.data();
      const subscription = await prompter.pick({
        id: 'apimSubscription',
        title: TITLE,
        placeholder: `A subscription whose key opens ${fix.apiId}`,
        emptyMessage: 'The API Management service has no subscriptions',
        items: data.listApimSubscriptions(arm.serviceId, { signal }).then((list) =>
          list.filter((s) => s.state === 'active').map((s) => ({ label: s.displayName, description: `${s.scope} · ${s.name}`, value: s })),
        ),
      });
      const ok = await prompter.confirm({ id: 'useKey', message: `Send with the key of subscription ${subscription.displayName}?`, detail: 'The primary key is read from Azure and kept in memory for this view only; it is never logged or shown.', action: 'Use Key' });
      if (!ok) return undefined;
      const key = await data.getSubscriptionKey(arm.serviceId, subscription.name, { signal });
      return { ...request, subscriptionKey: key };
    }
    case 'retry-https': {
      const url = new URL(fix.url);
      const port = Number(url.port || 443);
      const ok = await prompter.confirm({ id: 'retryHttps', message: `Resend over HTTPS to port ${port}?`, detail: `Sends the same request to ${url.origin}${request.pathAndQuery}.`, action: 'Resend' });
      if (!ok) return undefined;
      if (!service.ports.some((p) => p.port === port)) throw new Error(`The Service ${service.name} has no port ${port}`);
      return retarget(request, { ...request.endpoint, port, scheme: 'https' });
    }
    default:
      void vscode.window.showInformationMessage(`${fix.label}: not available from this view yet.`);
      return undefined;
  }
}

