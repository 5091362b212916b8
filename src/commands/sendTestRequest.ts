import * as vscode from 'vscode';
import { parseApimGatewayId, parseApimServiceId } from '../azure/armIds.ts';
import { armIdOf } from '../azure/explorerItems.ts';
import type { DeploymentRef, GatewayBinding } from '../azure/records.ts';
import { Commands } from '../constants.ts';
import type { FormService, TestRequestForm, TestRequestFormContext } from '../contract/testRequest.ts';
import type { Fix, GatewayFacts } from '../diagnosis/types.ts';
import { discoverGateways } from '../kubernetes/discovery.ts';
import { servicesForDeployment } from '../kubernetes/gateways.ts';
import { readTokenFacts } from '../kubernetes/gatewayToken.ts';
import { deploymentSelector } from '../kubernetes/selectors.ts';
import type { KubeDeployment, KubeList, KubeService } from '../kubernetes/types.ts';
import { InvalidFormError, type FixOutcome, type TestRequestDriver, type TestRequestHandle } from '../panels/testRequestPanel.ts';
import { CurlPodTransport } from '../requests/curlPod.ts';
import { DirectUrlTransport } from '../requests/direct.ts';
import { defaultForm, findApi, formApis, formToRequest, subscriptionsFor } from '../requests/form.ts';
import { runTestRequest } from '../requests/run.ts';
import { ServiceProxyTransport } from '../requests/serviceProxy.ts';
import type { RequestTransport } from '../requests/types.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { pickGateway } from '../wizards/pickers.ts';
import type { Prompter } from '../wizards/prompter.ts';
import { armGatewayFor } from './armGateway.ts';
import type { CommandDefinition, CommandServices } from './types.ts';

const TITLE = 'Send Test Request';
const TIMEOUT_MS = 30_000;

/** Where the command was started, and what the form should show first. */
interface Start {
  target?: DeploymentRef;
  /** A Service node: that Service first. */
  service?: string;
  /** An APIM gateway (or one of its APIs) in the Azure tree. */
  binding?: GatewayBinding;
  /** An APIM service: its gateway is picked first. */
  serviceId?: string;
  prefill: Partial<TestRequestForm>;
}

/**
 * "Send Test Request": opens (or shows) the Test Request view of a gateway Deployment — from its Deployment or Service
 * node, an APIM gateway or API node, or the palette (context → gateway). The view's form knows the gateway's Services
 * and, from ARM, its APIs, operations and subscriptions; Send goes through the transport chosen there, finds the
 * gateway's record, says why it failed and offers fixes. Returns the view's handle (integration tests drive it).
 */
