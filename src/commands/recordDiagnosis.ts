// "Why did this fail?" for a request record the user is looking at, in the Gateway Logs view (a button: may ask which
// APIM gateway the Deployment runs) and in the editor's hover (must not ask, must not wait long). One path for both:
// the record → a DiagnosisInput (src/diagnosis/fromRecord.ts), with the facts Send Test Request gathers too
// (src/requests/diagnosisFacts.ts: ARM's configuration, the running token's expiry, the Service's ports) when the log
// comes from a cluster Deployment and Azure answers; else the record alone.
import * as vscode from 'vscode';
import type { DeploymentRef } from '../azure/records.ts';
import { explainFromRecordAlone, explainRecordNow, type RecordExplanation } from '../diagnosis/fromRecord.ts';
import type { GatewayFacts } from '../diagnosis/types.ts';
import type { GatewayLogEntry } from '../gatewayLogs/entry.ts';
import { configurationChanges } from '../requests/configurationChanges.ts';
import { safeErrorMessage } from '../util/errors.ts';
import { armGatewayFor } from './armGateway.ts';
import type { CommandServices } from './types.ts';

const TITLE = 'Why did this fail?';

export interface ExplainOptions {
  /** Ask which APIM gateway the Deployment runs when that is not known (an explicit user action); false for hovers. */
  readonly ask: boolean;
  /** Aborts everything (the view closed, the hover was cancelled). */
  readonly signal?: AbortSignal;
  /**
   * Stop waiting for Azure after this long and answer from the record alone. The reads go on (unless `signal`
   * aborts), so the gateway's configuration is cached for the next hover.
   */
  readonly budgetMs?: number;
  readonly progress?: (message: string) => void;
  /** The gateway's own entries from the same log (start-up, sync), oldest first, when the caller has them. */
  readonly events?: readonly GatewayLogEntry[];
}

/** The record diagnosed with what can be known of its source; never asks unless `ask`. Throws only when aborted. */
export async function explainRecord(services: CommandServices, entry: GatewayLogEntry, source: DeploymentRef | undefined, options: ExplainOptions): Promise<RecordExplanation> {
  if (!source) return explainFromRecordAlone(entry, 'this log is not from a gateway Deployment.');
  options.progress?.('Reading the gateway’s configuration from Azure…');
  const gathering = gatewayFacts(services, entry, source, options);
  let facts: FactsOutcome;
  if (options.budgetMs === undefined) {
    facts = await gathering;
  } else {
    // Past the budget nobody awaits it: an abort that comes later must not be an unhandled rejection.
    gathering.catch(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const budget = new Promise<FactsOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ why: `Azure did not answer within ${(options.budgetMs ?? 0) / 1000} s.` }), options.budgetMs);
    });
    try {
      facts = await Promise.race([gathering, budget]);
    } finally {
      clearTimeout(timer);
    }
  }
  options.signal?.throwIfAborted();
  if (!facts.facts) return explainFromRecordAlone(entry, facts.why);
  // Judged against the configuration as it is now, naming the changes this extension made since the request.
  return explainRecordNow(entry, facts.facts, configurationChanges(), options.events);
}

type FactsOutcome = { facts: GatewayFacts; why?: undefined } | { facts?: undefined; why: string };

async function gatewayFacts(services: CommandServices, entry: GatewayLogEntry, source: DeploymentRef, options: ExplainOptions): Promise<FactsOutcome> {
  const signal = options.signal;
  try {
    const binding = await armGatewayFor(services, services.azure.prompter.get(), source, { ask: options.ask, title: TITLE, ...(signal ? { signal } : {}) });
    if (!binding) {
      return { why: options.ask ? 'not signed in to Azure, or no API Management gateway chosen for this Deployment.' : 'its API Management gateway is not known yet (use “Why did this fail?” in the Gateway Logs view once).' };
    }
    // The same facts Send Test Request gathers: ARM's configuration, the running token, the Service's ports.
    const gathered = await services.diagnosisFacts.gather({ target: source, binding, service: { url: entry.request?.url }, arm: 'cached', ...(signal ? { signal } : {}) });
    if (gathered.armError !== undefined) throw gathered.armError;
    return gathered.facts && gathered.arm ? { facts: gathered.facts } : { why: 'the gateway’s configuration could not be read.' };
  } catch (error) {
    if (signal?.aborted) throw error;
    // The user dismissed the question, or ARM failed: the record still says a lot.
    if (error instanceof vscode.CancellationError) return { why: 'no API Management gateway chosen for this Deployment.' };
    services.log.warn(`${TITLE}: the gateway's configuration could not be read: ${safeErrorMessage(error)}`);
    return { why: `the gateway’s configuration could not be read (${safeErrorMessage(error)}).` };
  }
}
