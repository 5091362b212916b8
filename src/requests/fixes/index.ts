// The fix registry: every kind of fix the Test Request view acts on, one file each. The mapped type makes a `Fix` of
// src/diagnosis/types.ts without an entry here (or an entry whose id is not its key) a compile error, so adding a
// fix is: its union member, its file, its line below, its test.
import type { TestRequestForm } from '../../contract/testRequest.ts';
import type { Fix, FixId } from '../../diagnosis/types.ts';
import { addVersion } from './addVersion.ts';
import { allowHttp } from './allowHttp.ts';
import { assignApi } from './assignApi.ts';
import { openTokenWizard } from './openTokenWizard.ts';
import { pickSubscriptionKey } from './pickSubscriptionKey.ts';
import { retryHttps } from './retryHttps.ts';
import type { FixKind, FixOutcome, FixScope } from './types.ts';
import { useRevision } from './useRevision.ts';

export type { FixChange, FixKind, FixOutcome, FixScope } from './types.ts';

// What each kind prepares is private to it (its prepare feeds its own confirm and apply), hence `unknown` here.
type Registry = { readonly [Id in FixId]: FixKind<Id, unknown> };

export const FIX_KINDS = {
  'allow-http': allowHttp,
  'assign-api': assignApi,
  'pick-subscription-key': pickSubscriptionKey,
  'retry-https': retryHttps,
  'open-token-wizard': openTokenWizard,
  'add-version': addVersion,
  'use-revision': useRevision,
} as const satisfies Registry;

/** Whether the view offers a button for this fix id (a fix from an older diagnosis may name a kind no longer known). */
export function isActionableFix(id: string): boolean {
  return Object.hasOwn(FIX_KINDS, id);
}

/** Applies one fix: prepare, the modal question (declining changes nothing), act; says whether to send again. */
export async function applyFix(fix: Fix, form: TestRequestForm, scope: FixScope, signal: AbortSignal): Promise<FixOutcome> {
  return run(FIX_KINDS[fix.id] as FixKind<typeof fix.id, unknown>, fix, form, scope, signal);
}

async function run<Id extends FixId>(kind: FixKind<Id, unknown>, fix: Fix, form: TestRequestForm, scope: FixScope, signal: AbortSignal): Promise<FixOutcome> {
  const own = fix as Extract<Fix, { id: Id }>;
  const prepared = await kind.prepare?.(own, form, scope);
  if (kind.confirm && !(await scope.prompter.confirm(kind.confirm(own, form, prepared, scope)))) return { resend: false };
  const change = await kind.apply(own, form, prepared, scope, signal);
  return { resend: kind.resends, ...change };
}
