import { deriveEventId } from '../../../shared/events/create-event.js';
import type { EventOf } from '../../../shared/events/registry.js';
import type { Incident, IncidentStatus, Store } from '../../../shared/store/store.js';
import type { CallPaths } from './create-call-paths.js';

/** Statuses an incident takes new alerts in; `resolved` is over, and a recurrence opens a linked one. */
export const ACTIVE_STATUSES: IncidentStatus[] = ['open', 'triaged', 'fixing', 'verifying', 'recovering', 'ignored'];

export interface GroupingOptions {
  callPaths: CallPaths;
  /** Alerts from services on one call path join an incident active within this window. */
  correlationWindowMs: number;
}

export type GroupingReason = 'fingerprint' | 'trace' | 'call-path' | 'new' | 'recurrence';

export interface GroupingOutcome {
  incident: Incident;
  reason: GroupingReason;
  /** True when this alert opened the incident (new, or a recurrence after resolution). */
  opened: boolean;
  /** Services this alert added to an incident that already existed. */
  joinedServices: string[];
  /** A firing alert took the incident out of recovery (after a merged fix or a vendor's resolution). */
  reopened: boolean;
}

const SEVERITY_ORDER = ['info', 'warning', 'error', 'critical'];

function worse(a: string, b: string): string {
  return SEVERITY_ORDER.indexOf(b) > SEVERITY_ORDER.indexOf(a) ? b : a;
}

function union(list: string[], value: string | undefined | null): string[] {
  return value && !list.includes(value) ? [...list, value] : list;
}

function statusAfter(current: IncidentStatus, alert: 'firing' | 'resolved' | 'info'): IncidentStatus {
  if (alert === 'resolved' && current !== 'ignored') return 'recovering';
  if (alert === 'firing' && current === 'recovering') return 'open';
  return current;
}

async function findJoinable(
  alert: EventOf<'alert.received.v1'>['payload'],
  store: Store,
  options: GroupingOptions,
): Promise<{ incident: Incident; reason: GroupingReason } | undefined> {
  const [byFingerprint] = await store.findIncidentsByKeys([`fp:${alert.fingerprint}`], { status: ACTIVE_STATUSES, limit: 1 });
  if (byFingerprint) return { incident: byFingerprint, reason: 'fingerprint' };

  const traceKeys = alert.traceIds.map((id) => `trace:${id}`);
  const [byTrace] = await store.findIncidentsByKeys(traceKeys, { status: ACTIVE_STATUSES, limit: 1 });
  if (byTrace) return { incident: byTrace, reason: 'trace' };

  // A resolution on its own never joins by proximity: it belongs to its own fingerprint or nothing.
  if (!alert.service || alert.status === 'resolved') return undefined;
  const since = new Date(Date.parse(alert.receivedAt) - options.correlationWindowMs).toISOString();
  const recent = await store.listIncidents({ status: ACTIVE_STATUSES.filter((s) => s !== 'ignored'), updatedSince: since, limit: 50 });
  const service = alert.service;
  const nearby = recent.find((incident) => incident.services.some((other) => options.callPaths.onOnePath(service, other)));
  return nearby && { incident: nearby, reason: 'call-path' };
}

/**
 * Stores an alert and groups it into the incident of the same failure: one sharing its fingerprint
 * or a trace id, or one on the same call path active within the correlation window; else it opens
 * an incident, linked to the resolved one it recurs after. Idempotent: an alert already stored
 * changes nothing. Runs in the handler's transaction, so alert, incident and count commit together.
 */
export async function groupAlert(event: EventOf<'alert.received.v1'>, store: Store, options: GroupingOptions): Promise<GroupingOutcome | undefined> {
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

  const joinable = await findJoinable(alert, store, options);
  let incident: Incident;
  let reason: GroupingReason;
  if (joinable) {
    ({ incident, reason } = joinable);
  } else {
    const [previous] = await store.findIncidentsByKeys([`fp:${alert.fingerprint}`], { status: ['resolved'], limit: 1 });
    reason = previous ? 'recurrence' : 'new';
    incident = await store.createIncident({
      // Derived from the alert, so a repeated handler run names the same incident.
      id: deriveEventId(`incident/${event.id}`, 0),
      key: alert.fingerprint,
      title: alert.title,
      severity: alert.severity,
      services: alert.service ? [alert.service] : [],
      sources: [alert.source],
      reopenedFrom: previous?.id ?? null,
    });
  }

  await store.addIncidentKeys(incident.id, [`fp:${alert.fingerprint}`, ...alert.traceIds.map((id) => `trace:${id}`)]);
  await store.assignAlert(event.id, incident.id);
  incident = await store.incrementAlertCount(incident.id, 1);

  const services = union(incident.services, alert.service);
  const joined = services !== incident.services && alert.service ? [alert.service] : [];
  const sources = union(incident.sources, alert.source);
  const wasRecovering = incident.status === 'recovering';
  const status = statusAfter(incident.status, alert.status);
  const severity = alert.status === 'firing' ? worse(incident.severity, alert.severity) : incident.severity;
  // In a storm nothing but the count changes: skip the write.
  if (services !== incident.services || sources !== incident.sources || status !== incident.status || severity !== incident.severity) {
    incident = await store.updateIncident(incident.id, { services, sources, status, severity });
  }
  const opened = reason === 'new' || reason === 'recurrence';
  return { incident, reason, opened, joinedServices: opened ? [] : joined, reopened: wasRecovering && status === 'open' };
}
