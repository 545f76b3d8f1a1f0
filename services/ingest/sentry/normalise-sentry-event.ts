import { z } from 'zod';
import { parseSentryPayload } from './parse-sentry-payload.js';
import { parseProjectSlug } from './parse-project-slug.js';
import { readSentryException } from './read-sentry-exception.js';
import { readSentryPairs } from './read-sentry-pairs.js';
import { readSentryRequest } from './read-sentry-request.js';
import { readSentryRequestIds } from './read-sentry-request-ids.js';
import type { NormalisedSentryAlert } from './sentry-alert-fields.js';
import { sentryEventSchema } from './sentry-event-schema.js';
import { severityOfSentryLevel } from './severity-of-sentry-level.js';
import { statusOfSentryAction } from './status-of-sentry-action.js';
import { toIsoTimestamp } from './to-iso-timestamp.js';

const eventAlertBody = z.object({ data: z.object({ event: sentryEventSchema }) });
const errorBody = z.object({ data: z.object({ error: sentryEventSchema }) });

/**
 * Normalises an event-carrying webhook: `event_alert` (an issue alert rule fired, event under
 * `data.event`) or `error` (every new error, under `data.error`). The fingerprint is the issue id,
 * so alerts and issue webhooks about one problem share a key.
 *
 * Service: the `service` tag (what Datadog's unified tagging and most teams set), else the project
 * slug (from the event's API url), else the `server_name` tag or field. The host name comes last
 * because it changes with every pod and would split one service into many.
 */
export function normaliseSentryEvent(body: unknown, resource: 'event_alert' | 'error', action: string, now: Date): NormalisedSentryAlert {
  const parsed = resource === 'event_alert' ? parseSentryPayload(eventAlertBody, body) : parseSentryPayload(errorBody, body);
  if (!parsed.ok) return parsed;
  const event = 'event' in parsed.data.data ? parsed.data.data.event : parsed.data.data.error;
  const tags = Object.fromEntries(readSentryPairs(event.tags));
  const error = readSentryException(event.exception, event.metadata);
  const request = readSentryRequest(event.request);
  const traceId = event.contexts?.trace?.trace_id;
  return {
    ok: true,
    data: {
      kind: resource === 'event_alert' ? 'event-alert' : 'error',
      action,
      status: statusOfSentryAction(action),
      severity: severityOfSentryLevel(event.level ?? tags.level),
      title: event.title,
      message: event.message || event.logentry?.formatted || error?.value,
      culprit: event.culprit || undefined,
      fingerprint: (event.issue_id ?? event.group_id)!,
      service: tags.service ?? parseProjectSlug(event.url) ?? tags.server_name ?? event.server_name,
      environment: event.environment ?? tags.environment,
      release: event.release ?? tags.release ?? tags['sentry:release'],
      links: [event.web_url ?? event.url].filter((link): link is string => Boolean(link)),
      tags,
      traceIds: traceId ? [traceId] : [],
      requestIds: readSentryRequestIds(tags, event.request),
      error,
      request,
      firedAt: toIsoTimestamp(event.timestamp) ?? toIsoTimestamp(event.datetime) ?? now.toISOString(),
    },
  };
}
