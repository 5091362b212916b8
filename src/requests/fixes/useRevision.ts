// Resend to a URL that names the revision (`;rev=n`), or drops a wrong one to reach the current revision.
import { resendAsPath, resendAsPathQuestion } from './resendAsPath.ts';
import { defineFix } from './types.ts';

export const useRevision = defineFix({
  id: 'use-revision',
  changes: [],
  label: 'Resend to the right revision',
  resends: true,
  confirm: (fix, form) => resendAsPathQuestion(fix.id, fix.label, fix.url, form),
  apply: (fix, form) => Promise.resolve({ form: resendAsPath(fix.url, form) }),
});
