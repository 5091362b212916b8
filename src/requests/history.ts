// The test requests sent since VS Code started, newest first, for every gateway: the Test Request views list them and
// show any of them again. Kept in memory only (never in state or settings): results are what the gateway said, and
// the form holds a subscription's name, never its key. Bounded, so a long session does not grow without end. Pure.
import type { HistoryEntryView, TestRequestForm, TestRequestResult } from '../contract/testRequest.ts';
import { Emitter, type Event } from '../util/event.ts';

export interface HistoryEntry {
  readonly id: number;
  /** `context/namespace/deployment`: which gateway it went to. */
  readonly gatewayKey: string;
  readonly gatewayLabel: string;
  readonly form: TestRequestForm;
  readonly result: TestRequestResult;
}

export const HISTORY_LIMIT = 200;

export class RequestHistory {
  private entries: HistoryEntry[] = [];
  private nextId = 1;
  private readonly changed = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly limit: number;

  constructor(limit = HISTORY_LIMIT) {
    this.limit = limit;
  }

  add(entry: Omit<HistoryEntry, 'id'>): HistoryEntry {
    const added: HistoryEntry = { ...entry, id: this.nextId++ };
    this.entries = [added, ...this.entries].slice(0, this.limit);
    this.changed.fire();
    return added;
  }

  get(id: number): HistoryEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  all(): readonly HistoryEntry[] {
    return this.entries;
  }

  views(): HistoryEntryView[] {
    return this.entries.map((e) => ({
      id: e.id,
      sentAt: e.result.sentAt,
      gateway: e.gatewayLabel,
      method: e.result.method,
      path: pathOf(e.result.url),
      outcome: e.result.response.kind === 'http' ? String(e.result.response.status) : e.result.response.error,
      ok: e.result.response.kind === 'http' && e.result.response.status < 400,
      transport: e.result.transport,
    }));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function pathOf(url: string): string {
  const m = /^[a-z]+:\/\/[^/?#]*(.*)$/i.exec(url);
  return m?.[1] || '/';
}
