// What a fix kind is, declared once per kind in this folder (one file each) and listed in index.ts, whose types make a
// diagnosis fix (src/diagnosis/types.ts `Fix`) without a kind here a compile error. No `vscode` import: what a fix
// needs from the editor (a question, a notice, another command) comes through FixScope.
import type { GatewayBinding } from '../../azure/records.ts';
import type { Change, ChangeKind } from '../../changes.ts';
import type { AzureData } from '../../azure/armService.ts';
import type { TestRequestForm, TestRequestFormContext } from '../../contract/testRequest.ts';
import type { Fix, FixId } from '../../diagnosis/types.ts';
import type { ConfirmOptions, Prompter } from '../../wizards/prompter.ts';

/** The diagnosis fix of one kind, as the finding carries it. */
export type FixOf<Id extends FixId> = Extract<Fix, { id: Id }>;

/** What a fix may use: given by the Test Request controller for the view it acts in. */
export interface FixScope {
  readonly title: string;
  readonly prompter: Prompter;
  /** The APIM gateway of the view's Deployment, when known (fixes that change ARM need it). */
  readonly binding: GatewayBinding | undefined;
  /** ARM; throws when the settings do not describe a usable cloud. */
  data(): AzureData;
  /** Reports what the fix changed in ARM (src/changes.ts), once, after it changed it: the tree listens. */
  changed(change: Change): void;
  /** What the form knows now. */
  context(): TestRequestFormContext;
  /** Reads ARM again for the form (after a fix changed an API or an assignment). */
  refreshArm(): Promise<TestRequestFormContext>;
  /** A short notice for the user (not modal). */
  notify(message: string): void;
  /**
   * Rotate Gateway Token… for a gateway (an ARM id, or the name the token carries) and the view's Deployment: a new
   * token written where the Deployment reads it, the pods rolled without an outage.
   */
  rotateToken(gateway: string): Promise<void>;
  /** The extension's own log (what was changed, and the equivalent command); never a secret. */
  audit(line: string): void;
}

/** What applying a fix changed, for the view. */
export interface FixChange {
  readonly form?: TestRequestForm;
  /** The fix changed what the form knows (an API's protocols, an assignment). */
  readonly context?: TestRequestFormContext;
}

export interface FixOutcome extends FixChange {
  /** Send again (with `form` when the fix changed the values). */
  readonly resend: boolean;
}

/**
 * One kind of fix. `prepare` checks and asks what the question depends on (a subscription to pick; throws with the
 * rule broken); `confirm` is the modal question (none: acts at once); `apply` acts. `resends`: send again after.
 */
export interface FixKind<Id extends FixId, Prepared = undefined> {
  readonly id: Id;
  /** The kinds of change its `apply` reports through `scope.changed` (`[]`: it changes nothing in ARM or a cluster). */
  readonly changes: readonly ChangeKind[];
  /** What the fix does, in general (the finding words the button for its case). */
  readonly label: string;
  readonly resends: boolean;
  prepare?(fix: FixOf<Id>, form: TestRequestForm, scope: FixScope): Promise<Prepared> | Prepared;
  confirm?(fix: FixOf<Id>, form: TestRequestForm, prepared: Prepared, scope: FixScope): ConfirmOptions;
  apply(fix: FixOf<Id>, form: TestRequestForm, prepared: Prepared, scope: FixScope, signal: AbortSignal): Promise<FixChange>;
}

/** Declares a fix kind (the type parameters are inferred from `prepare`). */
export function defineFix<Id extends FixId, Prepared = undefined>(kind: FixKind<Id, Prepared>): FixKind<Id, Prepared> {
  return kind;
}

/** The gateway binding, or the rule that says why a fix that changes ARM cannot act. */
export function needArm(scope: FixScope, what: string): GatewayBinding {
  if (!scope.binding) throw new Error(`Sign in to Azure and link this Deployment to its API Management gateway to ${what}`);
  return scope.binding;
}

/** The APIM service's name, for questions. */
export function serviceName(binding: GatewayBinding): string {
  return binding.serviceId.split('/').pop() ?? '';
}
