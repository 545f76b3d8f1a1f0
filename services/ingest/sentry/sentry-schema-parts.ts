import { z } from 'zod';

/**
 * An optional vendor field, read leniently: absent, null and malformed all read as undefined, so one
 * odd enrichment field (a frame's lineno as a string) does not lose the whole alert.
 */
export function tolerate<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

/** Sentry ids travel as strings in some payloads and numbers in others (`project`, old `group_id`). */
export const sentryId = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);

/** An error type and message as Sentry summarises an issue or event in `metadata`. */
export const sentryMetadata = z.object({ type: tolerate(z.string()), value: tolerate(z.string()) });
