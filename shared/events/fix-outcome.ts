import { z } from 'zod';
import { defineEvent } from './define-event.js';

/**
 * What became of a merged fix, seen by triage's resolution sweep: it held (its incident went quiet and
 * was resolved). The fixer says so on the PR. (A fix that did not hold is news from grouping instead:
 * `incident.changed.v1` reopened or recurrence.)
 */
export const fixOutcomePayload = z.object({
  /** The incident the merged pull request fixed. */
  incidentId: z.string().min(1),
  outcome: z.enum(['held']),
  repository: z.string().min(1),
  pullRequest: z.number().int().positive(),
  /** Why, in words for the PR comment and the timeline. */
  reason: z.string().min(1),
  /** For `held`: the quiet period that resolved the incident. */
  quietMinutes: z.number().int().positive().optional(),
});

export const fixOutcomeV1 = defineEvent('fix.outcome.v1', fixOutcomePayload);
export type FixOutcomePayload = z.infer<typeof fixOutcomePayload>;
