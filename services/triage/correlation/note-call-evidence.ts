import type { LogRecord } from '../evidence/log-record.js';
import type { ServiceRegistry } from './create-service-registry.js';
import type { CallHints } from './read-call-hints.js';
import { edgeKey } from './tally-call-edges.js';
import type { TraceAccumulator } from './trace-accumulator.js';

const maxPending = 32;

function addEdge(edges: number[] | undefined, caller: number, callee: number): number[] {
  const list = edges ?? [];
  const key = edgeKey(caller, callee);
  // A trace has a handful of edges; a scan beats a Set and allocates nothing.
  if (caller !== callee && !list.includes(key)) list.push(key);
  return list;
}

function spanService(marked: number): number {
  return marked < 0 ? -marked - 1 : marked;
}

/**
 * Records what one line says about calls: its span and parent span, and the peer it called. Parents
 * usually log first, so most edges resolve at once; the rest wait for `settleCallEvidence`.
 */
export function noteCallEvidence(acc: TraceAccumulator, record: LogRecord, service: number, hints: CallHints, registry: ServiceRegistry): void {
  // Lines of one span tend to follow each other; once its parent is known they have nothing to add.
  if (record.spanId && record.spanId !== acc.settledSpan) {
    // A span's lines share one parent, taken once from the first line that names it, so memory grows with
    // spans rather than lines. Negative values mark spans whose parent is not known yet.
    const spans = (acc.spans ??= new Map());
    const known = spans.get(record.spanId);
    const parent = hints.parent !== undefined && hints.parent !== '0' ? hints.parent : undefined;
    if (known === undefined || (known < 0 && parent !== undefined)) {
      spans.set(record.spanId, parent === undefined ? -service - 1 : service);
      if (parent !== undefined) acc.settledSpan = record.spanId;
      const caller = parent === undefined ? undefined : spans.get(parent);
      if (caller !== undefined) acc.spanEdges = addEdge(acc.spanEdges, spanService(caller), service);
      else if (parent !== undefined && (acc.pendingParents?.length ?? 0) < maxPending * 8) {
        (acc.pendingParents ??= []).push(parent);
        (acc.pendingChildren ??= []).push(service);
      }
    }
  }
  if (hints.peer === undefined && hints.url === undefined) return;
  let callee = hints.peer === undefined ? -1 : registry.resolvePeer(hints.peer, false);
  if (callee < 0 && hints.url !== undefined) callee = registry.resolvePeer(hints.url, true);
  if (callee >= 0) acc.hintEdges = addEdge(acc.hintEdges, service, callee);
  else if ((acc.pendingHints?.length ?? 0) < maxPending) {
    // The service it names may only log later in the input; an external host never will.
    (acc.pendingHints ??= []).push(hints.url ?? hints.peer!);
    (acc.pendingCallers ??= []).push(hints.url !== undefined ? -service - 1 : service);
  }
}

/** Resolves what waited for the whole input: parents that logged after their children, peers that logged later. */
export function settleCallEvidence(acc: TraceAccumulator, registry: ServiceRegistry): void {
  const { pendingParents, pendingChildren, pendingHints, pendingCallers, spans } = acc;
  if (pendingParents && pendingChildren && spans) {
    pendingParents.forEach((parent, i) => {
      const caller = spans.get(parent);
      if (caller !== undefined) acc.spanEdges = addEdge(acc.spanEdges, spanService(caller), pendingChildren[i]!);
    });
  }
  if (pendingHints && pendingCallers) {
    pendingHints.forEach((hint, i) => {
      const marked = pendingCallers[i]!;
      const callee = registry.resolvePeer(hint, marked < 0);
      if (callee >= 0) acc.hintEdges = addEdge(acc.hintEdges, marked < 0 ? -marked - 1 : marked, callee);
    });
  }
  acc.pendingParents = acc.pendingChildren = acc.pendingHints = acc.pendingCallers = undefined;
  acc.spans = undefined;
}
