import type { LogRecord } from '../evidence/log-record.js';
import type { CallEdge, TimelineEntry, TraceTimeline } from '../report/triage-report.js';
import { compileAttributePaths, readFirstAttribute } from './read-attribute.js';
import { createPeerServiceResolver } from './resolve-peer-service.js';
import { createEdgeTally, edgeKey, finishCallGraph, tallyTraceEdges } from './tally-call-edges.js';
import {
  addRecord,
  byTime,
  createAccumulator,
  finishList,
  type AccumulatorLimits,
  type TraceAccumulator,
} from './trace-accumulator.js';

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
  /** Failing traces returned, earliest first error first. */
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
  maxFailingTraces: 10_000,
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

  // Pass 1: intern services, and learn which trace each request id belongs to.
  const serviceIndex = new Map<string, number>();
  const services: string[] = [];
  const serviceOf = new Int32Array(records.length);
  const requestToTrace = new Map<string, string>();
  let requestIdConflicts = 0;
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i]!;
    let index = serviceIndex.get(record.service);
    if (index === undefined) {
      index = services.length;
      services.push(record.service);
      serviceIndex.set(record.service, index);
    }
    serviceOf[i] = index;
    if (record.traceId && record.requestId) {
      const known = requestToTrace.get(record.requestId);
      if (known === undefined) requestToTrace.set(record.requestId, record.traceId);
      else if (known !== record.traceId) requestIdConflicts += 1;
    }
  }

  // Pass 2: group, accumulate, and collect span and peer evidence for the call graph.
  const parentPaths = compileAttributePaths(settings.parentSpanAttributes);
  const peerPaths = compileAttributePaths(settings.peerServiceAttributes);
  const urlPaths = compileAttributePaths(settings.peerUrlAttributes);
  const resolvePeer = createPeerServiceResolver(services);
  const byTrace = new Map<string, TraceAccumulator>();
  const byRequest = new Map<string, TraceAccumulator>();
  let uncorrelated = 0;
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i]!;
    const traceId = record.traceId || (record.requestId ? requestToTrace.get(record.requestId) : undefined);
    const groups = traceId ? byTrace : byRequest;
    const key = traceId || record.requestId;
    if (!key) {
      uncorrelated += 1;
      continue;
    }
    let acc = groups.get(key);
    if (acc === undefined) {
      acc = createAccumulator(key);
      groups.set(key, acc);
    }
    const service = serviceOf[i]!;
    addRecord(acc, records, i, service, limits);

    if (record.spanId) {
      (acc.spans ??= new Map()).set(record.spanId, service);
      const parent = readFirstAttribute(record.attributes, parentPaths);
      if (parent !== undefined && parent !== '0') {
        (acc.parentSpans ??= []).push(parent);
        (acc.parentChildren ??= []).push(service);
      }
    }
    const peer = readFirstAttribute(record.attributes, peerPaths);
    let callee = peer === undefined ? -1 : resolvePeer(peer, false);
    if (callee < 0) {
      const url = readFirstAttribute(record.attributes, urlPaths);
      if (url !== undefined) callee = resolvePeer(url, true);
    }
    if (callee >= 0 && callee !== service) (acc.hintEdges ??= new Set()).add(edgeKey(service, callee));
  }

  const tally = createEdgeTally();
  const failing: TraceAccumulator[] = [];
  const healthy: TraceAccumulator[] = [];
  for (const groups of [byTrace, byRequest]) {
    for (const acc of groups.values()) {
      tallyTraceEdges(tally, acc);
      (acc.firstErrorAt < Infinity ? failing : healthy).push(acc);
    }
  }
  failing.sort((a, b) => a.firstErrorAt - b.firstErrorAt || a.firstIndex - b.firstIndex);
  healthy.sort((a, b) => a.firstAt - b.firstAt || a.firstIndex - b.firstIndex);
  const chosen = [
    ...failing.slice(0, cap(settings.maxFailingTraces)),
    ...healthy.slice(0, cap(settings.maxHealthyTraces)),
  ];

  let entriesOmitted = 0;
  const traces = chosen.map((acc) => {
    const timeline = toTimeline(acc, records, services, limits, settings.templateIdOf);
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
      requestIdConflicts,
      callGraphSources: tally.tracesBySource,
    },
  };
}

function toTimeline(
  acc: TraceAccumulator,
  records: readonly LogRecord[],
  services: readonly string[],
  limits: AccumulatorLimits,
  templateIdOf: ((record: LogRecord) => string | undefined) | undefined,
): TraceTimeline {
  const slots = [...acc.slots].sort((a, b) => a.firstAt - b.firstAt || a.firstIndex - b.firstIndex);
  const indices = new Set([
    ...finishList(acc.kept, limits.maxEntries, limits.order),
    ...finishList(acc.errors, limits.maxErrorEntries, limits.order),
  ]);
  for (const slot of slots) if (slot.firstErrorIndex >= 0) indices.add(slot.firstErrorIndex);
  const entries = [...indices].sort(limits.order).map((index): TimelineEntry => {
    const record = records[index]!;
    const entry: TimelineEntry = {
      timestamp: record.timestamp,
      service: record.service,
      level: record.level,
      message: record.message,
      origin: record.origin,
    };
    const templateId = templateIdOf?.(record);
    if (templateId !== undefined) entry.templateId = templateId;
    return entry;
  });
  return {
    traceId: acc.key,
    services: slots.map((slot) => services[slot.service]!),
    entries,
    // fromEntries defines own properties, so a service called `__proto__` cannot reach the prototype.
    firstErrorAt: Object.fromEntries(
      slots.filter((slot) => slot.firstErrorIndex >= 0).map((slot) => [services[slot.service]!, slot.firstErrorAt]),
    ),
  };
}
