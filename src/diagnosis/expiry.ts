// The one label for a token's expiry, used by the tree, the diagnosis, hovers, notifications and the status bar so
// they always agree. Rounded to the nearest unit: a 30-day token reads "in 30 days" right after minting (its expiry is
// cut to the minute, so it is a few seconds short of 30 days), a 1-day token "in 24 hours". Pure.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "in 30 days", "in 24 hours", "in 5 min" — or "2 days ago" once expired. */
export function expiryDistance(expiresAt: number, now: number): { text: string; expired: boolean } {
  const ms = expiresAt - now;
  const abs = Math.abs(ms);
  let amount: string;
  if (abs >= 47.5 * HOUR) amount = `${Math.round(abs / DAY)} days`;
  else if (abs >= HOUR - MINUTE / 2) {
    const hours = Math.max(1, Math.round(abs / HOUR));
    amount = `${hours} hour${hours === 1 ? '' : 's'}`;
  } else amount = `${Math.max(1, Math.round(abs / MINUTE))} min`;
  return ms > 0 ? { text: `in ${amount}`, expired: false } : { text: `${amount} ago`, expired: true };
}

/** "expires in 30 days" / "expired 2 days ago". */
export function describeTokenExpiry(expiresAt: Date | number, now: Date | number): string {
  const d = expiryDistance(typeof expiresAt === 'number' ? expiresAt : expiresAt.getTime(), typeof now === 'number' ? now : now.getTime());
  return d.expired ? `expired ${d.text}` : `expires ${d.text}`;
}

/** Whether a token expires within `days` (or has expired). */
export function expiresWithin(expiresAt: Date | number, now: Date | number, days: number): boolean {
  const e = typeof expiresAt === 'number' ? expiresAt : expiresAt.getTime();
  const n = typeof now === 'number' ? now : now.getTime();
  return e - n <= days * DAY;
}
