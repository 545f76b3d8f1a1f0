import { z } from 'zod';
import { defineEvent } from './define-event.js';

/**
 * Grouping changed an incident in a way that calls for (re)triage: it was opened, it recurred after
 * its resolution, or an alert brought a service it did not have (new logs and frames to read); or a
 * firing alert took it out of recovery (`reopened`: a merged fix did not hold).
 */
export const incidentChangedPayload = z.object({
  incidentId: z.string().min(1),
  change: z.enum(['opened', 'recurrence', 'service-joined', 'reopened']),
  /** The fingerprint the incident was opened under. */
  key: z.string().min(1),
  /** The resolved incident this one recurs after, when it is a recurrence. */
  reopenedFrom: z.string().nullable(),
  /** The alert that made the change. */
  alertId: z.string().min(1),
  /** Services the alert added. */
  services: z.array(z.string()),
});

export const incidentChangedV1 = defineEvent('incident.changed.v1', incidentChangedPayload);
export type IncidentChangedPayload = z.infer<typeof incidentChangedPayload>;
