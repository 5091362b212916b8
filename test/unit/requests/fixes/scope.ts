// A FixScope for unit tests of fix kinds: it records what a fix did and answers each confirmation as told.
import { describeChange } from '../../../../src/changes.ts';
import type { TestRequestForm, TestRequestFormContext } from '../../../../src/contract/testRequest.ts';
import type { FixScope } from '../../../../src/requests/fixes/index.ts';
import type { ConfirmOptions, Prompter } from '../../../../src/wizards/prompter.ts';

export const context: TestRequestFormContext = {
  gateway: { context: 'rb-arc-aks', namespace: 'apim', deployment: 'gw' },
  services: [{ name: 'gw-svc', type: 'ClusterIP', external: [], ports: [{ port: 5000, scheme: 'http', label: '5000→8080/TCP' }, { port: 5001, scheme: 'https', label: '5001→8081/TCP' }] }],
};

export const form: TestRequestForm = { method: 'GET', path: '/echo/resource', params: {}, query: [], headers: [], body: '', service: 'gw-svc', port: 5000, transport: 'service-proxy', directUrl: '', insecure: false, subscription: '' };

/** A scope that records what a fix did, answering each confirmation with `answer`. */
export function recordingScope(answer: boolean, overrides: Partial<FixScope> = {}): { scope: FixScope; asked: ConfirmOptions[]; done: string[] } {
  const asked: ConfirmOptions[] = [];
  const done: string[] = [];
  const prompter: Prompter = {
    pick: () => Promise.reject(new Error('no pick expected')),
    pickMany: () => Promise.reject(new Error('no pick expected')),
    input: () => Promise.reject(new Error('no input expected')),
    confirm: (options) => {
      asked.push(options);
      return Promise.resolve(answer);
    },
  } as Prompter;
  const scope: FixScope = {
    title: 'Send Test Request',
    prompter,
    binding: undefined,
    data: () => {
      throw new Error('ARM not expected');
    },
    changed: (change) => done.push(`changed ${describeChange(change)}`),
    context: () => context,
    refreshArm: () => Promise.resolve(context),
    notify: (message) => done.push(`notify ${message}`),
    rotateToken: (gateway) => {
      done.push(`rotate ${gateway}`);
      return Promise.resolve();
    },
    audit: (line) => done.push(`audit ${line}`),
    ...overrides,
  };
  return { scope, asked, done };
}

