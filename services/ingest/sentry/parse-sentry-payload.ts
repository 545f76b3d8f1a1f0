import type { z } from 'zod';

/** A vendor payload read against a schema: the data, or the first offending field as a dotted path. */
export type ParsedPayload<T> = { ok: true; data: T } | { ok: false; field: string; detail: string };

/** Validates a Sentry webhook body against the schema of what a normaliser reads (extra fields pass). */
export function parseSentryPayload<S extends z.ZodType>(schema: S, body: unknown): ParsedPayload<z.output<S>> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(root)';
  return { ok: false, field, detail: `${field}: ${issue.message}` };
}
