import type { LogRecord } from '../evidence/log-record.js';
import type { CallEdge, TraceTimeline } from '../report/triage-report.js';
import { createServiceRegistry } from './create-service-registry.js';
import { noteCallEvidence, settleCallEvidence } from './note-call-evidence.js';
import { createCallHintReader, type CallHints } from './read-call-hints.js';
import { createEdgeTally, finishCallGraph, tallyTraceEdges } from './tally-call-edges.js';
import { toTraceTimeline } from './to-trace-timeline.js';
import { addRecord, byTime, createAccumulator, mergeAccumulator, type AccumulatorLimits, type TraceAccumulator } from './trace-accumulator.js';

export interface CorrelateOptions {
  /** Attributes holding a record's parent span id. */
  parentSpanAttributes?: readonly string[];
  /** Attributes naming the service a record's call went to. */
  peerServiceAttributes?: readonly string[];
  /** Attributes holding a URL whose host may name the service called. */
  peerUrlAttributes?: readonly string[];
  /** Earliest non-error entries kept per trace for the report (all records still count in the stats). */
  maxEntriesPerTrace?: number;
  /** Earliest error entries kept per trace; each service's first error is kept regardless. */
  maxErrorEntriesPerTrace?: number;
  /** Failing traces returned (earliest first error first); past the cap, the onset plus an even sample of the rest. */
  maxFailingTraces?: number;
  /** Healthy traces returned (after the failing ones), earliest first, as context. */
  maxHealthyTraces?: number;
  /** An order-guessed edge a → b counts only if this share of the traces holding a and b show a right before b. */
  orderEdgeMinShare?: number;
  orderEdgeMinCount?: number;
  /** Labels entries with their log template, when the caller has mined them. */
  templateIdOf?: (record: LogRecord) => string | undefined;
}

export const correlateDefaults = {
  parentSpanAttributes: ['parent_span_id', 'parentSpanId', 'dd.parent_id'],
  peerServiceAttributes: ['peer.service', 'upstream', 'callee'],
  peerUrlAttributes: ['http.url', 'url'],
  maxEntriesPerTrace: 20,
  maxErrorEntriesPerTrace: 30,
  maxFailingTraces: 5_000,
  maxHealthyTraces: 100,
  orderEdgeMinShare: 0.6,
  orderEdgeMinCount: 2,
} as const;

export interface CorrelationStats {
  records: number;
  /** Timelines found, before the caps on what is returned. */
  traces: number;
  failingTraces: number;
  /** Timelines keyed by a request id because no record tied that request to a trace id. */
  requestOnlyTraces: number;
  tracesOmitted: number;
  /** Records of returned traces that are counted in their stats but not kept as entries. */
  entriesOmitted: number;
  /** Request ids seen with more than one trace id (the first trace id seen wins). */
  requestIdConflicts: number;
  /** How many traces contributed call-graph edges from each source. */
  callGraphSources: { spans: number; hints: number; order: number };
}

export interface Correlation {
  /** Failing traces (earliest first error first), then a sample of healthy ones (earliest first). */
  traces: TraceTimeline[];
  callGraph: CallEdge[];
  /** Records with neither a trace id nor a request id. */
  uncorrelated: number;
  stats: CorrelationStats;
}

/**
 * Beyond the cap: the earliest fifth (the onset) and an even sample of the rest, in first-error order. Taking
 * only the earliest would let errors that were already there before the incident crowd out the incident.
 */
function sampleFailing(failing: readonly TraceAccumulator[], limit: number): TraceAccumulator[] {
  if (failing.length <= limit) return [...failing];
  const start = Math.floor(limit / 5);
  const chosen = failing.slice(0, start);
  const rest = failing.length - start;
  const picks = limit - start;
  for (let k = 0; k < picks; k += 1) chosen.push(failing[start + Math.floor((k * rest) / picks)]!);
  return chosen;
}

function cap(value: number): number {
  return Number.isNaN(value) ? 0 : Math.max(0, Math.floor(value));
}

/**
 * Joins log records across services into per-trace timelines and derives the caller → callee graph.
 * Records without a trace id join the trace their request id was seen with on any other record; request
 * ids never seen with a trace id form their own timelines. Stats (services, first error per service) cover
 * every record; only the earliest entries (and every service's first error) are kept for the report.
 */
