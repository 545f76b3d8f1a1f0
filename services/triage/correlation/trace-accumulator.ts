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
  /** spanId → service index, for resolving parent span ids. */
  spans?: Map<string, number>;
  parentSpans?: string[];
  parentChildren?: number[];
  /** Edge keys (see `edgeKey`) from peer hints in attributes. */
  hintEdges?: Set<number>;
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

function earlier(records: readonly LogRecord[], a: number, b: number): boolean {
  if (b < 0) return true;
  const ta = records[a]!.timestamp;
  const tb = records[b]!.timestamp;
  return ta < tb || (ta === tb && a < b);
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
  if (earlier(records, index, acc.firstIndex)) {
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
  } else if (earlier(records, index, slot.firstIndex)) {
    slot.firstAt = record.timestamp;
    slot.firstIndex = index;
  }
  if (error) {
    if (earlier(records, index, slot.firstErrorIndex)) {
      slot.firstErrorAt = record.timestamp;
      slot.firstErrorIndex = index;
    }
    if (record.timestamp < acc.firstErrorAt) acc.firstErrorAt = record.timestamp;
    pushCapped(acc.errors, index, limits.maxErrorEntries, limits.order);
  } else {
    pushCapped(acc.kept, index, limits.maxEntries, limits.order);
  }
}
