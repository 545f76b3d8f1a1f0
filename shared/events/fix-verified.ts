import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { pullRequestRef } from './fix-drafted.js';

const replayOutcome = z.enum(['failed', 'passed', 'skipped', 'error']);

/** The verification gate's verdict on one fix attempt. */
export const fixVerifiedPayload = z.object({
  incidentId: z.string().min(1),
  attemptId: z.string().min(1),
  repository: z.string().min(1),
  pullRequest: pullRequestRef,
  verdict: z.enum(['passed', 'failed', 'unverifiable']),
  /** Red to green: the base must fail the replay and the fix must pass it. */
  replay: z.object({ base: replayOutcome, fix: replayOutcome }).nullable(),
  steps: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['passed', 'failed', 'skipped', 'timed-out']),
      durationMs: z.number().nonnegative(),
      exitCode: z.number().int().nullable().optional(),
    }),
  ),
  readyForReview: z.boolean(),
  summary: z.string(),
});

export const fixVerifiedV1 = defineEvent('fix.verified.v1', fixVerifiedPayload);
export type FixVerifiedPayload = z.infer<typeof fixVerifiedPayload>;
