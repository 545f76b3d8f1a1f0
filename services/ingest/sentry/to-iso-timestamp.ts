/**
 * A Sentry time as ISO-8601, or undefined. Sentry mixes unix seconds with fractions (`timestamp`,
 * `received`), ISO with microseconds and `Z` (`datetime`) and ISO with `+00:00` (`firstSeen`).
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  let ms: number;
  if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else if (typeof value === 'string') ms = Date.parse(value);
  else return undefined;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}