export const sendTestRequest: CommandDefinition = {
  id: Commands.sendTestRequest,
  run: async (services, arg) => {
    const prompter = services.azure.prompter.get();
    const start = startOf(arg);
    if (start.serviceId && !start.binding) {
      // An API Management service (our tree or the Azure Resources explorer): which of its gateways.
      const gateway = await pickGateway(prompter, services.azure.data(), start.serviceId, TITLE, { step: 1, totalSteps: 1 }, { allowNew: false });
      if (typeof gateway !== 'symbol') start.binding = { serviceId: gateway.serviceId, gatewayId: gateway.id, gatewayName: gateway.name };
    }
    const target = start.target ?? (start.binding ? boundTarget(services, start.binding) : undefined) ?? (await pickTarget(services, prompter));
    const key = `${target.context}/${target.namespace}/${target.deployment}`;
    const open = services.testRequests.get(key);
    if (open) {
      if (Object.keys(start.prefill).length) open.setForm(defaultForm(open.context, { ...open.form, ...start.prefill }));
      open.reveal();
      return open satisfies TestRequestHandle;
    }
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${TITLE}: reading ${target.deployment}…`, cancellable: true }, async (_progress, token) => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      try {
        return await openView(services, prompter, target, start, abort.signal);
      } finally {
        listener.dispose();
      }
    });
  },
};

async function openView(services: CommandServices, prompter: Prompter, target: DeploymentRef, start: Start, signal: AbortSignal): Promise<TestRequestHandle> {
  const client = await services.kubernetes.forContext(target.context);
  const ns = encodeURIComponent(target.namespace);
  const [deployment, serviceList] = await Promise.all([
    client.getJson<KubeDeployment>(`/apis/apps/v1/namespaces/${ns}/deployments/${encodeURIComponent(target.deployment)}`, {}, signal),
    client.getJson<KubeList<KubeService>>(`/api/v1/namespaces/${ns}/services`, {}, signal),
  ]);
  const formServices: FormService[] = servicesForDeployment(deployment, serviceList.items ?? []).map((s) => ({
    name: s.name,
    type: s.type,
    external: [...s.external],
    ports: s.ports.filter((p) => p.protocol === 'TCP').map((p) => ({ port: p.port, label: p.label, ...(p.scheme ? { scheme: p.scheme } : {}) })),
  }));
  // A Service node: its Service first.
  if (start.service) formServices.sort((a, b) => Number(b.name === start.service) - Number(a.name === start.service));
  if (start.binding) await services.azure.records.setGatewayFor(target, start.binding);
  let binding: GatewayBinding | undefined;
  let armNote: string | undefined;
  try {
    binding = start.binding ?? (await armGatewayFor(services, prompter, target, { ask: true, title: TITLE, signal }));
    if (!binding) armNote = services.azure.account.data().ok ? 'APIs are not offered: not signed in to Azure, or no API Management gateway linked to this Deployment. Type the path.' : 'Sign in to Azure to choose an API and operation, and a subscription key.';
  } catch (error) {
    if (error instanceof vscode.CancellationError) throw error;
    armNote = `APIs could not be read from Azure (${safeErrorMessage(error)}). Type the path.`;
  }
  const armContext = async (b: GatewayBinding): Promise<TestRequestFormContext['arm']> => {
    const data = services.azure.data();
    const [facts, subscriptions] = await Promise.all([services.azure.facts.get(b, { signal }), data.listApimSubscriptions(b.serviceId, { signal })]);
    return {
      serviceName: b.serviceId.split('/').pop() ?? b.serviceId,
      gatewayName: b.gatewayName,
      apis: formApis(facts.apis ?? [], facts.assignedApiIds),
      subscriptions: subscriptions.filter((s) => s.state === 'active').map((s) => ({ name: s.name, displayName: s.displayName, scope: s.scope })),
    };
  };
  let arm: TestRequestFormContext['arm'];
  if (binding) {
    try {
      arm = await armContext(binding);
    } catch (error) {
      if (signal.aborted) throw new vscode.CancellationError();
      armNote = `APIs could not be read from Azure (${safeErrorMessage(error)}). Type the path.`;
      binding = undefined;
    }
  }
  const context: TestRequestFormContext = { gateway: target, services: formServices, ...(arm ? { arm } : {}), ...(armNote ? { armNote } : {}) };
  const form = defaultForm(context, start.prefill);
  const log = services.log.child('testRequest');
  const keys = new Map<string, string>();
  let current: TestRequestFormContext = context;

  const keyOf = async (subscription: string, s: AbortSignal): Promise<string> => {
    const known = keys.get(subscription);
    if (known) return known;
    if (!binding) throw new InvalidFormError('subscription', 'Subscription keys come from Azure: sign in and link the gateway first');
    const value = await services.azure.data().getSubscriptionKey(binding.serviceId, subscription, { signal: s });
    keys.set(subscription, value);
    return value;
  };
  const facts = async (form: TestRequestForm, s: AbortSignal): Promise<GatewayFacts | undefined> => {
    const [base, token] = await Promise.all([
      binding
        ? services.azure.facts.get(binding, { signal: s, maxAgeMs: 0 }).catch((error: unknown) => {
            log.warn(`gateway configuration not read: ${safeErrorMessage(error)}`);
            return undefined;
          })
        : undefined,
      // The token the pods actually run with (read from the cluster; only its gateway id and expiry are kept).
      readTokenFacts(client, deployment, s),
    ]);
    if (base && current.arm) {
      // What the form offers follows what ARM says now (the view picks this up after the send).
      const apis = formApis(base.apis ?? [], base.assignedApiIds);
      if (JSON.stringify(apis) !== JSON.stringify(current.arm.apis)) current = { ...current, arm: { ...current.arm, apis } };
    }
    if (!base && !token) return undefined;
    const service = current.services.find((x) => x.name === form.service);
    const ports = (service?.ports ?? []).flatMap((p) => (p.scheme ? [{ port: p.port, scheme: p.scheme }] : []));
    const tokenExpiresAt = token?.expiresAt.toISOString() ?? base?.tokenExpiresAt;
    return { ...(base ?? { gatewayId: token?.gatewayId ?? target.deployment }), ports, ...(tokenExpiresAt ? { tokenExpiresAt } : {}) };
  };
  const refreshArm = async (): Promise<TestRequestFormContext> => {
    if (!binding) return current;
    services.azure.facts.invalidate();
    current = { ...current, arm: await armContext(binding) };
    return current;
  };

  const driver: TestRequestDriver = {
    context: () => current,
    send: async (values, s, progress) => {
      const built = formToRequest(values, current);
      if (!built.ok) throw new InvalidFormError(built.field, built.error);
      const subscriptionKey = values.subscription ? await keyOf(values.subscription, s) : undefined;
      const request = { ...built.request, ...(subscriptionKey ? { subscriptionKey } : {}) };
      const transport: RequestTransport =
        values.transport === 'curl-pod' ? new CurlPodTransport(client) : values.transport === 'direct' && built.directUrl ? new DirectUrlTransport({ baseUrl: built.directUrl, insecure: values.insecure }) : new ServiceProxyTransport(client);
      log.info(`${transport.kind}: ${request.method} ${request.pathAndQuery}${subscriptionKey ? ' (with a subscription key)' : ''}`);
      // The configuration is read afresh for every send (an API may have changed in the portal since), alongside the
      // send and the record search so it adds no wait; a failed read leaves the diagnosis with less, not nothing.
      const reading = facts(values, s);
      reading.catch(() => undefined);
      return runTestRequest({ client, namespace: target.namespace, labelSelector: deploymentSelector(deployment), facts: reading, timeoutMs: TIMEOUT_MS, progress }, transport, request, s);
    },
    applyFix: (fix, values, s) => applyFix({ services, prompter, binding, context: () => current, refreshArm }, fix, values, s),
    copyKey: async (subscription) => {
      const ok = await prompter.confirm({ id: 'copyKey', message: `Copy the primary key of subscription ${subscription}?`, detail: 'The key is put on the clipboard; it is not shown, logged or kept anywhere else.', action: 'Copy Key' });
      if (!ok) throw new vscode.CancellationError();
      await vscode.env.clipboard.writeText(await keyOf(subscription, AbortSignal.timeout(TIMEOUT_MS)));
      log.info(`key of subscription ${subscription} copied to the clipboard`);
    },
  };
  const panel = services.testRequests.open({
    extensionUri: services.context.extensionUri,
    key: `${target.context}/${target.namespace}/${target.deployment}`,
    label: `${target.deployment} (${target.namespace}, ${target.context})`,
    context,
    form,
    driver,
    log,
  });
  return panel;
}

interface FixScope {
  services: CommandServices;
  prompter: Prompter;
  binding: GatewayBinding | undefined;
  context(): TestRequestFormContext;
  refreshArm(): Promise<TestRequestFormContext>;
}

/** Acts on one fix after a modal confirmation; says whether to send again, and with which values. */
async function applyFix(scope: FixScope, fix: Fix, form: TestRequestForm, signal: AbortSignal): Promise<FixOutcome> {
  const { services, prompter, binding } = scope;
  const needArm = (what: string): GatewayBinding => {
    if (!binding) throw new Error(`Sign in to Azure and link this Deployment to its API Management gateway to ${what}`);
    return binding;
  };
  switch (fix.id) {
    case 'allow-http': {
      const b = needArm('change the API’s protocols');
      const ok = await prompter.confirm({ id: 'allowHttp', message: `Allow HTTP on API ${fix.apiId}?`, detail: `Adds http to the API's protocols in ${b.serviceId.split('/').pop() ?? ''}. Every gateway serving the API then accepts unencrypted calls.`, action: 'Allow HTTP' });
      if (!ok) return { resend: false };
      await services.azure.data().allowHttp(b.serviceId, fix.apiId, { signal });
      services.log.info(`$ az apim api update --resource-group ${b.serviceId.split('/')[4] ?? ''} --service-name ${b.serviceId.split('/').pop() ?? ''} --api-id ${fix.apiId} --protocols http https  → done`);
      services.tree.refresh();
      void vscode.window.showInformationMessage(`HTTP allowed on ${fix.apiId}. The gateway picks it up at its next configuration poll (seconds).`);
      return { resend: true, context: await scope.refreshArm() };
    }
    case 'assign-api': {
      const b = needArm('assign the API');
      const apiName = fix.apiId.split(';')[0] ?? fix.apiId;
      const ok = await prompter.confirm({ id: 'assignApi', message: `Assign API ${apiName} to gateway ${b.gatewayName}?`, detail: 'Every revision of the API is then served by this gateway (and reachable by whoever can reach it).', action: 'Assign' });
      if (!ok) return { resend: false };
      await services.azure.data().assignApi(b.gatewayId, apiName, { signal });
      services.azure.refreshResources(b.gatewayId);
      void vscode.window.showInformationMessage(`${apiName} assigned to ${b.gatewayName}. The gateway picks it up at its next configuration poll (seconds).`);
      return { resend: true, context: await scope.refreshArm() };
    }
    case 'pick-subscription-key': {
      const b = needArm('pick a subscription key');
      const ctx = scope.context();
      const api = findApi(ctx, fix.apiId) ?? findApi(ctx, form.api);
      const subscription = await prompter.pick({
        id: 'apimSubscription',
        title: TITLE,
        placeholder: `A subscription whose key opens ${fix.apiId}`,
        emptyMessage: `No active subscription of ${b.serviceId.split('/').pop() ?? ''} can open ${fix.apiId}`,
        items: subscriptionsFor(ctx, api).map((s) => ({ label: s.displayName, description: `${s.scope} · ${s.name}`, value: s })),
      });
      const ok = await prompter.confirm({ id: 'useKey', message: `Send with the key of subscription ${subscription.displayName}?`, detail: 'The primary key is read from Azure and kept in memory for this view only; it is never logged or shown.', action: 'Use Key' });
      if (!ok) return { resend: false };
      return { resend: true, form: { ...form, subscription: subscription.name } };
    }
    case 'retry-https': {
      const url = new URL(fix.url);
      const port = Number(url.port || 443);
      const service = scope.context().services.find((s) => s.name === form.service);
      if (!service?.ports.some((p) => p.port === port && p.scheme === 'https')) throw new Error(`The Service ${form.service} has no https port ${port}`);
      const ok = await prompter.confirm({ id: 'retryHttps', message: `Resend over HTTPS to port ${port}?`, detail: `Sends the same request to ${url.origin}${url.pathname}${url.search}.`, action: 'Resend' });
      if (!ok) return { resend: false };
      const directUrl = form.transport === 'direct' ? form.directUrl.replace(/^http:/i, 'https:').replace(/:\d+$/, `:${port}`) : form.directUrl;
      return { resend: true, form: { ...form, port, directUrl } };
    }
    case 'open-token-wizard': {
      // Renew = rotate in place: a new token written where this Deployment reads it, the pods rolled without an outage.
      await vscode.commands.executeCommand(Commands.rotateGatewayToken, { gatewayId: binding?.gatewayId ?? fix.gatewayId, ...scope.context().gateway });
      return { resend: false };
    }
    case 'add-version':
    case 'use-revision': {
      const url = new URL(fix.url);
      const header = fix.id === 'add-version' && fix.scheme === 'Header' ? ([fix.headerName, fix.version] as const) : undefined;
      const ok = await prompter.confirm({ id: fix.id, message: `${fix.label}?`, detail: `Sends ${form.method} ${url.pathname}${url.search}${header ? ` with ${header[0]}: ${header[1]}` : ''}.`, action: 'Resend' });
      if (!ok) return { resend: false };
      const headers = header ? [...form.headers.filter(([n]) => n.toLowerCase() !== header[0].toLowerCase()), header] : form.headers;
      // The fixed URL is a path the form cannot express as API + operation: send it as a typed path.
      return { resend: true, form: { ...form, api: undefined, operation: undefined, path: `${url.pathname}${url.search}`, query: [], headers } as TestRequestForm };
    }
  }
}

