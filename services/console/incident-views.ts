import type { Incident, Store } from '../../shared/store/store.js';

/** One row of `GET /api/incidents`. */
export function toIncidentSummary(incident: Incident) {
  return {
    id: incident.id,
    status: incident.status,
    title: incident.title,
    severity: incident.severity,
    services: incident.services,
    alertCount: incident.alertCount,
    sources: incident.sources,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
  };
}

/** Everything known about one incident, for `GET /api/incidents/:id`; undefined when unknown. */
export async function loadIncidentDetail(store: Store, id: string) {
  const incident = await store.getIncident(id);
  if (!incident) return undefined;
  const [alerts, fixAttempts, pullRequests, verifications, audit] = await Promise.all([
    store.listAlerts({ incidentId: id }),
    store.listFixAttempts(id),
    store.listPullRequests(id),
    store.listVerifications(id),
    store.listAudit({ incidentId: id }),
  ]);
  return {
    ...toIncidentSummary(incident),
    resolvedAt: incident.resolvedAt,
    reopenedFrom: incident.reopenedFrom,
    alerts,
    triageReport: incident.triageReport,
    decision: incident.decision,
    fixAttempts,
    pullRequests,
    verifications,
    timeline: audit,
  };
}
