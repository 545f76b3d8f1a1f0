import { InvalidRecordError } from './store-errors.js';

/**
 * JSON text for a JSON column, or SQL NULL for null/undefined. Used for both dialects: pg would
 * otherwise send a JS array as a PostgreSQL array literal instead of JSON.
 */
export function encodeJson(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new InvalidRecordError(`${field} cannot be stored as JSON`, error);
  }
  return text ?? null;
}

/**
 * Canonical ISO-8601 UTC (`toISOString`) for a caller-supplied timestamp. SQLite compares timestamps
 * as text, so `2025-01-01T10:00:00+02:00` must become `2025-01-01T08:00:00.000Z` before it is stored
 * or used in a range filter.
 */
export function normaliseTimestamp(value: string, field: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidRecordError(`${field} is not a timestamp: ${JSON.stringify(value)}`);
  return date.toISOString();
}