export function correlateLogs(records: readonly LogRecord[], options: CorrelateOptions = {}): Correlation {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const settings = { ...correlateDefaults, ...(given as CorrelateOptions) };
  const order = byTime(records);
  const limits: AccumulatorLimits = {
    maxEntries: cap(settings.maxEntriesPerTrace),
    maxErrorEntries: cap(settings.maxErrorEntriesPerTrace),
    order,
  };

  const registry = createServiceRegistry();
  const readHints = createCallHintReader({
    parent: settings.parentSpanAttributes,
    peer: settings.peerServiceAttributes,
    url: settings.peerUrlAttributes,
  });
  const hints: CallHints = { parent: undefined, peer: undefined, url: undefined };
  const byTrace = new Map<string, TraceAccumulator>();
  const byRequest = new Map<string, TraceAccumulator>();
  const requestToTrace = new Map<string, string>();
  const conflicted = new Set<string>();
  let uncorrelated = 0;
  // One pass: lines with a trace id group by it, lines with only a request id by that, and request-id
  // groups join their trace at the end, once every line that pairs a request id with a trace id is seen.
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i]!;
    const { traceId, requestId } = record;
    let acc: TraceAccumulator | undefined;
    if (traceId) {
      acc = byTrace.get(traceId);
      if (acc === undefined) byTrace.set(traceId, (acc = createAccumulator(traceId)));
      if (requestId && requestId !== acc.lastRequestId) {
        acc.lastRequestId = requestId;
        const known = requestToTrace.get(requestId);
        if (known === undefined) requestToTrace.set(requestId, traceId);
        else if (known !== traceId) conflicted.add(requestId);
      }
    } else if (requestId) {
      // Usually an earlier line already tied this request to its trace; otherwise it waits in its own group.
      const knownTrace = requestToTrace.get(requestId);
      acc = knownTrace === undefined ? byRequest.get(requestId) : byTrace.get(knownTrace);
      if (acc === undefined) byRequest.set(requestId, (acc = createAccumulator(requestId)));
    } else {
      uncorrelated += 1;
      continue;
    }
    const service = registry.intern(record.service);
    addRecord(acc, records, i, service, limits);

    readHints(record.attributes, hints);
    noteCallEvidence(acc, record, service, hints, registry);
  }
  byRequest.forEach((acc, requestId) => {
    const traceId = requestToTrace.get(requestId);
    if (traceId === undefined) return;
    mergeAccumulator(byTrace.get(traceId)!, acc, limits);
    byRequest.delete(requestId);
  });
  const services = registry.names;

  const tally = createEdgeTally();
  const failing: TraceAccumulator[] = [];
  const healthy: TraceAccumulator[] = [];
  const finish = (acc: TraceAccumulator): void => {
    settleCallEvidence(acc, registry);
    tallyTraceEdges(tally, acc);
    (acc.firstErrorAt < Infinity ? failing : healthy).push(acc);
  };
  byTrace.forEach(finish);
  byRequest.forEach(finish);
  failing.sort((a, b) => a.firstErrorAt - b.firstErrorAt || a.firstIndex - b.firstIndex);
  healthy.sort((a, b) => a.firstAt - b.firstAt || a.firstIndex - b.firstIndex);
  const chosen = [...sampleFailing(failing, cap(settings.maxFailingTraces)), ...healthy.slice(0, cap(settings.maxHealthyTraces))];

  let entriesOmitted = 0;
  const traces = chosen.map((acc) => {
    const timeline = toTraceTimeline(acc, records, services, limits, settings.templateIdOf);
    entriesOmitted += acc.recordCount - timeline.entries.length;
    return timeline;
  });
  const total = byTrace.size + byRequest.size;
  return {
    traces,
    callGraph: finishCallGraph(tally, services, {
      minShare: settings.orderEdgeMinShare,
      minCount: settings.orderEdgeMinCount,
    }),
    uncorrelated,
    stats: {
      records: records.length,
      traces: total,
      failingTraces: failing.length,
      requestOnlyTraces: byRequest.size,
      tracesOmitted: total - chosen.length,
      entriesOmitted,
      requestIdConflicts: conflicted.size,
      callGraphSources: tally.tracesBySource,
    },
  };
}
