import { deriveEventId } from '../../shared/events/create-event.js';
import type { EventOf } from '../../shared/events/registry.js';
import type { Incident, IncidentPatch, Store } from '../../shared/store/store.js';

function union(list: string[], value: string | undefined): string[] {
  return value && !list.includes(value) ? [...list, value] : list;
}

/** The incident status an alert implies for an open incident: a resolution makes it recovering. */
function statusAfter(incident: Incident, status: 'firing' | 'resolved' | 'info'): Incident['status'] {
  if (status === 'resolved') return 'recovering';
  if (status === 'firing' && incident.status === 'recovering') return 'open';
  return incident.status;
}

/**
 * Stores an alert and groups it into the open incident with the same fingerprint, or opens one.
 * Idempotent: an alert already stored (same source and delivery) changes nothing. Runs inside the
 * handler's transaction, so the alert, the incident and the count commit together.
 */
export async function recordAlert(event: EventOf<'alert.received.v1'>, store: Store): Promise<Incident | undefined> {
  const alert = event.payload;
  const { inserted } = await store.insertAlert({
    id: event.id,
    source: alert.source,
    deliveryId: alert.deliveryId,
    fingerprint: alert.fingerprint,
    kind: `${alert.kind}.${alert.action}`,
    title: alert.title,
    service: alert.service ?? null,
    severity: alert.severity,
    receivedAt: alert.receivedAt,
    payload: alert,
  });
  if (!inserted) return undefined;

  const open = await store.findOpenIncidentByKey(alert.fingerprint);
  const incident =
    open ??
    (await store.createIncident({
      // Derived from the alert, so a repeated handler run names the same incident.
      id: deriveEventId(`incident/${event.id}`, 0),
      key: alert.fingerprint,
      title: alert.title,
      severity: alert.severity,
      services: alert.service ? [alert.service] : [],
      sources: [alert.source],
    }));
  await store.assignAlert(event.id, incident.id);
  const patch: IncidentPatch = {
    alertCount: incident.alertCount + 1,
    services: union(incident.services, alert.service),
    sources: union(incident.sources, alert.source),
    status: statusAfter(incident, alert.status),
  };
  return store.updateIncident(incident.id, patch);
}
