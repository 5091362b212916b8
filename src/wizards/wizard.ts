// A wizard is a context object filled by prompt steps, checked as a whole, then acted on by execute steps inside one
// cancellable progress notification. Prompts come first and validate as the user types; `check` runs once more on
// the finished context (values may also arrive pre-filled from a tree item) — so nothing is sent to Azure or a
// cluster until every value has passed its rule.
import * as vscode from 'vscode';
import type { Prompter } from './prompter.ts';

export interface PromptStep<C> {
  /** Skipped when false (the value came from the tree item the command was run on, or an earlier answer decides). */
  shouldPrompt?(context: C): boolean;
  prompt(context: C, prompter: Prompter, position: { step: number; totalSteps: number }): Promise<void>;
}

export interface Progress {
  report(message: string): void;
}

export interface ExecuteStep<C> {
  /** Shown in the progress notification while the step runs. */
  readonly title: string;
  shouldExecute?(context: C): boolean;
  execute(context: C, progress: Progress, signal: AbortSignal): Promise<void>;
}

export interface WizardDefinition<C> {
  /** Title of every prompt and of the progress notification. */
  readonly title: string;
  readonly prompts: readonly PromptStep<C>[];
  /** The whole context, once more, before anything runs: a rule broken → an error naming it, and nothing runs. */
  check(context: C): string | undefined;
  readonly execute: readonly ExecuteStep<C>[];
}

/** A value broke a rule: the message names the rule. Shown to the user; nothing was sent anywhere. */
export class InvalidInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidInputError';
  }
}

export async function runWizard<C>(definition: WizardDefinition<C>, context: C, prompter: Prompter): Promise<C> {
  const active = definition.prompts.filter((p) => p.shouldPrompt?.(context) ?? true);
  let step = 0;
  for (const prompt of definition.prompts) {
    if (!(prompt.shouldPrompt?.(context) ?? true)) continue;
    step++;
    await prompt.prompt(context, prompter, { step, totalSteps: Math.max(step, active.length) });
  }
  const problem = definition.check(context);
  if (problem !== undefined) throw new InvalidInputError(problem);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: definition.title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const listener = token.onCancellationRequested(() => controller.abort());
      try {
        const steps = definition.execute.filter((s) => s.shouldExecute?.(context) ?? true);
        for (const [index, s] of steps.entries()) {
          if (controller.signal.aborted) throw new vscode.CancellationError();
          const prefix = steps.length > 1 ? `(${index + 1}/${steps.length}) ` : '';
          progress.report({ message: `${prefix}${s.title}` });
          await s.execute(context, { report: (message) => progress.report({ message: `${prefix}${s.title}: ${message}` }) }, controller.signal);
        }
      } catch (error) {
        if (controller.signal.aborted && isAbort(error)) throw new vscode.CancellationError();
        throw error;
      } finally {
        listener.dispose();
      }
    },
  );
  return context;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'Canceled' || error instanceof vscode.CancellationError);
}
