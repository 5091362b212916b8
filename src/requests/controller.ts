// The Test Request controller: everything behind one Test Request view. It reads the gateway's Deployment and Services
// (src/kubernetes), what ARM knows of its APIs and subscriptions, and keeps the form's context; it sends through the
// chosen transport, finds the gateway's record, gathers the diagnosis facts (diagnosisFacts.ts), diagnoses, applies
// fixes (fixes/) and holds the view's subscription keys. The panel (src/panels/testRequestPanel.ts) talks to it
// through TestRequestController; the command only resolves the target. No `vscode` import: the editor's side comes in
// through TestRequestDeps.
import type { AzureData } from '../azure/armService.ts';
import type { DeploymentRef, GatewayBinding } from '../azure/records.ts';
import type { Change } from '../changes.ts';
import type { FormService, TestRequestForm, TestRequestFormContext } from '../contract/testRequest.ts';
import type { Fix, GatewayFacts } from '../diagnosis/types.ts';
import type { Logger } from '../extensionLog.ts';
import type { KubernetesClients } from '../kubernetes/client.ts';
import { servicesForDeployment } from '../kubernetes/gateways.ts';
import { readDeploymentAndServices } from '../kubernetes/resources.ts';
import { deploymentSelector } from '../kubernetes/selectors.ts';
import { safeErrorMessage } from '../util/errors.ts';
import type { Prompter } from '../wizards/prompter.ts';
import { CurlPodTransport } from './curlPod.ts';
import type { DiagnosisFactsService } from './diagnosisFacts.ts';
import { DirectUrlTransport } from './direct.ts';
import { applyFix, type FixOutcome, type FixScope } from './fixes/index.ts';
import { defaultForm, formApis, formToRequest } from './form.ts';
import { InvalidFormError } from './invalidForm.ts';
import { runTestRequest, type RunOutcome } from './run.ts';
import { ServiceProxyTransport } from './serviceProxy.ts';
import type { RequestTransport } from './types.ts';

export const TEST_REQUEST_TITLE = 'Send Test Request';
const TIMEOUT_MS = 30_000;

/** What the Test Request view asks of its controller. */
export interface TestRequestController {
  /** One view per gateway Deployment: `context/namespace/deployment`. */
  readonly key: string;
  /** The view's title words: `gw (apim, kind-apim)`. */
  readonly label: string;
  /** What the form shows first. */
  readonly initialForm: TestRequestForm;
  /** What the form knows now (a send re-reads ARM, and the API's protocols may have changed meanwhile). */
  context(): TestRequestFormContext;
  /** Validates the values, sends, finds the record and diagnoses. Throws InvalidFormError before sending anything. */
  send(form: TestRequestForm, signal: AbortSignal, progress: (text: string) => void): Promise<RunOutcome>;
  /** Acts on a fix after asking. */
  applyFix(fix: Fix, form: TestRequestForm, signal: AbortSignal): Promise<FixOutcome>;
  /** Puts a subscription's key on the clipboard (the user asked; it is never shown). */
  copyKey(subscription: string): Promise<void>;
}

/** Where Send Test Request was started, and what the form should show first. */
export interface TestRequestStart {
  readonly target: DeploymentRef;
  /** A Service node: that Service first. */
  readonly service?: string;
  /** An APIM gateway (or one of its APIs) in the Azure tree: the Deployment runs it. */
  readonly binding?: GatewayBinding;
  readonly prefill: Partial<TestRequestForm>;
}

/** What the controller uses: given by the composition root. */
export interface TestRequestDeps {
  readonly kubernetes: KubernetesClients;
  readonly facts: DiagnosisFactsService;
  readonly log: Logger;
  prompter(): Prompter;
  readonly azure: {
    /** Whether the settings describe a usable cloud (else: "sign in" rather than "not linked"). */
    usable(): boolean;
    data(): AzureData;
    /** The gateway's configuration for the form (APIs, assignments), briefly cached. */
    readonly facts: { get(binding: GatewayBinding, options?: { signal?: AbortSignal }): Promise<{ apis?: Parameters<typeof formApis>[0]; assignedApiIds?: readonly string[] }>; invalidate(): void };
    remember(target: DeploymentRef, binding: GatewayBinding): Promise<void>;
  };
  /** Where a fix reports what it changed (src/changes.ts): the tree listens. */
  changed(change: Change): void;
  /** Which APIM gateway a Deployment runs (may ask). */
  bindingFor(target: DeploymentRef, options: { ask: boolean; title: string; signal?: AbortSignal }): Promise<GatewayBinding | undefined>;
  readonly ui: {
    notify(message: string): void;
    copyToClipboard(text: string): Promise<void>;
    /** Rotate Gateway Token… for an APIM gateway, run by this Deployment. */
    rotateToken(gateway: string, deployment: DeploymentRef): Promise<void>;
    /** The editor's cancellation (a dismissed question is one). */
    isCancellation(error: unknown): boolean;
    cancellation(): Error;
  };
}

