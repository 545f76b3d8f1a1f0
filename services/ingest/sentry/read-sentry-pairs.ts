/**
 * Key/value pairs as Sentry serialises tags, headers and query strings: usually `[[key, value], …]`,
 * sometimes an object. Entries whose key or value is not a string (Sentry sends null for filtered
 * values) are skipped.
 */
export function readSentryPairs(value: unknown): [string, string][] {
  const entries = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.entries(value) : [];
  return entries.filter(
    (entry): entry is [string, string] => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && typeof entry[1] === 'string',
  );
}
