/**
 * Whether Sentry-Hook-Timestamp (unix seconds at send time) lies within `toleranceSeconds` of `now`,
 * either way. Sentry does not sign the timestamp, so this only narrows replays; Request-ID
 * deduplication is what stops them.
 */
export function isFreshSentryTimestamp(header: string | undefined, now: Date, toleranceSeconds: number): boolean {
  if (!header || !/^\d{1,12}(\.\d+)?$/.test(header)) return false;
  const sentAtMs = Number(header) * 1000;
  return Math.abs(now.getTime() - sentAtMs) <= toleranceSeconds * 1000;
}