export function testRequestKey(target: DeploymentRef): string {
  return `${target.context}/${target.namespace}/${target.deployment}`;
}

/** Reads what the view needs and returns its controller; the view is opened by the caller. */
export async function openTestRequest(deps: TestRequestDeps, start: TestRequestStart, signal: AbortSignal): Promise<TestRequestController> {
  const { target } = start;
  const client = await deps.kubernetes.forContext(target.context);
  const { deployment, services } = await readDeploymentAndServices(client, target.namespace, target.deployment, signal);
  const formServices: FormService[] = servicesForDeployment(deployment, services).map((s) => ({
    name: s.name,
    type: s.type,
    external: [...s.external],
    ports: s.ports.filter((p) => p.protocol === 'TCP').map((p) => ({ port: p.port, label: p.label, ...(p.scheme ? { scheme: p.scheme } : {}) })),
  }));
  // A Service node: its Service first.
  if (start.service) formServices.sort((a, b) => Number(b.name === start.service) - Number(a.name === start.service));
  if (start.binding) await deps.azure.remember(target, start.binding);
  let binding: GatewayBinding | undefined;
  let armNote: string | undefined;
  try {
    binding = start.binding ?? (await deps.bindingFor(target, { ask: true, title: TEST_REQUEST_TITLE, signal }));
    if (!binding) armNote = deps.azure.usable() ? 'APIs are not offered: not signed in to Azure, or no API Management gateway linked to this Deployment. Type the path.' : 'Sign in to Azure to choose an API and operation, and a subscription key.';
  } catch (error) {
    if (deps.ui.isCancellation(error)) throw error;
    armNote = `APIs could not be read from Azure (${safeErrorMessage(error)}). Type the path.`;
  }
  let arm: TestRequestFormContext['arm'];
  if (binding) {
    try {
      arm = await armContext(deps, binding, signal);
    } catch (error) {
      if (signal.aborted) throw deps.ui.cancellation();
      armNote = `APIs could not be read from Azure (${safeErrorMessage(error)}). Type the path.`;
      binding = undefined;
    }
  }
  const context: TestRequestFormContext = { gateway: target, services: formServices, ...(arm ? { arm } : {}), ...(armNote ? { armNote } : {}) };
  return new Controller(deps, target, binding, deploymentSelector(deployment), context, defaultForm(context, start.prefill));
}

async function armContext(deps: TestRequestDeps, binding: GatewayBinding, signal: AbortSignal): Promise<TestRequestFormContext['arm']> {
  const [facts, subscriptions] = await Promise.all([deps.azure.facts.get(binding, { signal }), deps.azure.data().listApimSubscriptions(binding.serviceId, { signal })]);
  return {
    serviceName: binding.serviceId.split('/').pop() ?? binding.serviceId,
    gatewayName: binding.gatewayName,
    apis: formApis(facts.apis ?? [], facts.assignedApiIds),
    subscriptions: subscriptions.filter((s) => s.state === 'active').map((s) => ({ name: s.name, displayName: s.displayName, scope: s.scope })),
  };
}

class Controller implements TestRequestController {
  readonly key: string;
  readonly label: string;
  readonly initialForm: TestRequestForm;
  private current: TestRequestFormContext;
  /** Subscription keys read for this view: in memory only, never logged or shown. */
  private readonly keys = new Map<string, string>();
  private readonly log: Logger;
  private readonly deps: TestRequestDeps;
  private readonly target: DeploymentRef;
  private readonly binding: GatewayBinding | undefined;
  private readonly labelSelector: string;

  constructor(deps: TestRequestDeps, target: DeploymentRef, binding: GatewayBinding | undefined, labelSelector: string, context: TestRequestFormContext, form: TestRequestForm) {
    this.deps = deps;
    this.target = target;
    this.binding = binding;
    this.labelSelector = labelSelector;
    this.key = testRequestKey(target);
    this.label = `${target.deployment} (${target.namespace}, ${target.context})`;
    this.current = context;
    this.initialForm = form;
    this.log = deps.log.child('testRequest');
  }

