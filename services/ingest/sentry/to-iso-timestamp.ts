import { formatUtcTimestamp } from './format-utc-timestamp.js';
import { rewriteUtcIsoTimestamp } from './rewrite-utc-iso-timestamp.js';

/** Epoch milliseconds as ISO-8601, or undefined outside the range a Date can hold. */
function isoOfMilliseconds(ms: number): string | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? formatUtcTimestamp(ms) : undefined;
}

/**
 * A Sentry time as ISO-8601, or undefined. Sentry mixes unix seconds with fractions (`timestamp`,
 * `received`), ISO with microseconds and `Z` (`datetime`) and ISO with `+00:00` (`firstSeen`).
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  if (typeof value === 'number') return isoOfMilliseconds(value * 1000);
  if (typeof value !== 'string') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return isoOfMilliseconds(Number(value) * 1000);
  return rewriteUtcIsoTimestamp(value) ?? isoOfMilliseconds(Date.parse(value));
}
