import type { FailingService } from './analyse-failing-trace.js';
import type { CallGraphIndex } from './index-call-graph.js';

export interface OriginAnalysis {
  /** Share of the blame per origin; sums to 1. */
  origins: Map<string, number>;
  /** Per origin, the failing services upstream of it whose failures it explains, nearest first. */
  explained: Map<string, string[]>;
  /** Per implicated service, its failing callees (from the call graph or named in its propagated errors). */
  failingCallees: Map<string, string[]>;
}

/** A propagated-looking first error means the service is probably not where the failure began. */
const propagatedOriginWeight = 0.25;

/**
 * A failing service whose failing callees (from the call graph, or named in its own propagated errors)
 * explain its failure is a victim; the origins are the failing services with healthy callees, i.e. the
 * deepest failures on the call path. A callee named by a propagated error counts as failing even if it
 * logged nothing (it may be down). Blame is shared by how many failures each origin explains.
 */
export function findOrigins(failing: ReadonlyMap<string, FailingService>, graph: CallGraphIndex): OriginAnalysis {
  const implicated = new Set(failing.keys());
  for (const f of failing.values()) for (const named of f.names.keys()) implicated.add(named);
  const failingCallees = new Map<string, string[]>();
  const failingCallers = new Map<string, string[]>();
  for (const service of implicated) {
    const callees = new Set(failing.get(service)?.names.keys());
    for (const callee of graph.callees(service)) if (implicated.has(callee)) callees.add(callee);
    callees.delete(service);
    failingCallees.set(service, [...callees]);
    for (const callee of callees) failingCallers.set(callee, [...(failingCallers.get(callee) ?? []), service]);
  }

  let candidates = [...implicated].filter((service) => failingCallees.get(service)!.length === 0);
  if (candidates.length === 0) {
    // Every failing service has a failing callee (a cycle): fall back to the one that failed first.
    const first = [...failing].sort((a, b) => a[1].firstErrorAt - b[1].firstErrorAt)[0];
    candidates = first ? [first[0]] : [];
  }
  const explained = new Map<string, string[]>();
  const weights = candidates.map((origin) => {
    const upstream: string[] = [];
    const seen = new Set([origin]);
    for (let i = -1; i < upstream.length; i += 1) {
      for (const caller of failingCallers.get(i < 0 ? origin : upstream[i]!) ?? []) {
        if (!seen.has(caller)) {
          seen.add(caller);
          upstream.push(caller);
        }
      }
    }
    explained.set(origin, upstream);
    return (1 + upstream.length) * (failing.get(origin)?.propagated ? propagatedOriginWeight : 1);
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const origins = new Map(candidates.map((origin, i) => [origin, weights[i]! / total]));
  return { origins, explained, failingCallees };
}