function startOf(arg: unknown): Start {
  if (typeof arg !== 'object' || arg === null) {
    // An ARM id string (an APIM gateway or one of its APIs).
    return typeof arg === 'string' ? armStart(arg) : { prefill: {} };
  }
  const a = arg as { context?: unknown; namespace?: unknown; name?: unknown; service?: { namespace?: unknown; name?: unknown }; deployment?: unknown; id?: unknown; form?: unknown };
  const prefill = (typeof a.form === 'object' && a.form !== null ? a.form : {}) as Partial<TestRequestForm>;
  if (typeof a.context === 'string') {
    // GatewayServiceNode: its id is `<deployment node id>/service:<name>`; the Deployment is found from the Service.
    if (a.service && typeof a.service === 'object' && typeof a.service.namespace === 'string' && typeof a.service.name === 'string' && typeof a.id === 'string') {
      const m = /\/deployment:([^/]+)\/service:[^/]+$/.exec(a.id);
      if (m?.[1]) return { target: { context: a.context, namespace: a.service.namespace, deployment: m[1] }, service: a.service.name, prefill: { ...prefill, service: a.service.name } };
    }
    // GatewayDeploymentNode: context, namespace, name.
    if (typeof a.namespace === 'string' && typeof a.name === 'string') return { target: { context: a.context, namespace: a.namespace, deployment: a.name }, prefill };
    // A plain reference (the logs view's "send again", tests).
    if (typeof a.namespace === 'string' && typeof a.deployment === 'string') return { target: { context: a.context, namespace: a.namespace, deployment: a.deployment }, prefill };
  }
  // Our Azure tree's nodes carry `armId`; the Azure Resources explorer's items carry the resource's id.
  const armId = armIdOf(arg);
  return armId !== undefined ? { ...armStart(armId), prefill: { ...armStart(armId).prefill, ...prefill } } : { prefill };
}

