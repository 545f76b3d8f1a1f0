import { isErrorLevel, type LogRecord } from '../evidence/log-record.js';

/** What one trace knows about one service, computed over every record (not just the entries kept). */
export interface ServiceSlot {
  service: number;
  firstAt: number;
  firstIndex: number;
  /** Infinity until the service logs an error in the trace. */
  firstErrorAt: number;
  firstErrorIndex: number;
}

/**
 * Running state for one trace (or request id). Holds record indices, never copies of records, and keeps
 * only the earliest entries for the report, so memory stays proportional to traces, not to records.
 */
export interface TraceAccumulator {
  key: string;
  recordCount: number;
  firstAt: number;
  firstIndex: number;
  firstErrorAt: number;
  slots: ServiceSlot[];
  /** Earliest non-error record indices; trimmed lazily to the cap. */
  kept: number[];
  /** Earliest error record indices; trimmed lazily to the cap. */
  errors: number[];
  /** spanId → service index (negative, -index - 1, while the span's parent is unknown), for resolving parent span ids. */
  spans?: Map<string, number>;
  /** The last span whose parent was recorded, so its further lines skip the span map. */
  settledSpan?: string;
  /** Edge keys (see `edgeKey`) from span parentage and from peer hints in attributes. */
  spanEdges?: number[];
  hintEdges?: number[];
  /** Parent spans not seen yet when their child logged, resolved at the end. */
  pendingParents?: string[];
  pendingChildren?: number[];
  /** Peer hints naming no service known yet, resolved once every service is known; callers < 0 mark URLs. */
  pendingHints?: string[];
  pendingCallers?: number[];
  /** The request id last seen on this trace, so the request → trace map is touched once per request, not per line. */
  lastRequestId?: string;
}

export function createAccumulator(key: string): TraceAccumulator {
  return {
    key,
    recordCount: 0,
    firstAt: Infinity,
    firstIndex: -1,
    firstErrorAt: Infinity,
    slots: [],
    kept: [],
    errors: [],
  };
}

/** Orders record indices by timestamp, then by input position, so equal timestamps keep their input order. */
export function byTime(records: readonly LogRecord[]): (a: number, b: number) => number {
  return (a, b) => records[a]!.timestamp - records[b]!.timestamp || a - b;
}

/** Whether (time, index) a comes before b; b = -1 means "nothing yet". Compares stored times, so no record is re-read. */
function earlier(timeA: number, indexA: number, timeB: number, indexB: number): boolean {
  return indexB < 0 || timeA < timeB || (timeA === timeB && indexA < indexB);
}

/** Sorting only when the list doubles keeps trimming amortised O(log cap) per record. */
function pushCapped(list: number[], index: number, cap: number, order: (a: number, b: number) => number): void {
  list.push(index);
  if (list.length >= cap * 2) {
    list.sort(order);
    list.length = cap;
  }
}

export function finishList(list: number[], cap: number, order: (a: number, b: number) => number): number[] {
  list.sort(order);
  if (list.length > cap) list.length = cap;
  return list;
}

export interface AccumulatorLimits {
  maxEntries: number;
  maxErrorEntries: number;
  order: (a: number, b: number) => number;
}

export function addRecord(
  acc: TraceAccumulator,
  records: readonly LogRecord[],
  index: number,
  service: number,
  limits: AccumulatorLimits,
): void {
  const record = records[index]!;
  const error = isErrorLevel(record.level);
  acc.recordCount += 1;
  const at = record.timestamp;
  if (earlier(at, index, acc.firstAt, acc.firstIndex)) {
    acc.firstAt = record.timestamp;
    acc.firstIndex = index;
  }
  let slot: ServiceSlot | undefined;
  for (const candidate of acc.slots) {
    if (candidate.service === service) {
      slot = candidate;
      break;
    }
  }
  if (slot === undefined) {
    slot = { service, firstAt: record.timestamp, firstIndex: index, firstErrorAt: Infinity, firstErrorIndex: -1 };
    acc.slots.push(slot);
  } else if (earlier(at, index, slot.firstAt, slot.firstIndex)) {
    slot.firstAt = record.timestamp;
    slot.firstIndex = index;
  }
  if (error) {
    if (earlier(at, index, slot.firstErrorAt, slot.firstErrorIndex)) {
      slot.firstErrorAt = record.timestamp;
      slot.firstErrorIndex = index;
    }
    if (record.timestamp < acc.firstErrorAt) acc.firstErrorAt = record.timestamp;
    pushCapped(acc.errors, index, limits.maxErrorEntries, limits.order);
  } else {
    pushCapped(acc.kept, index, limits.maxEntries, limits.order);
  }
}

/** Folds a request-id timeline into the trace its request id turned out to belong to. */
export function mergeAccumulator(target: TraceAccumulator, source: TraceAccumulator, limits: AccumulatorLimits): void {
  target.recordCount += source.recordCount;
  if (earlier(source.firstAt, source.firstIndex, target.firstAt, target.firstIndex)) {
    target.firstAt = source.firstAt;
    target.firstIndex = source.firstIndex;
  }
  target.firstErrorAt = Math.min(target.firstErrorAt, source.firstErrorAt);
  for (const slot of source.slots) {
    const into = target.slots.find((candidate) => candidate.service === slot.service);
    if (into === undefined) {
      target.slots.push(slot);
      continue;
    }
    if (earlier(slot.firstAt, slot.firstIndex, into.firstAt, into.firstIndex)) {
      into.firstAt = slot.firstAt;
      into.firstIndex = slot.firstIndex;
    }
    if (slot.firstErrorIndex >= 0 && earlier(slot.firstErrorAt, slot.firstErrorIndex, into.firstErrorAt, into.firstErrorIndex)) {
      into.firstErrorAt = slot.firstErrorAt;
      into.firstErrorIndex = slot.firstErrorIndex;
    }
  }
  for (const index of source.kept) pushCapped(target.kept, index, limits.maxEntries, limits.order);
  for (const index of source.errors) pushCapped(target.errors, index, limits.maxErrorEntries, limits.order);
  for (const [span, service] of source.spans ?? []) {
    const known = target.spans?.get(span);
    if (known === undefined || (known < 0 && service >= 0)) (target.spans ??= new Map()).set(span, service);
  }
  target.spanEdges = union(target.spanEdges, source.spanEdges);
  target.hintEdges = union(target.hintEdges, source.hintEdges);
  target.pendingParents = concat(target.pendingParents, source.pendingParents);
  target.pendingChildren = concat(target.pendingChildren, source.pendingChildren);
  target.pendingHints = concat(target.pendingHints, source.pendingHints);
  target.pendingCallers = concat(target.pendingCallers, source.pendingCallers);
}

function union(a: number[] | undefined, b: number[] | undefined): number[] | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  for (const key of b) if (!a.includes(key)) a.push(key);
  return a;
}

function concat<T>(a: T[] | undefined, b: T[] | undefined): T[] | undefined {
  return a === undefined || b === undefined ? (a ?? b) : a.concat(b);
}