  context(): TestRequestFormContext {
    return this.current;
  }

  async send(values: TestRequestForm, signal: AbortSignal, progress: (text: string) => void): Promise<RunOutcome> {
    const built = formToRequest(values, this.current);
    if (!built.ok) throw new InvalidFormError(built.field, built.error);
    const subscriptionKey = values.subscription ? await this.keyOf(values.subscription, signal) : undefined;
    const request = { ...built.request, ...(subscriptionKey ? { subscriptionKey } : {}) };
    const client = await this.deps.kubernetes.forContext(this.target.context);
    const transport: RequestTransport =
      values.transport === 'curl-pod' ? new CurlPodTransport(client) : values.transport === 'direct' && built.directUrl ? new DirectUrlTransport({ baseUrl: built.directUrl, insecure: values.insecure, allowLinkLocal: values.allowLinkLocal === true }) : new ServiceProxyTransport(client);
    this.log.info(`${transport.kind}: ${request.method} ${request.pathAndQuery}${subscriptionKey ? ' (with a subscription key)' : ''}`);
    // The facts are read afresh for every send (an API may have changed in the portal since), alongside the send and
    // the record search so they add no wait; a failed read leaves the diagnosis with less, not nothing.
    const reading = this.facts(values, signal);
    reading.catch(() => undefined);
    return runTestRequest(
      {
        client,
        namespace: this.target.namespace,
        labelSelector: this.labelSelector,
        facts: reading,
        localDiagnostics: (s) => this.deps.facts.localDiagnostics(this.target, this.labelSelector, s),
        timeoutMs: TIMEOUT_MS,
        progress,
      },
      transport,
      request,
      signal,
    );
  }

  applyFix(fix: Fix, form: TestRequestForm, signal: AbortSignal): Promise<FixOutcome> {
    const scope: FixScope = {
      title: TEST_REQUEST_TITLE,
      prompter: this.deps.prompter(),
      binding: this.binding,
      data: () => this.deps.azure.data(),
      changed: (change) => this.deps.changed(change),
      context: () => this.current,
      refreshArm: () => this.refreshArm(),
      notify: (message) => this.deps.ui.notify(message),
      rotateToken: (gateway) => this.deps.ui.rotateToken(gateway, this.current.gateway),
      audit: (line) => this.log.info(line),
    };
    return applyFix(fix, form, scope, signal);
  }

  async copyKey(subscription: string): Promise<void> {
    const ok = await this.deps.prompter().confirm({ id: 'copyKey', message: `Copy the primary key of subscription ${subscription}?`, detail: 'The key is put on the clipboard; it is not shown, logged or kept anywhere else.', action: 'Copy Key' });
    if (!ok) throw this.deps.ui.cancellation();
    await this.deps.ui.copyToClipboard(await this.keyOf(subscription, AbortSignal.timeout(TIMEOUT_MS)));
    this.log.info(`key of subscription ${subscription} copied to the clipboard`);
  }

  private async keyOf(subscription: string, signal: AbortSignal): Promise<string> {
    const known = this.keys.get(subscription);
    if (known) return known;
    if (!this.binding) throw new InvalidFormError('subscription', 'Subscription keys come from Azure: sign in and link the gateway first');
    const value = await this.deps.azure.data().getSubscriptionKey(this.binding.serviceId, subscription, { signal });
    this.keys.set(subscription, value);
    return value;
  }

  private async facts(form: TestRequestForm, signal: AbortSignal): Promise<GatewayFacts | undefined> {
    const gathered = await this.deps.facts.gather({ target: this.target, binding: this.binding, service: { name: form.service }, arm: 'fresh', signal });
    const base = gathered.arm;
    if (base && this.current.arm) {
      // What the form offers follows what ARM says now (the view picks this up after the send).
      const apis = formApis(base.apis ?? [], base.assignedApiIds);
      if (JSON.stringify(apis) !== JSON.stringify(this.current.arm.apis)) this.current = { ...this.current, arm: { ...this.current.arm, apis } };
    }
    return gathered.facts;
  }

  private async refreshArm(): Promise<TestRequestFormContext> {
    if (!this.binding) return this.current;
    this.deps.azure.facts.invalidate();
    this.current = { ...this.current, arm: await armContext(this.deps, this.binding, AbortSignal.timeout(TIMEOUT_MS)) };
    return this.current;
  }
}
