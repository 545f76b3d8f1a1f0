import type { EntryAnomaly, TraceFinding } from './analyse-failing-trace.js';

/** Everything the failing traces say about one service, counted over traces. */
export interface TraceEvidence {
  service: string;
  /** Traces in which the service logged an error. */
  failingTraces: number;
  /** Failing traces whose first error read as propagated from a callee. */
  propagatedTraces: number;
  propagatedExample?: string;
  /** Sum of the service's share of the blame, weighted by how much each trace counts. */
  originCredit: number;
  /** Traces in which the service took most of the blame. */
  originTraces: number;
  /** Failing services whose failures this one explained, and in how many traces. */
  explainedCallers: Map<string, number>;
  /** Weight of the traces in which its error was the earliest anomalous one (not reading as propagated). */
  firstAnomalyWeight: number;
  /** Per template that came first in some trace: in how many traces, and its earliest such line. */
  firstAnomalies: Map<string, FirstAnomaly>;
  /** Traces in which other services' propagated failures named this one, per naming service. */
  namedBy: Map<string, number>;
  namedTraces: number;
  namedWeight: number;
  namedExample?: { by: string; message: string };
  /** Per failing caller: how many ms after this service's first error the caller's came (negative: before). */
  leadsOverCallers: Map<string, number[]>;
  firstErrorAt: number;
}

export interface FirstAnomaly {
  traces: number;
  at: number;
  traceId: string;
  anomaly: EntryAnomaly;
  /** Who failed after it in that trace, and how long after. */
  laterFailures: Array<{ service: string; afterMs: number }>;
}

export interface EvidenceSummary {
  byService: Map<string, TraceEvidence>;
  /** Traces analysed and their total weight. */
  traceCount: number;
  totalWeight: number;
}

function evidenceFor(byService: Map<string, TraceEvidence>, service: string): TraceEvidence {
  let evidence = byService.get(service);
  if (evidence === undefined) {
    evidence = {
      service,
      failingTraces: 0,
      propagatedTraces: 0,
      originCredit: 0,
      originTraces: 0,
      explainedCallers: new Map(),
      firstAnomalyWeight: 0,
      firstAnomalies: new Map(),
      namedBy: new Map(),
      namedTraces: 0,
      namedWeight: 0,
      leadsOverCallers: new Map(),
      firstErrorAt: Infinity,
    };
    byService.set(service, evidence);
  }
  return evidence;
}

const firstLine = (message: string): string => message.split('\n', 1)[0] ?? message;

/**
 * Folds per-trace findings into per-service evidence. `weightOf` lets traces without any anomalous error
 * (chronic, baseline failures) count for less than traces that broke in a new way.
 */
export function collectServiceEvidence(findings: readonly TraceFinding[], weightOf: (finding: TraceFinding) => number): EvidenceSummary {
  const byService = new Map<string, TraceEvidence>();
  let totalWeight = 0;
  for (const finding of findings) {
    const weight = weightOf(finding);
    totalWeight += weight;
    const namedIn = new Map<string, string>();
    for (const [service, failing] of finding.failing) {
      const evidence = evidenceFor(byService, service);
      evidence.failingTraces += 1;
      evidence.firstErrorAt = Math.min(evidence.firstErrorAt, failing.firstErrorAt);
      if (failing.propagated) {
        evidence.propagatedTraces += 1;
        if (failing.firstMessage !== undefined) evidence.propagatedExample ??= firstLine(failing.firstMessage);
      }
      for (const [named, message] of failing.names) {
        const target = evidenceFor(byService, named);
        target.namedBy.set(service, (target.namedBy.get(service) ?? 0) + 1);
        target.namedExample ??= { by: service, message: firstLine(message) };
        namedIn.set(named, service);
      }
    }
    for (const named of namedIn.keys()) {
      const target = evidenceFor(byService, named);
      target.namedTraces += 1;
      target.namedWeight += weight;
    }
    let top = 0;
    for (const share of finding.origins.values()) top = Math.max(top, share);
    for (const [origin, share] of finding.origins) {
      const evidence = evidenceFor(byService, origin);
      evidence.originCredit += share * weight;
      if (share === top) evidence.originTraces += 1;
      for (const caller of finding.explained.get(origin) ?? []) {
        evidence.explainedCallers.set(caller, (evidence.explainedCallers.get(caller) ?? 0) + 1);
      }
    }
    for (const { callee, caller, leadMs } of finding.leads) {
      const leads = evidenceFor(byService, callee).leadsOverCallers;
      const list = leads.get(caller);
      if (list === undefined) leads.set(caller, [leadMs]);
      else list.push(leadMs);
    }
    const first = finding.firstAnomaly;
    if (first !== undefined) {
      const evidence = evidenceFor(byService, first.service);
      evidence.firstAnomalyWeight += weight;
      const known = evidence.firstAnomalies.get(first.anomaly.label);
      if (known !== undefined) known.traces += 1;
      if (known === undefined || first.at < known.at) {
        const laterFailures = [...finding.failing]
          .filter(([service, failing]) => service !== first.service && failing.firstErrorAt >= first.at)
          .map(([service, failing]) => ({ service, afterMs: failing.firstErrorAt - first.at }))
          .sort((a, b) => a.afterMs - b.afterMs);
        const traces = known?.traces ?? 1;
        evidence.firstAnomalies.set(first.anomaly.label, { traces, at: first.at, traceId: finding.traceId, anomaly: first.anomaly, laterFailures });
      }
    }
  }
  return { byService, traceCount: findings.length, totalWeight };
}
