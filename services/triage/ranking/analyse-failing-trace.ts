import { isErrorLevel } from '../evidence/log-record.js';
import type { TimelineEntry, TraceTimeline } from '../report/triage-report.js';
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
  /** Share of the blame per origin; sums to 1. */
  origins: Map<string, number>;
  /** Per origin, the failing services upstream of it whose failures it explains. */
  explained: Map<string, string[]>;
  anomalous: boolean;
  /** The earliest error from a new or bursting template that does not read as propagated. */
  firstAnomaly?: { service: string; at: number; anomaly: EntryAnomaly };
  /** Where a caller and its callee both failed: how long after the callee the caller failed. */
  leads: Array<{ callee: string; caller: string; leadMs: number }>;
}

function scanEntries(trace: TraceLike, context: TraceContext, finding: TraceFinding): void {
  for (const entry of trace.entries) {
    const failing = finding.failing.get(entry.service);
    const error = isErrorLevel(entry.level);
    if (failing === undefined || !(error || entry.level === 'warn')) continue;
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

/**
 * Finds where one failing trace broke. A failing service whose failing callees (from the call graph, or
 * named in its own propagated errors) explain its failure is a victim; the origins are the failing
 * services with healthy callees, i.e. the deepest failures on the call path. Blame is shared by how many
 * failures each origin explains, and discounted for origins whose own first error reads as propagated.
 */
export function analyseFailingTrace(trace: TraceLike, context: TraceContext): TraceFinding {
  const finding: TraceFinding = {
    traceId: trace.traceId,
    failing: new Map(),
    origins: new Map(),
    explained: new Map(),
    anomalous: false,
    leads: [],
  };
  for (const [service, at] of Object.entries(trace.firstErrorAt)) {
    finding.failing.set(service, { firstErrorAt: at, propagated: false, names: new Map() });
  }
  scanEntries(trace, context, finding);

  const implicated = new Set(finding.failing.keys());
  for (const failing of finding.failing.values()) for (const named of failing.names.keys()) implicated.add(named);
  const failingCallees = new Map<string, Set<string>>();
  const failingCallers = new Map<string, string[]>();
  for (const service of implicated) {
    const callees = new Set(finding.failing.get(service)?.names.keys());
    for (const callee of context.graph.callees(service)) if (implicated.has(callee)) callees.add(callee);
    callees.delete(service);
    failingCallees.set(service, callees);
    for (const callee of callees) failingCallers.set(callee, [...(failingCallers.get(callee) ?? []), service]);
  }

  let candidates = [...implicated].filter((service) => failingCallees.get(service)!.size === 0);
  if (candidates.length === 0) {
    // Every failing service has a failing callee (a cycle): fall back to the one that failed first.
    const first = [...finding.failing].sort((a, b) => a[1].firstErrorAt - b[1].firstErrorAt)[0];
    candidates = first ? [first[0]] : [];
  }
  const weights = candidates.map((origin) => {
    const upstream = new Set<string>();
    const queue = [origin];
    while (queue.length > 0) {
      for (const caller of failingCallers.get(queue.shift()!) ?? []) {
        if (caller !== origin && !upstream.has(caller)) {
          upstream.add(caller);
          queue.push(caller);
        }
      }
    }
    finding.explained.set(origin, [...upstream]);
    return (1 + upstream.size) * (finding.failing.get(origin)?.propagated ? 0.25 : 1);
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  candidates.forEach((origin, i) => finding.origins.set(origin, weights[i]! / total));

  for (const [caller, callees] of failingCallees) {
    const callerAt = finding.failing.get(caller)?.firstErrorAt;
    if (callerAt === undefined) continue;
    for (const callee of callees) {
      const calleeAt = finding.failing.get(callee)?.firstErrorAt;
      if (calleeAt !== undefined) finding.leads.push({ callee, caller, leadMs: callerAt - calleeAt });
    }
  }
  return finding;
}
