/**
 * The Store: Nightshift's state (incidents, alerts, fixes, PRs, verification, audit) behind one
 * interface, implemented on SQLite (embedded default) and PostgreSQL (scale-out). Writes that may be
 * repeated by an at-least-once delivery are idempotent by key, and say whether they changed anything.
 */

export type IncidentStatus = 'open' | 'triaged' | 'fixing' | 'verifying' | 'recovering' | 'resolved' | 'ignored';
export type FixAttemptStatus = 'pending' | 'drafted' | 'rejected' | 'verifying' | 'verified' | 'failed';
export type PullRequestState = 'draft' | 'ready' | 'merged' | 'closed';
export type VerificationVerdict = 'running' | 'passed' | 'failed' | 'unverifiable';

export interface Incident {
  id: string;
  /** Grouping key (fingerprint) that alerts of this incident share; also the bus partition key. */
  key: string;
  status: IncidentStatus;
  title: string;
  severity: string;
  services: string[];
  sources: string[];
  alertCount: number;
  /** The `TriageReport` once triage ran (shape owned by the triage service). */
  triageReport: unknown | null;
  /** The rule decision with the rule id and the reasons. */
  decision: unknown | null;
  /** The incident this one recurs after, when it was reopened. */
  reopenedFrom: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
}

export interface NewIncident {
  id: string;
  key: string;
  title: string;
  severity: string;
  services?: string[];
  sources?: string[];
  status?: IncidentStatus;
  reopenedFrom?: string | null;
}

export type IncidentPatch = Partial<
  Pick<Incident, 'status' | 'title' | 'severity' | 'services' | 'sources' | 'alertCount' | 'triageReport' | 'decision' | 'resolvedAt'>
>;

export interface AlertRecord {
  /** The id of the `alert.received.v1` event. */
  id: string;
  source: string;
  /** The sender's delivery id (Sentry Request-ID, GitHub X-GitHub-Delivery, a hash for Datadog). */
  deliveryId: string;
  incidentId: string | null;
  fingerprint: string;
  kind: string;
  title: string;
  service: string | null;
  severity: string;
  receivedAt: string;
  /** The normalised alert payload as published. */
  payload: unknown;
}

export type NewAlert = Omit<AlertRecord, 'incidentId'> & { incidentId?: string | null };

export interface FixAttempt {
  id: string;
  incidentId: string;
  strategy: string;
  status: FixAttemptStatus;
  repository: string | null;
  branch: string | null;
  /** The `FixCandidate` (diff, rationale, confidence) once one exists. */
  candidate: unknown | null;
  /** LLM usage: tokens and cost. */
  usage: unknown | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewFixAttempt {
  id: string;
  incidentId: string;
  strategy: string;
  repository?: string | null;
  branch?: string | null;
  status?: FixAttemptStatus;
}

export type FixAttemptPatch = Partial<Pick<FixAttempt, 'status' | 'repository' | 'branch' | 'candidate' | 'usage' | 'error'>>;

export interface PullRequestLink {
  incidentId: string;
  attemptId: string;
  repository: string;
  number: number;
  url: string;
  state: PullRequestState;
  createdAt: string;
  updatedAt: string;
}

export type NewPullRequestLink = Omit<PullRequestLink, 'createdAt' | 'updatedAt' | 'state'> & { state?: PullRequestState };

export interface VerificationRun {
  id: string;
  incidentId: string;
  attemptId: string;
  verdict: VerificationVerdict;
  /** Steps, replay results and logs (shape owned by the verifier). */
  report: unknown | null;
  startedAt: string;
  finishedAt: string | null;
}

export type NewVerificationRun = Omit<VerificationRun, 'startedAt' | 'finishedAt'> & { finishedAt?: string | null };

/** A webhook or envelope delivery ingest accepted: what makes a redelivery recognisable. */
export interface DeliveryRecord {
  source: string;
  deliveryId: string;
  /** The event the delivery became; a redelivery is answered with it. */
  eventId: string;
  receivedAt: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  incidentId: string | null;
  actor: string;
  action: string;
  detail: unknown;
}

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at'>;

/** A runtime switch operators flip without a restart (the kill switch), with who flipped it last. */
export interface ControlSetting {
  name: string;
  value: unknown;
  updatedBy: string;
  updatedAt: string;
}

export interface ListIncidentsQuery {
  status?: IncidentStatus[];
  /** ISO timestamp: incidents updated at or after. */
  updatedSince?: string;
  limit?: number;
  offset?: number;
}

export interface ListAlertsQuery {
  incidentId?: string;
  /** ISO timestamp: alerts received at or after. */
  since?: string;
  limit?: number;
}

/** What a handled event emitted and is still to be published, as stored by `markHandled`. */
export interface PendingEvents {
  eventId: string;
  events: unknown[];
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';

  /** Cheap round trip, for readiness probes. */
  ping(): Promise<void>;
  /** Runs `work` in one database transaction; everything it does through `tx` commits or rolls back together. */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;

