// "Why did this fail?" in the hover of a failed request record: the findings of src/diagnosis as plain Markdown. No
// `vscode` import (the token is taken by its shape), so the Markdown and the cancellation are tested in plain Node.
// Everything in a finding can carry log text (the URL, the lastError message): all of it is escaped, no HTML, no links.
import type { DeploymentRef } from '../azure/records.ts';
import { WITHOUT_AZURE, isDiagnosableRecord, type RecordExplanation } from '../diagnosis/fromRecord.ts';
import type { GatewayLogEntry } from '../gatewayLogs/entry.ts';
import { codeSpan, escapeMarkdown } from './explanations.ts';

/** How long a hover waits for the gateway's configuration from Azure before it answers from the record alone. */
export const HOVER_BUDGET_MS = 1500;
/** Evidence rows shown per finding: the hover is a glance, the Gateway Logs view has the rest. */
const MAX_EVIDENCE = 6;

export interface TokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

export interface AdvisorOptions<Doc> {
  /** Never asks the user; stops waiting for Azure after `budgetMs`; aborts with `signal`. */
  explain(entry: GatewayLogEntry, source: DeploymentRef | undefined, options: { signal: AbortSignal; budgetMs: number }): Promise<RecordExplanation>;
  /** The Deployment a document's log comes from (a live document of a followed Deployment); undefined for a file. */
  sourceOf(document: Doc): DeploymentRef | undefined;
  readonly budgetMs?: number;
  readonly onError?: (error: unknown) => void;
}

/** A RequestAdvisor (languageFeatures.ts): Markdown for a failed request record, undefined for anything else. */
export function createRequestAdvisor<Doc>(options: AdvisorOptions<Doc>): (entry: GatewayLogEntry, document: Doc, token: TokenLike) => Promise<string | undefined> {
  return async (entry, document, token) => {
    if (!isDiagnosableRecord(entry) || token.isCancellationRequested) return undefined;
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    try {
      const explanation = await options.explain(entry, options.sourceOf(document), { signal: controller.signal, budgetMs: options.budgetMs ?? HOVER_BUDGET_MS });
      return token.isCancellationRequested ? undefined : adviceMarkdown(explanation);
    } catch (error) {
      if (!controller.signal.aborted) options.onError?.(error);
      return undefined;
    } finally {
      listener.dispose();
    }
  };
}

/** Log-derived text as Markdown text: escaped, one line, secrets masked. */
function text(value: string): string {
  return escapeMarkdown(value);
}

/** The hover section: each finding's title, explanation, key evidence and fixes (as text). Undefined when none. */
export function adviceMarkdown(explanation: RecordExplanation): string | undefined {
  if (explanation.findings.length === 0) return undefined;
  const lines: string[] = [`**Why did this fail?**${explanation.withoutAzure !== undefined ? ` (${WITHOUT_AZURE})` : ''}`];
  if (explanation.withoutAzure !== undefined) lines.push('', `_${text(explanation.withoutAzure)}_`);
  else if (explanation.asOf !== undefined) lines.push('', `_${text(explanation.asOf)}_`);
  for (const finding of explanation.findings) {
    lines.push('', `**${text(finding.title)}** ${codeSpan(finding.code)}`, '', text(finding.explanation));
    const evidence = finding.evidence.slice(0, MAX_EVIDENCE);
    if (evidence.length > 0) {
      lines.push('');
      for (const e of evidence) lines.push(`- ${text(e.label)}: ${text(e.value)}`);
      if (finding.evidence.length > MAX_EVIDENCE) lines.push(`- … ${finding.evidence.length - MAX_EVIDENCE} more in the Gateway Logs view`);
    }
    if (finding.fixes.length > 0) lines.push('', `Fix: ${finding.fixes.map((f) => text(f.label)).join('; ')}`);
  }
  return lines.join('\n');
}
