import type { Finding } from './types.ts';

/** What one rule family concluded: findings when the evidence holds, otherwise why it could not tell. */
export interface Analysis {
  findings: Finding[];
  /** Completes "… and <note>, so no cause is claimed" in the unknown finding. */
  note?: string;
}
