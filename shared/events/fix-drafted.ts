import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { fixStrategy } from './incident-triaged.js';

export const pullRequestRef = z.object({
  number: z.number().int().positive(),
  url: z.string().min(1),
});

export const llmUsage = z.object({
  model: z.string(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
});

/** A fix candidate on a branch with its draft pull request. */
export const fixDraftedPayload = z.object({
  incidentId: z.string().min(1),
  attemptId: z.string().min(1),
  strategy: fixStrategy,
  repository: z.string().min(1),
  baseSha: z.string().min(7),
  headSha: z.string().min(7),
  branch: z.string().min(1),
  pullRequest: pullRequestRef,
  files: z.array(z.string()).min(1),
  linesChanged: z.number().int().nonnegative(),
  rationale: z.string(),
  confidence: z.number().min(0).max(1),
  usage: z.array(llmUsage).optional(),
});

export const fixDraftedV1 = defineEvent('fix.drafted.v1', fixDraftedPayload);
export type FixDraftedPayload = z.infer<typeof fixDraftedPayload>;
