import { z } from 'zod';
import { defineEvent } from './define-event.js';

/** Grouping opened an incident (or reopened one after its resolution): the cue to triage it. */
export const incidentOpenedPayload = z.object({
  incidentId: z.string().min(1),
  /** The fingerprint the incident was opened under. */
  key: z.string().min(1),
  /** The resolved incident this one recurs after, when it is a recurrence. */
  reopenedFrom: z.string().nullable(),
  /** The alert that opened it. */
  alertId: z.string().min(1),
});

export const incidentOpenedV1 = defineEvent('incident.opened.v1', incidentOpenedPayload);
export type IncidentOpenedPayload = z.infer<typeof incidentOpenedPayload>;
