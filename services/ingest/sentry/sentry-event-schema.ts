import { z } from 'zod';
import { sentryId, sentryMetadata, tolerate } from './sentry-schema-parts.js';

/**
 * What Nightshift reads of a Sentry event (`data.event` of an issue alert, `data.error` of an error
 * webhook). Only the issue id and title are required; the rest enriches the alert when present.
 */
export const sentryEventSchema = z
  .object({
    event_id: tolerate(z.string()),
    issue_id: tolerate(sentryId),
    group_id: tolerate(sentryId),
    title: z.string(),
    message: tolerate(z.string()),
    logentry: tolerate(z.object({ formatted: tolerate(z.string()) })),
    culprit: tolerate(z.string()),
    level: tolerate(z.string()),
    environment: tolerate(z.string()),
    release: tolerate(z.string()),
    server_name: tolerate(z.string()),
    timestamp: tolerate(z.union([z.number(), z.string()])),
    datetime: tolerate(z.string()),
    url: tolerate(z.string()),
    web_url: tolerate(z.string()),
    tags: z.unknown(),
    contexts: tolerate(z.object({ trace: tolerate(z.object({ trace_id: tolerate(z.string().min(1)) })) })),
    exception: z.unknown(),
    metadata: tolerate(sentryMetadata),
    request: z.unknown(),
  })
  .refine((event) => event.issue_id !== undefined || event.group_id !== undefined, {
    path: ['issue_id'],
    message: 'the event names no issue (neither issue_id nor group_id)',
  });

export type SentryEvent = z.output<typeof sentryEventSchema>;
