/**
 * Epoch milliseconds from a number in seconds, milliseconds, microseconds or nanoseconds. The unit is
 * told apart by magnitude: timestamps between 1973 and 5138 have distinct digit counts in each unit.
 */
export function epochMillisFromNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  // Rounded, not floored: nanoseconds past 2^53 are already approximate, and x.999… must not lose a millisecond.
  if (value >= 1e17) return Math.round(value / 1e6);
  if (value >= 1e14) return Math.round(value / 1e3);
  if (value >= 1e11) return Math.floor(value);
  return Math.round(value * 1000);
}

/** Epoch ms from an ISO 8601 string (no zone means UTC), an HTTP date, a numeric string, a number or a Date. */
export function normaliseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return epochMillisFromNumber(value);
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : ms;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) {
    // Nanosecond strings (OTLP's timeUnixNano) exceed 2^53: drop the sub-millisecond digits before Number().
    return epochMillisFromNumber(Number(text.length >= 19 && !text.includes('.') ? text.slice(0, -6) : text));
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const iso = text.includes('T') ? text : text.replace(' ', 'T');
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`;
    const ms = Date.parse(zoned.replace(',', '.'));
    return Number.isNaN(ms) ? undefined : ms;
  }
  // RFC 7231 and the other layouts Date.parse knows (`Wed, 01 May 2024 12:00:40 GMT`).
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
