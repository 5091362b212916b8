import type { Finding } from './types.ts';

/** What one rule family concluded: findings when the evidence holds, otherwise why it could not tell. */
export interface Analysis {
  findings: Finding[];
  /** Completes "… and <note>, so no cause is claimed" in the unknown finding. */
  note?: string;
  /** The configuration as read routes the request (to this API and operation): it does not explain a 404. */
  routed?: { api: string; operation?: string };
}
