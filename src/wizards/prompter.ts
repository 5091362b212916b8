// The UI of a wizard behind an interface: QuickPick and InputBox for users (VscodePrompter), scripted answers for
// integration tests. Every input carries its validation, so a value that breaks a rule is refused — with the rule
// named — before any step that would send it anywhere runs.
import * as vscode from 'vscode';

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
  readonly picked?: boolean;
}

interface PromptBase {
  /** Stable name of the question (`namespace`, `gatewayName`): what scripted answers are keyed by. */
  readonly id: string;
  readonly title: string;
  readonly step?: number;
  readonly totalSteps?: number;
}

export interface PickOptions<T> extends PromptBase {
  readonly placeholder: string;
  /** Items, or a promise of them (the picker shows a busy bar meanwhile). */
  readonly items: readonly PickItem<T>[] | Promise<readonly PickItem<T>[]>;
  /** Said when there is nothing to pick (the wizard stops with it). */
  readonly emptyMessage: string;
}

export interface InputOptions extends PromptBase {
  readonly prompt: string;
  readonly value?: string;
  readonly placeholder?: string;
  /** Undefined: fine. Otherwise the sentence that names the broken rule (shown under the box). */
  readonly validate: (value: string) => string | undefined;
}

export interface ConfirmOptions {
  readonly id: string;
  /** The question, e.g. "Delete gateway rb-arc-gateway?" */
  readonly message: string;
  /** What is lost: shown in the modal dialog. */
  readonly detail: string;
  /** The button that goes ahead, e.g. "Delete". */
  readonly action: string;
}

export interface Prompter {
  /** One item; dismissing throws vscode.CancellationError. */
  pick<T>(options: PickOptions<T>): Promise<T>;
  /** Several items (at least one); dismissing throws vscode.CancellationError. */
  pickMany<T>(options: PickOptions<T>): Promise<T[]>;
  /** Text that passes `validate`; dismissing throws vscode.CancellationError. */
  input(options: InputOptions): Promise<string>;
  /** A modal confirmation; false when the user declines. */
  confirm(options: ConfirmOptions): Promise<boolean>;
}

/** Nothing to pick: the wizard cannot go on, and the user is told why (not a bug, not a cancellation). */
export class NothingToPickError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToPickError';
  }
}

/** The real UI: a QuickPick / InputBox that stays open while focus wanders (users copy names from elsewhere). */
export class VscodePrompter implements Prompter {
  async pick<T>(options: PickOptions<T>): Promise<T> {
    const [picked] = await this.showPick(options, false);
    if (picked === undefined) throw new vscode.CancellationError();
    return picked;
  }

  async pickMany<T>(options: PickOptions<T>): Promise<T[]> {
    const picked = await this.showPick(options, true);
    if (picked.length === 0) throw new vscode.CancellationError();
    return picked;
  }

  private async showPick<T>(options: PickOptions<T>, many: boolean): Promise<T[]> {
    type Item = vscode.QuickPickItem & { value: T };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = options.title;
    qp.placeholder = options.placeholder;
    qp.ignoreFocusOut = true;
    qp.canSelectMany = many;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    if (options.step !== undefined) qp.step = options.step;
    if (options.totalSteps !== undefined) qp.totalSteps = options.totalSteps;
    qp.busy = true;
    qp.enabled = false;
    qp.show();
    try {
      const loaded = Promise.resolve(options.items).then((items) => {
        if (items.length === 0) throw new NothingToPickError(options.emptyMessage);
        const quickItems: Item[] = items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, value: i.value, picked: i.picked }));
        qp.items = quickItems;
        if (many) qp.selectedItems = quickItems.filter((i) => i.picked);
        qp.busy = false;
        qp.enabled = true;
      });
      const chosen = new Promise<T[]>((resolve) => {
        qp.onDidAccept(() => {
          const selection = many ? qp.selectedItems : qp.activeItems.slice(0, 1);
          if (selection.length === 0) return;
          resolve(selection.map((i) => i.value));
          qp.hide();
        });
        qp.onDidHide(() => resolve([]));
      });
      // A failed load (ARM error, nothing to pick) closes the picker and stops the wizard with that message.
      return await Promise.race([chosen, loaded.then(() => chosen)]);
    } finally {
      qp.dispose();
    }
  }

  async input(options: InputOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.ignoreFocusOut = true;
    if (options.placeholder !== undefined) box.placeholder = options.placeholder;
    if (options.value !== undefined) box.value = options.value;
    if (options.step !== undefined) box.step = options.step;
    if (options.totalSteps !== undefined) box.totalSteps = options.totalSteps;
    const check = (): void => {
      box.validationMessage = options.validate(box.value);
    };
    try {
      return await new Promise<string>((resolve, reject) => {
        box.onDidChangeValue(check);
        box.onDidAccept(() => {
          // Accepting an invalid value does nothing but show the rule again: the wizard never sees it.
          const problem = options.validate(box.value);
          box.validationMessage = problem;
          if (problem === undefined) {
            resolve(box.value);
            box.hide();
          }
        });
        box.onDidHide(() => reject(new vscode.CancellationError()));
        box.show();
        if (box.value !== '') check();
      });
    } finally {
      box.dispose();
    }
  }

  async confirm(options: ConfirmOptions): Promise<boolean> {
    const answer = await vscode.window.showWarningMessage(options.message, { modal: true, detail: options.detail }, options.action);
    return answer === options.action;
  }
}

/**
 * Which prompter the wizards use: the real one, unless an integration test put scripted answers in its place for the
 * duration of a test (ExtensionApi.wizards.usePrompter).
 */
export class PrompterHolder {
  private current: Prompter;
  private readonly real: Prompter;

  constructor(real: Prompter) {
    this.real = real;
    this.current = real;
  }

  get(): Prompter {
    return this.current;
  }

  use(prompter: Prompter): vscode.Disposable {
    this.current = prompter;
    return new vscode.Disposable(() => {
      if (this.current === prompter) this.current = this.real;
    });
  }
}
