/**
 * Plain readers for Sentry payload values, in place of schemas on the hot path: they look at only the
 * fields a normaliser uses and copy nothing. Optional readers are lenient (absent, null and malformed
 * all read as undefined), so one odd enrichment field does not lose the whole alert.
 */

/** A JSON object (not null, not an array), whose fields can be read. */
export type SentryRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is SentryRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An optional string field. */
export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An optional string field that means nothing when empty (a slug, an environment, a trace id). */
export function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An optional object field. */
export function optionalRecord(value: unknown): SentryRecord | undefined {
  return isRecord(value) ? value : undefined;
}

/** An optional list of strings: undefined unless every item is a string. */
export function optionalStrings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const item of value) if (typeof item !== 'string') return undefined;
  return value as string[];
}

/** An error type and message as Sentry summarises an issue or event in `metadata`. */
export function readSentryMetadata(value: unknown): { type: string | undefined; value: string | undefined } | undefined {
  return isRecord(value) ? { type: optionalString(value.type), value: optionalString(value.value) } : undefined;
}
