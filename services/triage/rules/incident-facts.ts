import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import type { Store } from '../../../shared/store/store.js';

/** What the rules look at for one incident: its alerts (firing ones when there are any) and when. */
export interface IncidentFacts {
  incidentId: string | null;
  severity: string;
  alerts: AlertReceivedPayload[];
  /** When each alert was received (ms), in the order of `alerts`. */
  receivedAt: number[];
  /** The latest alert's receipt: the moment windows (count, rate, time of day) end at. */
  latestAt: number;
}

function build(incidentId: string | null, severity: string, alerts: { payload: AlertReceivedPayload; receivedAt: number }[]): IncidentFacts {
  const firing = alerts.filter((alert) => alert.payload.status !== 'resolved');
  const basis = (firing.length > 0 ? firing : alerts).sort((a, b) => a.receivedAt - b.receivedAt);
  return {
    incidentId,
    severity,
    alerts: basis.map((alert) => alert.payload),
    receivedAt: basis.map((alert) => alert.receivedAt),
    latestAt: basis.at(-1)?.receivedAt ?? 0,
  };
}

/**
 * The facts of a stored incident. Windows end at its latest alert rather than at the clock, so live
 * triage and a replay a week later see the same counts.
 */
export async function collectIncidentFacts(store: Store, incidentId: string): Promise<IncidentFacts | undefined> {
  const incident = await store.getIncident(incidentId);
  if (!incident) return undefined;
  const alerts = await store.listAlerts({ incidentId });
  return build(
    incidentId,
    incident.severity,
    alerts.map((record) => ({ payload: record.payload as AlertReceivedPayload, receivedAt: Date.parse(record.receivedAt) })),
  );
}

/** The facts of one alert on its own, as `rules explain --alert` evaluates it. */
export function factsFromAlert(alert: AlertReceivedPayload): IncidentFacts {
  const at = Date.parse(alert.receivedAt);
  return build(null, alert.severity, [{ payload: alert, receivedAt: Number.isNaN(at) ? Date.parse(alert.firedAt) : at }]);
}
