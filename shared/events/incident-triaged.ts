import { z } from 'zod';
import { alertSeverity } from './alert-received.js';
import { defineEvent } from './define-event.js';

export const ruleAction = z.enum(['ignore', 'notify', 'triage', 'draft-fix', 'auto-revert']);
export const fixStrategy = z.enum(['revert', 'template', 'llm']);

/** How far a fix may go, as the matching rule allows: what the fixer and the verifier obey. */
export const fixPermissions = z.object({
  /** Tried in this order; the first candidate that passes the diff policy (and verification) wins. */
  strategies: z.array(fixStrategy),
  /** A model tier from `fixer.llm.models` ("small", "large", …). */
  modelTier: z.string().min(1),
  maxTokens: z.number().int().positive(),
  maxUsd: z.number().nonnegative(),
  /** Repository names a fix may touch; empty means the root-cause service's repository. */
  repositories: z.array(z.string()),
  /** Globs (repository-relative) a fix may touch; empty means any path the diff policy allows. */
  paths: z.array(z.string()),
  /** A profile name from `verifier.profiles`; null means the repository's own. */
  verificationProfile: z.string().nullable(),
  reviewers: z.array(z.string()),
  labels: z.array(z.string()),
  /** A person must approve (`/nightshift approve`) before the fixer starts. */
  requireApproval: z.boolean(),
  /** After a failed verification: try the next strategy on the same PR (the default), or close the PR. */
  onVerificationFailure: z.enum(['next-strategy', 'close']).optional(),
});

/** What the rules decided for an incident, and why. */
export const ruleDecision = z.object({
  action: ruleAction,
  /** null when no rule matched and the default applied. */
  ruleId: z.string().nullable(),
  reasons: z.array(z.string()),
  strategies: z.array(fixStrategy),
  /** Present for draft-fix and auto-revert. */
  fix: fixPermissions.nullable().optional(),
  /** The rule's own action when a global control (kill switch, quiet hours, limits) lowered it. */
  downgradedFrom: ruleAction.optional(),
  /** When the decision was made: rate limits count fixes decided in the last hour. */
  decidedAt: z.string().optional(),
});

export const incidentTriagedPayload = z.object({
  incidentId: z.string().min(1),
  title: z.string(),
  severity: alertSeverity,
  services: z.array(z.string()),
  alertCount: z.number().int().positive(),
  rootCause: z
    .object({
      service: z.string(),
      confidence: z.number().min(0).max(1),
      reasons: z.array(z.string()),
    })
    .nullable(),
  suspectCommit: z
    .object({
      repository: z.string(),
      sha: z.string().regex(/^[0-9a-f]{7,64}$/, 'a git commit sha'),
      reasons: z.array(z.string()),
    })
    .nullable(),
  decision: ruleDecision,
});

export const incidentTriagedV1 = defineEvent('incident.triaged.v1', incidentTriagedPayload);
export type IncidentTriagedPayload = z.infer<typeof incidentTriagedPayload>;
export type RuleDecision = z.infer<typeof ruleDecision>;
export type FixPermissions = z.infer<typeof fixPermissions>;
export type FixStrategyName = z.infer<typeof fixStrategy>;
