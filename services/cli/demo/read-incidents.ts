import type { IncidentStatus } from '../../../shared/store/store.js';
import type { TriageReport } from '../../triage/report/triage-report.js';

/** A row of `GET /api/incidents`. */
export interface IncidentSummary {
  id: string;
  status: IncidentStatus;
  title: string;
  services: string[];
  sources: string[];
  alertCount: number;
  createdAt: string;
  updatedAt: string;
}

/** The part of `GET /api/incidents/:id` the demo reads; the rest stays available as is. */
export interface IncidentDetail extends IncidentSummary {
  alerts: Array<{ source: string; service: string | null; title: string }>;
  triageReport: TriageReport | null;
  decision: unknown;
  fixAttempts: unknown[];
  pullRequests: unknown[];
  verifications: unknown[];
}

/** Incidents through Nightshift's JSON API, as an on-call engineer's tools would read them. */
export async function listIncidents(nightshiftUrl: string): Promise<IncidentSummary[]> {
  const response = await fetch(`${nightshiftUrl}/api/incidents?limit=100`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET /api/incidents answered ${response.status}`);
  return ((await response.json()) as { incidents: IncidentSummary[] }).incidents;
}

export async function getIncident(nightshiftUrl: string, id: string): Promise<IncidentDetail | undefined> {
  const response = await fetch(`${nightshiftUrl}/api/incidents/${encodeURIComponent(id)}`, { signal: AbortSignal.timeout(5000) });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET /api/incidents/${id} answered ${response.status}`);
  return ((await response.json()) as { incident: IncidentDetail }).incident;
}
