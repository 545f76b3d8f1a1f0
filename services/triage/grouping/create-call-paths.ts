/** Answers whether two services lie on one call path of the declared (or learned) call graph. */
export interface CallPaths {
  onOnePath(a: string, b: string): boolean;
  /** Every service reachable from `service` downstream or upstream. */
  neighbours(service: string): string[];
}

/**
 * Builds call paths from caller → callees edges. Two distinct services are on one path when one
 * reaches the other downstream; siblings that share only a caller are not (their failures are usually
 * unrelated), and neither is a service with itself: two fingerprints in one service are two bugs
 * unless a trace ties them.
 */
export function createCallPaths(calls: Record<string, string[]>): CallPaths {
  const downstream = new Map<string, Set<string>>();
  const reach = (from: string): Set<string> => {
    const known = downstream.get(from);
    if (known) return known;
    const seen = new Set<string>();
    const stack = [...(calls[from] ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next) || next === from) continue;
      seen.add(next);
      stack.push(...(calls[next] ?? []));
    }
    downstream.set(from, seen);
    return seen;
  };
  const services = new Set([...Object.keys(calls), ...Object.values(calls).flat()]);
  return {
    onOnePath: (a, b) => a !== b && (reach(a).has(b) || reach(b).has(a)),
    neighbours: (service) => [...services].filter((other) => other !== service && (reach(service).has(other) || reach(other).has(service))),
  };
}
