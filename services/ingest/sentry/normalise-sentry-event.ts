import { payloadProblem, wrongType } from './parse-sentry-payload.js';
import { parseProjectSlug } from './parse-project-slug.js';
import { readSentryException } from './read-sentry-exception.js';
import { readSentryId } from './read-sentry-id.js';
import { readSentryPairs } from './read-sentry-pairs.js';
import { readSentryRequest } from './read-sentry-request.js';
import { readSentryRequestIds } from './read-sentry-request-ids.js';
import { isRecord, optionalRecord, optionalString, optionalText, readSentryMetadata } from './read-sentry-values.js';
import type { NormalisedSentryAlert } from './sentry-alert-fields.js';
import { severityOfSentryLevel } from './severity-of-sentry-level.js';
import { statusOfSentryAction } from './status-of-sentry-action.js';
import { toIsoTimestamp } from './to-iso-timestamp.js';

/**
 * Normalises an event-carrying webhook: `event_alert` (an issue alert rule fired, event under
 * `data.event`) or `error` (every new error, under `data.error`). Only the event's title and issue
 * are required; the rest enriches the alert when present. The fingerprint is the issue id (the
 * legacy `group_id` when absent), so alerts and issue webhooks about one problem share a key.
 *
 * Service: the `service` tag (what Datadog's unified tagging and most teams set), else the project
 * slug (from the event's API url), else the `server_name` tag or field. The host name comes last
 * because it changes with every pod and would split one service into many.
 */
export function normaliseSentryEvent(body: unknown, resource: 'event_alert' | 'error', action: string, now: Date): NormalisedSentryAlert {
  if (!isRecord(body)) return wrongType('(root)', 'object', body);
  const { data } = body;
  if (!isRecord(data)) return wrongType('data', 'object', data);
  const field = resource === 'event_alert' ? 'data.event' : 'data.error';
  const event = resource === 'event_alert' ? data.event : data.error;
  if (!isRecord(event)) return wrongType(field, 'object', event);
  const { title } = event;
  if (typeof title !== 'string') return wrongType(`${field}.title`, 'string', title);
  const issueId = readSentryId(event.issue_id) ?? readSentryId(event.group_id);
  if (issueId === undefined) return payloadProblem(`${field}.issue_id`, 'the event names no issue (neither issue_id nor group_id)');

  const tags = Object.fromEntries(readSentryPairs(event.tags));
  const error = readSentryException(event.exception, readSentryMetadata(event.metadata));
  const traceId = optionalText(optionalRecord(optionalRecord(event.contexts)?.trace)?.trace_id);
  const link = optionalString(event.web_url) ?? optionalString(event.url);
  return {
    ok: true,
    data: {
      kind: resource === 'event_alert' ? 'event-alert' : 'error',
      action,
      status: statusOfSentryAction(action),
      severity: severityOfSentryLevel(optionalString(event.level) ?? tags.level),
      title,
      message: optionalString(event.message) || optionalString(optionalRecord(event.logentry)?.formatted) || error?.value,
      culprit: optionalText(event.culprit),
      fingerprint: issueId,
      service: tags.service ?? parseProjectSlug(optionalString(event.url)) ?? tags.server_name ?? optionalString(event.server_name),
      environment: optionalString(event.environment) ?? tags.environment,
      release: optionalString(event.release) ?? tags.release ?? tags['sentry:release'],
      links: link ? [link] : [],
      tags,
      traceIds: traceId ? [traceId] : [],
      requestIds: readSentryRequestIds(tags, event.request),
      error,
      request: readSentryRequest(event.request),
      firedAt: toIsoTimestamp(event.timestamp) ?? toIsoTimestamp(optionalString(event.datetime)) ?? now.toISOString(),
    },
  };
}
