import type { CallEdge } from '../report/triage-report.js';
import type { TraceAccumulator } from './trace-accumulator.js';

// Edges are numbers, caller * base + callee, so tallying millions of records allocates no strings.
const base = 2 ** 21;

export function edgeKey(caller: number, callee: number): number {
  return caller * base + callee;
}

function ends(key: number): [caller: number, callee: number] {
  return [Math.floor(key / base), key % base];
}

/** Edge counts over traces. */
export interface EdgeTally {
  edges: Map<number, number>;
  /** Edges guessed from the order services first appear, held back until checked for consistency. */
  orderEdges: Map<number, number>;
  /** Traces (that fell back to order) containing both services of an unordered pair, keyed (low, high). */
  orderPairs: Map<number, number>;
  tracesBySource: { spans: number; hints: number; order: number };
}

export function createEdgeTally(): EdgeTally {
  return {
    edges: new Map(),
    orderEdges: new Map(),
    orderPairs: new Map(),
    tracesBySource: { spans: 0, hints: 0, order: 0 },
  };
}

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Adds one trace's edges: span parentage first, then peer hints from attributes; only a trace with
 * neither falls back to the order in which its services first logged (a → b → c).
 */
export function tallyTraceEdges(tally: EdgeTally, acc: TraceAccumulator): void {
  const { spanEdges = [], hintEdges = [] } = acc;
  if (spanEdges.length > 0) tally.tracesBySource.spans += 1;
  if (hintEdges.length > 0) tally.tracesBySource.hints += 1;
  if (spanEdges.length + hintEdges.length > 0) {
    for (const key of spanEdges) bump(tally.edges, key);
    for (const key of hintEdges) if (!spanEdges.includes(key)) bump(tally.edges, key);
    return;
  }
  if (acc.slots.length < 2) return;
  tally.tracesBySource.order += 1;
  const slots = [...acc.slots].sort((a, b) => a.firstAt - b.firstAt || a.firstIndex - b.firstIndex);
  for (let i = 1; i < slots.length; i += 1) bump(tally.orderEdges, edgeKey(slots[i - 1]!.service, slots[i]!.service));
  for (let i = 0; i < slots.length; i += 1) {
    for (let j = i + 1; j < slots.length; j += 1) {
      const a = slots[i]!.service;
      const b = slots[j]!.service;
      bump(tally.orderPairs, edgeKey(Math.min(a, b), Math.max(a, b)));
    }
  }
}

export interface OrderEdgeRule {
  /** Share of the traces holding both services that must show this direction back to back. */
  minShare: number;
  minCount: number;
}

/** The call graph, busiest edges first. Order-guessed edges count only where the direction is consistent. */
export function finishCallGraph(tally: EdgeTally, services: readonly string[], rule: OrderEdgeRule): CallEdge[] {
  const counts = new Map(tally.edges);
  for (const [key, count] of tally.orderEdges) {
    const [caller, callee] = ends(key);
    const together = tally.orderPairs.get(edgeKey(Math.min(caller, callee), Math.max(caller, callee))) ?? count;
    if (count >= rule.minCount && count >= rule.minShare * together) counts.set(key, (counts.get(key) ?? 0) + count);
  }
  return [...counts]
    .map(([key, count]) => {
      const [caller, callee] = ends(key);
      return { caller: services[caller]!, callee: services[callee]!, count };
    })
    .sort((a, b) => b.count - a.count || a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee));
}
