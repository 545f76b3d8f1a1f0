/**
 * A Sentry id: ids travel as strings in some payloads and numbers in others (`project`, old
 * `group_id`). A non-empty string or a non-negative safe integer; undefined otherwise.
 */
export function readSentryId(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** Why `value` is no Sentry id (for a 422), worded as the schema this replaced worded it. */
export function sentryIdProblem(value: unknown): string {
  if (value === '') return 'Too small: expected string to have >=1 characters';
  if (typeof value !== 'number' || !Number.isInteger(value)) return 'Invalid input';
  if (value > Number.MAX_SAFE_INTEGER) return `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}`;
  if (value < Number.MIN_SAFE_INTEGER) return `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}`;
  return 'Too small: expected number to be >=0';
}
