// What add-version and use-revision share: resend to a URL the form cannot express as API + operation, as a typed
// path (with the version header when the version set asks for one).
import type { ConfirmOptions } from '../../wizards/prompter.ts';
import type { TestRequestForm } from '../../contract/testRequest.ts';

export function resendAsPathQuestion(id: string, label: string, url: string, form: TestRequestForm, header?: readonly [string, string]): ConfirmOptions {
  const u = new URL(url);
  return { id, message: `${label}?`, detail: `Sends ${form.method} ${u.pathname}${u.search}${header ? ` with ${header[0]}: ${header[1]}` : ''}.`, action: 'Resend' };
}

export function resendAsPath(url: string, form: TestRequestForm, header?: readonly [string, string]): TestRequestForm {
  const u = new URL(url);
  const headers = header ? [...form.headers.filter(([n]) => n.toLowerCase() !== header[0].toLowerCase()), header] : form.headers;
  return { ...form, api: undefined, operation: undefined, path: `${u.pathname}${u.search}`, query: [], headers } as TestRequestForm;
}