  /**
   * Records that `consumer` handled `eventId`; false when it already had (the delivery is a repeat).
   * `pending`: the events its handling emitted and that are not yet published (an outbox), kept with
   * the mark until `clearPending`; omitted or empty when there are none.
   */
  markHandled(consumer: string, eventId: string, pending?: readonly unknown[]): Promise<boolean>;
  hasHandled(consumer: string, eventId: string): Promise<boolean>;
  /** The ids among `eventIds` that `consumer` already handled (one lookup for a batch of deliveries). */
  findHandled(consumer: string, eventIds: string[]): Promise<string[]>;
  /** The handled events among `eventIds` that still have pending events, in no particular order. */
  findPending(consumer: string, eventIds: string[]): Promise<PendingEvents[]>;
  /** Forgets the pending events of these handled events (they were published); the marks stay. */
  clearPending(consumer: string, eventIds: string[]): Promise<void>;

  /** Inserts unless an alert with the same (source, deliveryId) exists; returns the stored one either way. */
  insertAlert(alert: NewAlert): Promise<{ inserted: boolean; alert: AlertRecord }>;
  assignAlert(alertId: string, incidentId: string): Promise<void>;
  listAlerts(query?: ListAlertsQuery): Promise<AlertRecord[]>;

  createIncident(incident: NewIncident): Promise<Incident>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** The newest incident with this key that is not resolved or ignored. */
  findOpenIncidentByKey(key: string): Promise<Incident | undefined>;
  updateIncident(id: string, patch: IncidentPatch): Promise<Incident>;
  /** Adds to the alert count in the database (no read-modify-write race between consumers). */
  incrementAlertCount(id: string, by: number): Promise<Incident>;
  /** Records grouping keys (fingerprints, trace ids) the incident answers to; repeats are ignored. */
  addIncidentKeys(incidentId: string, keys: string[]): Promise<void>;
  /** Incidents answering to any of the keys, newest activity first, optionally only in some statuses. */
  findIncidentsByKeys(keys: string[], query?: { status?: IncidentStatus[]; limit?: number }): Promise<Incident[]>;
  /** Newest first (by updatedAt). */
  listIncidents(query?: ListIncidentsQuery): Promise<Incident[]>;
  /** Incidents per status (statuses with none are absent), for the metrics gauge. */
  countIncidentsByStatus(): Promise<Partial<Record<IncidentStatus, number>>>;
  /**
   * Resolves incidents in `recovering` that have been quiet since `quietSince`: not updated (an alert
   * bumps `updatedAt`) and no alert received since. One conditional UPDATE, so of several sweeps
   * racing, each incident is resolved by exactly one; returns the incidents this call resolved.
   */
  resolveQuietIncidents(query: { quietSince: string; limit?: number }): Promise<Incident[]>;

  createFixAttempt(attempt: NewFixAttempt): Promise<FixAttempt>;
  updateFixAttempt(id: string, patch: FixAttemptPatch): Promise<FixAttempt>;
  listFixAttempts(incidentId: string): Promise<FixAttempt[]>;

  /** Inserts unless the incident already has a PR in that repository; returns the stored link either way. */
  linkPullRequest(link: NewPullRequestLink): Promise<{ inserted: boolean; link: PullRequestLink }>;
  updatePullRequestState(repository: string, number: number, state: PullRequestState): Promise<void>;
  listPullRequests(incidentId: string): Promise<PullRequestLink[]>;
  /** The incident's PR for a forge event about `repository#number`, if Nightshift opened it. */
  findPullRequestLink(repository: string, number: number): Promise<PullRequestLink | undefined>;
  /** After `/nightshift retry` on a closed PR: the incident's link now points at the new PR. */
  replacePullRequest(link: NewPullRequestLink): Promise<PullRequestLink>;
  /** Pull requests in `repository` still open (draft or ready), across incidents. */
  countOpenPullRequests(repository: string): Promise<number>;

  /** Inserts or replaces the run with this id. */
  recordVerification(run: NewVerificationRun): Promise<VerificationRun>;
  listVerifications(incidentId: string): Promise<VerificationRun[]>;

  /**
   * Records an accepted delivery unless (source, deliveryId) is already known; returns the stored one.
   * The ledger commits on its own (on SQLite it is a file of its own): refused inside `transaction()`.
   */
  recordDelivery(delivery: Omit<DeliveryRecord, 'receivedAt'>): Promise<{ inserted: boolean; delivery: DeliveryRecord }>;
  /** Refused inside `transaction()`, as `recordDelivery`. */
  findDelivery(source: string, deliveryId: string): Promise<DeliveryRecord | undefined>;

  getControl(name: string): Promise<ControlSetting | undefined>;
  /** Inserts or replaces the setting; returns it as stored. */
  setControl(setting: Omit<ControlSetting, 'updatedAt'>): Promise<ControlSetting>;

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  listAudit(query?: { incidentId?: string; limit?: number }): Promise<AuditEntry[]>;

  close(): Promise<void>;
}
