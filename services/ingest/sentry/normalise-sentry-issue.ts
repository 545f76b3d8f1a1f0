import { z } from 'zod';
import { parseSentryPayload } from './parse-sentry-payload.js';
import type { NormalisedSentryAlert } from './sentry-alert-fields.js';
import { sentryId, sentryMetadata, tolerate } from './sentry-schema-parts.js';
import { severityOfSentryLevel } from './severity-of-sentry-level.js';
import { statusOfSentryAction } from './status-of-sentry-action.js';
import { toIsoTimestamp } from './to-iso-timestamp.js';

const issueBody = z.object({
  data: z.object({
    issue: z.object({
      id: sentryId,
      title: z.string(),
      culprit: tolerate(z.string()),
      level: tolerate(z.string()),
      web_url: tolerate(z.string()),
      permalink: tolerate(z.string()),
      url: tolerate(z.string()),
      project: tolerate(z.object({ slug: tolerate(z.string().min(1)) })),
      metadata: tolerate(sentryMetadata),
      firstSeen: z.unknown(),
      lastSeen: z.unknown(),
    }),
  }),
});

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
  const parsed = parseSentryPayload(issueBody, body);
  if (!parsed.ok) return parsed;
  const issue = parsed.data.data.issue;
  const firstSeen = toIsoTimestamp(issue.firstSeen);
  const lastSeen = toIsoTimestamp(issue.lastSeen);
  const errorType = issue.metadata?.type;
  return {
    ok: true,
    data: {
      kind: 'issue',
      action,
      status: statusOfSentryAction(action),
      severity: severityOfSentryLevel(issue.level),
      title: issue.title,
      message: issue.metadata?.value || undefined,
      culprit: issue.culprit || undefined,
      fingerprint: issue.id,
      service: issue.project?.slug,
      links: [issue.web_url ?? issue.permalink ?? issue.url].filter((link): link is string => Boolean(link)),
      tags: {},
      traceIds: [],
      requestIds: [],
      error: errorType ? { type: errorType, ...(issue.metadata?.value ? { value: issue.metadata.value } : {}), frames: [] } : undefined,
      firstSeen,
      lastSeen,
      firedAt: firedAtOf(action, firstSeen, lastSeen, now),
    },
  };
}
