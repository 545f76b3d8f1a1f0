import { z } from 'zod';

/** ISO-8601 timestamp with offset, as every event carries them. */
export const timestamp = z.iso.datetime({ offset: true });

/**
 * The envelope every event shares: `key` is the partition key (incident key or fingerprint) so that
 * everything about one incident stays ordered on one partition. Payloads are tolerant readers
 * (unknown fields are dropped), the envelope is strict.
 */
export function defineEvent<const T extends string, P extends z.ZodType>(type: T, payload: P) {
  return z.strictObject({
    id: z.uuid(),
    type: z.literal(type),
    occurredAt: timestamp,
    key: z.string().min(1).max(512),
    payload,
  });
}