function armStart(id: string): Start {
  // `…/gateways/<g>`, `…/gateways/<g>/apis/<api>` or `…/gateways/<g>/apis/<api>/operations/<op>` (tree nodes).
  const m = /^(.*\/gateways\/[^/]+?)(?:\/apis\/([^/]+)(?:\/operations\/([^/]+))?)?$/i.exec(id.trim());
  const parsed = parseApimGatewayId(m?.[1] ?? id);
  if (!m || !parsed.ok) {
    const service = parseApimServiceId(id);
    return service.ok ? { serviceId: service.value.id, prefill: {} } : { prefill: {} };
  }
  const [, , api, operation] = m;
  return {
    binding: { serviceId: parsed.value.service.id, gatewayId: parsed.value.id, gatewayName: parsed.value.name },
    prefill: { ...(api ? { api } : {}), ...(operation ? { operation } : {}) },
  };
}

/** The one Deployment known to run this APIM gateway, if exactly one is. */
function boundTarget(services: CommandServices, binding: GatewayBinding): DeploymentRef | undefined {
  const bound = services.azure.records.deploymentsBoundTo(binding.gatewayId);
  return bound.length === 1 ? bound[0] : undefined;
}

async function pickTarget(services: CommandServices, prompter: Prompter): Promise<DeploymentRef> {
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
