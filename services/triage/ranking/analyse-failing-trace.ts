import { isErrorLevel } from '../evidence/log-record.js';
import type { TimelineEntry, TraceTimeline } from '../report/triage-report.js';
import { findOrigins, type OriginAnalysis } from './find-origins.js';
import type { CallGraphIndex } from './index-call-graph.js';
import { looksPropagated } from './looks-propagated.js';

/** A timeline as ranking reads it; a summary of the whole window has no origins to cite. */
export interface TraceLike {
  traceId: TraceTimeline['traceId'];
  entries: ReadonlyArray<Omit<TimelineEntry, 'origin'>>;
  firstErrorAt: TraceTimeline['firstErrorAt'];
}

/** How ranking sees an error entry that belongs to an anomalous template (or to an alert). */
export interface EntryAnomaly {
  label: string;
  kind: 'new' | 'bursting' | 'alert';
  propagated: boolean;
}

export interface TraceContext {
  graph: CallGraphIndex;
  classify: (entry: Omit<TimelineEntry, 'origin'>) => EntryAnomaly | undefined;
  nameServices: (message: string, self: string) => string[];
  /** Failing traces mostly share a few shapes; their origins are worked out once per shape. */
  originCache?: Map<string, OriginAnalysis>;
}

export interface FailingService {
  firstErrorAt: number;
  firstMessage?: string;
  /** Its first error reads like a failure propagated from a callee. */
  propagated: boolean;
  /** Services its propagated failures name, with one message that names them. */
  names: Map<string, string>;
}

export interface TraceFinding {
  traceId: string;
  failing: Map<string, FailingService>;
  /** Share of the blame per origin (sums to 1), and the failing services each origin explains. Shared between traces: read only. */
  origins: ReadonlyMap<string, number>;
  explained: ReadonlyMap<string, readonly string[]>;
  anomalous: boolean;
  /** The earliest error from a new or bursting template that does not read as propagated. */
  firstAnomaly?: { service: string; at: number; anomaly: EntryAnomaly };
  /** Where a caller and its callee both failed: how long after the callee the caller failed. */
  leads: Array<{ callee: string; caller: string; leadMs: number }>;
}

function scanEntries(trace: TraceLike, context: TraceContext, finding: TraceFinding): void {
  for (const entry of trace.entries) {
    const error = isErrorLevel(entry.level);
    if (!error && entry.level !== 'warn') continue;
    const failing = finding.failing.get(entry.service);
    if (failing === undefined) continue;
    const propagated = looksPropagated(entry.message);
    if (error && failing.firstMessage === undefined) {
      failing.firstMessage = entry.message;
      failing.propagated = propagated;
    }
    if (propagated) {
      for (const named of context.nameServices(entry.message, entry.service)) {
        if (!failing.names.has(named)) failing.names.set(named, entry.message);
      }
    }
    if (!error || finding.firstAnomaly !== undefined) continue;
    const anomaly = context.classify(entry);
    if (anomaly === undefined) continue;
    finding.anomalous = true;
    if (!anomaly.propagated) finding.firstAnomaly = { service: entry.service, at: entry.timestamp, anomaly };
  }
}

function shapeOf(failing: Map<string, FailingService>): string {
  return [...failing]
    .map(([service, f]) => `${service}${f.propagated ? '!' : ''}>${[...f.names.keys()].sort().join(',')}`)
    .sort()
    .join('|');
}

/**
 * Finds where one failing trace broke (see `findOrigins`), which anomalous error came first, and how
 * long each failing caller took to fail after its failing callee.
 */
export function analyseFailingTrace(trace: TraceLike, context: TraceContext): TraceFinding {
  const failing = new Map<string, FailingService>();
  for (const service in trace.firstErrorAt) {
    if (Object.hasOwn(trace.firstErrorAt, service)) failing.set(service, { firstErrorAt: trace.firstErrorAt[service]!, propagated: false, names: new Map() });
  }
  const finding: TraceFinding = { traceId: trace.traceId, failing, origins: new Map(), explained: new Map(), anomalous: false, leads: [] };
  scanEntries(trace, context, finding);

  const shape = context.originCache && shapeOf(failing);
  let analysis = shape === undefined ? undefined : context.originCache!.get(shape);
  if (analysis === undefined) {
    analysis = findOrigins(failing, context.graph);
    if (shape !== undefined) context.originCache!.set(shape, analysis);
  }
  finding.origins = analysis.origins;
  finding.explained = analysis.explained;
  analysis.failingCallees.forEach((callees, caller) => {
    const callerAt = failing.get(caller)?.firstErrorAt;
    if (callerAt === undefined) return;
    for (const callee of callees) {
      const calleeAt = failing.get(callee)?.firstErrorAt;
      if (calleeAt !== undefined) finding.leads.push({ callee, caller, leadMs: callerAt - calleeAt });
    }
  });
  return finding;
}
