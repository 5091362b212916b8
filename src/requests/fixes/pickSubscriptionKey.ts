// Pick a subscription whose key opens the API, then send with its key (read from ARM, kept in memory for the view).
import { findApi, subscriptionScopeText, subscriptionsFor, subscriptionTitle } from '../form.ts';
import { defineFix, needArm, serviceName } from './types.ts';

export const pickSubscriptionKey = defineFix({
  id: 'pick-subscription-key',
  changes: [],
  label: 'Send with a subscription key',
  resends: true,
  prepare: async (fix, form, scope) => {
    const binding = needArm(scope, 'pick a subscription key');
    const ctx = scope.context();
    const api = findApi(ctx, fix.apiId) ?? findApi(ctx, form.api);
    return scope.prompter.pick({
      id: 'apimSubscription',
      title: scope.title,
      placeholder: `A subscription whose key opens ${fix.apiId}`,
      emptyMessage: `No active subscription of ${serviceName(binding)} can open ${fix.apiId}`,
      items: subscriptionsFor(ctx, api).map((s) => ({ label: subscriptionTitle(s), description: subscriptionScopeText(s.scope), detail: `id ${s.name}`, value: s })),
    });
  },
  confirm: (_fix, _form, subscription) => ({
    id: 'useKey',
    message: `Send with the key of subscription ${subscriptionTitle(subscription)}?`,
    detail: 'The primary key is read from Azure and kept in memory for this view only; it is never logged or shown.',
    action: 'Use Key',
  }),
  apply: (_fix, form, subscription) => Promise.resolve({ form: { ...form, subscription: subscription.name } }),
});
