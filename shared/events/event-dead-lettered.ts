import { z } from 'zod';
import { defineEvent, timestamp } from './define-event.js';

/** An event a consumer group gave up on, with the error: kept, never dropped. */
export const eventDeadLetteredPayload = z.object({
  topic: z.string(),
  group: z.string(),
  /** The message as it was on the topic; may not even be a valid event. */
  original: z.unknown(),
  error: z.object({ code: z.string().optional(), message: z.string() }),
  attempts: z.number().int().nonnegative(),
  failedAt: timestamp,
});

export const eventDeadLetteredV1 = defineEvent('event.dead-lettered.v1', eventDeadLetteredPayload);
export type EventDeadLetteredPayload = z.infer<typeof eventDeadLetteredPayload>;
