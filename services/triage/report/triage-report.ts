import type { LogLevel, LogOrigin } from '../evidence/log-record.js';

/** A log template that is new or bursting in the incident window compared with the baseline window. */
export interface AnomalousTemplate {
  service: string;
  templateId: string;
  template: string;
  kind: 'new' | 'bursting';
  /** The highest level seen among the template's incident-window lines. */
  level: LogLevel;
  incidentCount: number;
  baselineCount: number;
  /** Epoch ms of the template's first line in the incident window. */
  firstSeen: number;
  /** A few raw lines, as evidence. */
  examples: Array<{ message: string; timestamp: number; origin: LogOrigin; traceId?: string }>;
}

/** One step of a trace's cross-service timeline. */
export interface TimelineEntry {
  timestamp: number;
  service: string;
  level: LogLevel;
  message: string;
  templateId?: string;
  origin: LogOrigin;
}

/** Every line that shares a trace id (or request id), across services, in time order. */
export interface TraceTimeline {
  traceId: string;
  services: string[];
  entries: TimelineEntry[];
  /** Epoch ms of the first error-level entry, per service. */
  firstErrorAt: Record<string, number>;
}

/** A caller → callee edge seen in the window (from spans, parent ids or the order of services in traces). */
export interface CallEdge {
  caller: string;
  callee: string;
  /** How many traces showed the edge. */
  count: number;
}

export interface RankedService {
  service: string;
  /** 0..1 */
  confidence: number;
  reasons: string[];
}

export interface SuspectCommit {
  repository: string;
  sha: string;
  author: string;
  /** ISO 8601 commit date. */
  committedAt: string;
  subject: string;
  files: string[];
  score: number;
  reasons: string[];
}

/** Where the root-cause service crashed, mapped to a tracked file: what a fix edits first. */
export interface CrashSite {
  /** The repository's name in the configuration. */
  repository: string;
  /** Repository-relative path of the in-app frame closest to the crash. */
  file: string;
  /** 1-based; absent when the frame pointed at a compiled copy of `file`. */
  line?: number;
  column?: number;
  function?: string;
  errorType: string;
  errorValue?: string;
  /** The other mapped in-app frames, callers after the crash frame. */
  callers: Array<{ file: string; line?: number; function?: string }>;
}

/**
 * A request that failed with a 5xx, as a log line of the incident window described it. Method, path
 * (query parameters naming secrets dropped) and status only: never headers, and a body only when the
 * line carried one with no credential in it.
 */
export interface LoggedRequest {
  service: string;
  method: string;
  path: string;
  status: number;
  /** Epoch ms of the line. */
  timestamp: number;
  body?: string;
  contentType?: string;
}

/** What triage tells an on-call engineer about one incident. */
export interface TriageReport {
  incidentId: string;
  title: string;
  services: string[];
  window: { from: number; to: number; baselineFrom: number };
  rootCause: RankedService | null;
  ranking: RankedService[];
  suspectCommits: SuspectCommit[];
  /** Null when the root-cause service sent no stack that maps to its repository. */
  crash?: CrashSite | null;
  templates: AnomalousTemplate[];
  timeline: TraceTimeline[];
  callGraph: CallEdge[];
  /** Up to 5 distinct failing requests per service from the logs, for the verifier's replay (absent in older reports). */
  failingRequests?: LoggedRequest[];
  /** Sources that failed or were truncated, so missing evidence is visible rather than silent. */
  gaps: string[];
}
