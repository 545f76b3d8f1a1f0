import type { ColumnType, Generated } from 'kysely';
import type { FixAttemptStatus, IncidentStatus, PullRequestState, VerificationVerdict } from './store.js';

/** Which database a store runs on; decides column types and row decoding. */
export type StoreKind = 'sqlite' | 'postgres';

/** ISO text in SQLite, `Date` from pg's timestamptz; always written as an ISO string. */
type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;
/** JSON text in SQLite, already-parsed jsonb from pg; always written as JSON text (or NULL). */
type Json = ColumnType<unknown, string | null, string | null>;

export interface IncidentsTable {
  id: string;
  key: string;
  status: IncidentStatus;
  title: string;
  severity: string;
  services: Json;
  sources: Json;
  alert_count: number;
  triage_report: Json;
  decision: Json;
  reopened_from: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: NullableTimestamp;
}

export interface AlertsTable {
  id: string;
  source: string;
  delivery_id: string;
  incident_id: string | null;
  fingerprint: string;
  kind: string;
  title: string;
  service: string | null;
  severity: string;
  received_at: Timestamp;
  payload: Json;
}

export interface HandledEventsTable {
  consumer: string;
  event_id: string;
  handled_at: Timestamp;
  /** JSON text of the emitted events not yet published (the outbox), or NULL when none are. */
  pending: string | null;
}

export interface FixAttemptsTable {
  id: string;
  incident_id: string;
  strategy: string;
  status: FixAttemptStatus;
  repository: string | null;
  branch: string | null;
  candidate: Json;
  usage: Json;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PullRequestsTable {
  incident_id: string;
  attempt_id: string;
  repository: string;
  number: number;
  url: string;
  state: PullRequestState;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface VerificationRunsTable {
  id: string;
  incident_id: string;
  attempt_id: string;
  verdict: VerificationVerdict;
  report: Json;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface AuditLogTable {
  /** pg returns bigint identity values as strings. */
  seq: Generated<number | string>;
  at: Timestamp;
  incident_id: string | null;
  actor: string;
  action: string;
  detail: Json;
}

export interface DeliveriesTable {
  source: string;
  delivery_id: string;
  event_id: string;
  received_at: Timestamp;
}

/** Every grouping key an incident answers to: fingerprints (`fp:`) and trace ids (`trace:`). */
export interface IncidentKeysTable {
  key: string;
  incident_id: string;
  added_at: Timestamp;
}

/** Runtime switches (the kill switch), one row per name. */
export interface ControlsTable {
  name: string;
  value: Json;
  updated_by: string;
  updated_at: Timestamp;
}

/** The Kysely database type shared by both dialects. */
export interface Database {
  incident_keys: IncidentKeysTable;
  incidents: IncidentsTable;
  alerts: AlertsTable;
  handled_events: HandledEventsTable;
  fix_attempts: FixAttemptsTable;
  pull_requests: PullRequestsTable;
  verification_runs: VerificationRunsTable;
  audit_log: AuditLogTable;
  deliveries: DeliveriesTable;
  controls: ControlsTable;
}
