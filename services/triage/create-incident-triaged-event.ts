import { alertSeverity } from '../../shared/events/alert-received.js';
import { createEvent } from '../../shared/events/create-event.js';
import type { RuleDecision } from '../../shared/events/incident-triaged.js';
import type { EventOf } from '../../shared/events/registry.js';
import type { Incident } from '../../shared/store/store.js';
import type { TriageReport } from './report/triage-report.js';

/** `incident.triaged.v1` for a stored incident, its report and its decision: what the fixer acts on. */
export function createIncidentTriagedEvent(incident: Incident, report: TriageReport, decision: RuleDecision, now: () => Date): EventOf<'incident.triaged.v1'> {
  const suspect = report.suspectCommits[0];
  const severity = alertSeverity.safeParse(incident.severity);
  return createEvent(
    'incident.triaged.v1',
    {
      key: incident.key,
      payload: {
        incidentId: incident.id,
        title: incident.title,
        severity: severity.success ? severity.data : 'error',
        services: report.services,
        alertCount: Math.max(1, incident.alertCount),
        rootCause: report.rootCause,
        suspectCommit: suspect ? { repository: suspect.repository, sha: suspect.sha, reasons: suspect.reasons } : null,
        decision,
      },
    },
    { now },
  );
}
