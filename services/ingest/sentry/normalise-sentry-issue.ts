import { payloadProblem, wrongType } from './parse-sentry-payload.js';
import { readSentryId, sentryIdProblem } from './read-sentry-id.js';
import { isRecord, optionalRecord, optionalString, optionalText, readSentryMetadata } from './read-sentry-values.js';
import type { NormalisedSentryAlert } from './sentry-alert-fields.js';
import { severityOfSentryLevel } from './severity-of-sentry-level.js';
import { statusOfSentryAction } from './status-of-sentry-action.js';
import { toIsoTimestamp } from './to-iso-timestamp.js';

/**
 * When an issue action happened: creation at the first event, a regression (`unresolved`) at the
 * latest one; resolving, assigning and archiving are people acting now.
 */
function firedAtOf(action: string, firstSeen: string | undefined, lastSeen: string | undefined, now: Date): string {
  const at = action === 'created' ? firstSeen : action === 'unresolved' ? lastSeen : undefined;
  return at ?? now.toISOString();
}

/**
 * Normalises an `issue` webhook (a Sentry issue, i.e. group, created or changing state). The payload
 * has no tags, trace or stack: the issue's metadata gives the error type and value, and the project
 * slug stands for the service.
 */
export function normaliseSentryIssue(body: unknown, action: string, now: Date): NormalisedSentryAlert {
  if (!isRecord(body)) return wrongType('(root)', 'object', body);
  const { data } = body;
  if (!isRecord(data)) return wrongType('data', 'object', data);
  const { issue } = data;
  if (!isRecord(issue)) return wrongType('data.issue', 'object', issue);
  const id = readSentryId(issue.id);
  if (id === undefined) return payloadProblem('data.issue.id', sentryIdProblem(issue.id));
  const { title } = issue;
  if (typeof title !== 'string') return wrongType('data.issue.title', 'string', title);
  const link = optionalString(issue.web_url) ?? optionalString(issue.permalink) ?? optionalString(issue.url);
  const metadata = readSentryMetadata(issue.metadata);
  const firstSeen = toIsoTimestamp(issue.firstSeen);
  const lastSeen = toIsoTimestamp(issue.lastSeen);
  const errorType = metadata?.type;
  return {
    ok: true,
    data: {
      kind: 'issue',
      action,
      status: statusOfSentryAction(action),
      severity: severityOfSentryLevel(optionalString(issue.level)),
      title,
      message: metadata?.value || undefined,
      culprit: optionalText(issue.culprit),
      fingerprint: id,
      service: optionalText(optionalRecord(issue.project)?.slug),
      links: link ? [link] : [],
      tags: {},
      traceIds: [],
      requestIds: [],
      error: errorType ? { type: errorType, ...(metadata?.value ? { value: metadata.value } : {}), frames: [] } : undefined,
      firstSeen,
      lastSeen,
      firedAt: firedAtOf(action, firstSeen, lastSeen, now),
    },
  };
}
