import { z } from 'zod';
import { alertSeverity } from './alert-received.js';
import { defineEvent } from './define-event.js';

export const ruleAction = z.enum(['ignore', 'notify', 'triage', 'draft-fix', 'auto-revert']);
export const fixStrategy = z.enum(['revert', 'template', 'llm']);

/** What the rules decided for an incident, and why. */
export const ruleDecision = z.object({
  action: ruleAction,
  /** null when no rule matched and the default applied. */
  ruleId: z.string().nullable(),
  reasons: z.array(z.string()),
  strategies: z.array(fixStrategy),
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
