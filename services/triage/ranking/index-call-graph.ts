import type { CallEdge } from '../report/triage-report.js';

export interface CallGraphIndex {
  callees(service: string): readonly string[];
  callers(service: string): readonly string[];
}

const none: readonly string[] = [];

export function indexCallGraph(edges: readonly CallEdge[]): CallGraphIndex {
  const callees = new Map<string, string[]>();
  const callers = new Map<string, string[]>();
  for (const { caller, callee } of edges) {
    if (caller === callee) continue;
    const down = callees.get(caller) ?? [];
    if (!down.includes(callee)) down.push(callee);
    callees.set(caller, down);
    const up = callers.get(callee) ?? [];
    if (!up.includes(caller)) up.push(caller);
    callers.set(callee, up);
  }
  return {
    callees: (service) => callees.get(service) ?? none,
    callers: (service) => callers.get(service) ?? none,
  };
}
