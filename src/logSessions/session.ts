// The live log model shared by log follow (src/kubernetes), the Gateway Logs webview and the in-editor tail.
// Pure: no `vscode`, no Node APIs.
import type { GatewayLogEntry, LogTimestamp } from '../gatewayLogs/entry.ts';
import type { DisposableLike } from '../util/disposable.ts';
import type { Event } from '../util/event.ts';

/** A parsed entry from one pod, with the kubelet's timestamp of its first line (trustworthy when the gateway's is not). */
export interface TaggedEntry extends GatewayLogEntry {
  /**
   * Unique within a session, and increasing in the session's order (its snapshot's, which views show): the key views
   * use for rows and selection. Not a count and not the arrival order: a live session leaves gaps between seqs and
   * gives a late entry (its pod's lines came late) one between its neighbours', below seqs it gave before. A file
   * session counts 1, 2, 3…
   */
  readonly seq: number;
  /** The pod that wrote it; undefined for a log file. */
  readonly pod?: string;
  /** When the kubelet received the entry's first line (`timestamps=true`). */
  readonly kubeletTime?: LogTimestamp;
  /**
   * Set when the pod's history was read with `--tail=N` (N here): `line` then counts from the first line read, not
   * from the start of the pod's log as `kubectl logs` numbers it. Undefined: `line` is the log's (or file's) own.
   */
  readonly lineWindow?: number;
}

export type PodState = 'following' | 'waiting' | 'resuming' | 'restarted' | 'gone' | 'error';

export interface PodStatus {
  readonly pod: string;
  readonly state: PodState;
  readonly restartCount?: number;
  readonly message?: string;
}

/** A notice that belongs in the log's timeline (a pod appeared, restarted, a stream was resumed, entries dropped). */
export interface SessionNotice {
  readonly time: number;
  readonly pod?: string;
  readonly text: string;
}

/** One source of entries (a gateway Deployment followed live, one pod, or a saved log file) that views attach to. */
export interface LogSession extends DisposableLike {
  readonly id: string;
  /** e.g. `apim/rb-arc-aks-apimgw (rb-arc-aks)` or a file name. */
  readonly title: string;
  readonly live: boolean;
  /** The bounded buffer's current content, in seq order (for a live session, kubelet-time order), oldest first. */
  snapshot(): readonly TaggedEntry[];
  /** How many of the oldest entries the bounded buffer has let go. */
  readonly droppedCount: number;
  pods(): readonly PodStatus[];
  /** Entries new to the buffer, seqs increasing within the batch; a seq below one given before is a late entry placed among older ones. */
  readonly onDidAppend: Event<readonly TaggedEntry[]>;
  readonly onDidDrop: Event<number>;
  readonly onDidChangePods: Event<readonly PodStatus[]>;
  readonly onNotice: Event<SessionNotice>;
  /** Fires once when the session ends (disposed, or a file finished loading is not an end). */
  readonly onDidEnd: Event<void>;
}
