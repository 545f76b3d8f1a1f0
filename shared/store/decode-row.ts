import type { Selectable } from 'kysely';
import type {
  AlertsTable,
  AuditLogTable,
  ControlsTable,
  DeliveriesTable,
  FixAttemptsTable,
  IncidentsTable,
  PullRequestsTable,
  StoreKind,
  VerificationRunsTable,
} from './schema.js';
import type { AlertRecord, AuditEntry, ControlSetting, DeliveryRecord, FixAttempt, Incident, PullRequestLink, VerificationRun } from './store.js';

/** Turns database rows into the Store's records, the same on both dialects. */
export interface RowDecoder {
  incident(row: Selectable<IncidentsTable>): Incident;
  alert(row: Selectable<AlertsTable>): AlertRecord;
  fixAttempt(row: Selectable<FixAttemptsTable>): FixAttempt;
  pullRequest(row: Selectable<PullRequestsTable>): PullRequestLink;
  verification(row: Selectable<VerificationRunsTable>): VerificationRun;
  audit(row: Selectable<AuditLogTable>): AuditEntry;
  delivery(row: Selectable<DeliveriesTable>): DeliveryRecord;
  control(row: Selectable<ControlsTable>): ControlSetting;
}

/**
 * The one place the dialects' row shapes differ: SQLite hands back JSON and timestamps as the text we
 * wrote; pg parses jsonb itself (so a stored JSON string must not be parsed twice) and returns Dates.
 */
export function createRowDecoder(kind: StoreKind): RowDecoder {
  const json =
    kind === 'sqlite'
      ? (value: unknown): unknown => (value === null ? null : JSON.parse(value as string))
      : (value: unknown): unknown => value ?? null;
  const time = (value: string | Date): string => (value instanceof Date ? value.toISOString() : value);
  const maybeTime = (value: string | Date | null): string | null => (value === null ? null : time(value));

  return {
    incident: (row) => ({
      id: row.id,
      key: row.key,
      status: row.status,
      title: row.title,
      severity: row.severity,
      services: json(row.services) as string[],
      sources: json(row.sources) as string[],
      alertCount: Number(row.alert_count),
      triageReport: json(row.triage_report),
      decision: json(row.decision),
      reopenedFrom: row.reopened_from,
      createdAt: time(row.created_at),
      updatedAt: time(row.updated_at),
      resolvedAt: maybeTime(row.resolved_at),
    }),
    alert: (row) => ({
      id: row.id,
      source: row.source,
      deliveryId: row.delivery_id,
      incidentId: row.incident_id,
      fingerprint: row.fingerprint,
      kind: row.kind,
      title: row.title,
      service: row.service,
      severity: row.severity,
      receivedAt: time(row.received_at),
      payload: json(row.payload),
    }),
    fixAttempt: (row) => ({
      id: row.id,
      incidentId: row.incident_id,
      strategy: row.strategy,
      status: row.status,
      repository: row.repository,
      branch: row.branch,
      candidate: json(row.candidate),
      usage: json(row.usage),
      error: row.error,
      createdAt: time(row.created_at),
      updatedAt: time(row.updated_at),
    }),
    pullRequest: (row) => ({
      incidentId: row.incident_id,
      attemptId: row.attempt_id,
      repository: row.repository,
      number: Number(row.number),
      url: row.url,
      state: row.state,
      createdAt: time(row.created_at),
      updatedAt: time(row.updated_at),
    }),
    verification: (row) => ({
      id: row.id,
      incidentId: row.incident_id,
      attemptId: row.attempt_id,
      verdict: row.verdict,
      report: json(row.report),
      startedAt: time(row.started_at),
      finishedAt: maybeTime(row.finished_at),
    }),
    audit: (row) => ({
      seq: Number(row.seq),
      at: time(row.at),
      incidentId: row.incident_id,
      actor: row.actor,
      action: row.action,
      detail: json(row.detail),
    }),
    delivery: (row) => ({
      source: row.source,
      deliveryId: row.delivery_id,
      eventId: row.event_id,
      receivedAt: time(row.received_at),
    }),
    control: (row) => ({
      name: row.name,
      value: json(row.value),
      updatedBy: row.updated_by,
      updatedAt: time(row.updated_at),
    }),
  };
}
