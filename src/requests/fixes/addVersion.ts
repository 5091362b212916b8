// Resend with the API version the version set asks for (a path segment, a query parameter or a header).
import { resendAsPath, resendAsPathQuestion } from './resendAsPath.ts';
import { defineFix } from './types.ts';

export const addVersion = defineFix({
  id: 'add-version',
  changes: [],
  label: 'Resend with the API version',
  resends: true,
  prepare: (fix) => (fix.scheme === 'Header' ? ([fix.headerName, fix.version] as const) : undefined),
  confirm: (fix, form, header) => resendAsPathQuestion(fix.id, fix.label, fix.url, form, header),
  apply: (fix, form, header) => Promise.resolve({ form: resendAsPath(fix.url, form, header) }),
});
