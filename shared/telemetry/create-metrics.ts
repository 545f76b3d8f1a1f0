import { AggregatorRegistry, Counter, Gauge, Histogram, collectDefaultMetrics, Registry, type Metric } from 'prom-client';
import { cacheFor } from './cache-for.js';

/** One consumer group's backlog on one topic: events appended but not yet committed by the group. */
export interface ConsumerLag {
  group: string;
  topic: string;
  lag: number;
}

/** What the scrape-time gauges read; set by {@link Metrics.watch} once the bus and store are open. */
export interface MetricsSources {
  /** Backlog per consumer group and topic (Bus.lag). */
  busLag?: () => Promise<ConsumerLag[]>;
  /** Incidents per status (Store.countIncidentsByStatus). */
  incidentsByStatus?: () => Promise<Record<string, number>>;
}

/** Token usage of one LLM call, as the fixer's `LlmUsage` records it. */
export interface LlmUsageSample {
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** A registry's metrics as data (`getMetricsAsJSON`): how another thread's metrics reach the scrape. */
export type MetricsJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** Latency buckets for the ingest path, whose target is a p99 under 25 ms. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * A second thread's own runtime metrics (V8 heap and spaces, GC, event-loop delay, handles), which
 * the process metrics of the main thread do not include, labelled with the thread. CPU, memory,
 * file descriptors and the start time are the process's: they are the main thread's series alone.
 */
function collectThreadMetrics(registry: Registry, thread: string): void {
  const everything = new Registry();
  // Event-loop delay sampled every 100 ms, not 10: a timer waking a background thread 100 times a
  // second would compete for the cores the HTTP thread needs.
  collectDefaultMetrics({ register: everything, prefix: 'nightshift_', labels: { thread }, eventLoopMonitoringPrecision: 100 });
  // Typed as plain objects, but they are the metric instances themselves.
  for (const metric of everything.getMetricsAsArray() as unknown as (Metric & { name: string })[]) {
    if (metric.name.startsWith('nightshift_nodejs_') && metric.name !== 'nightshift_nodejs_version_info') registry.registerMetric(metric);
  }
}

/** How long scrape-time readings are reused: Kafka admin offsets cost a few round trips. */
const SCRAPE_CACHE_MS = 5_000;

/**
 * Nightshift's Prometheus metrics, one registry per process (no global state, so tests can make several).
 * Counters are incremented where things happen; bus lag and incidents by status are read when scraped.
 */
export function createMetrics({ scrapeCacheMs = SCRAPE_CACHE_MS, thread }: { scrapeCacheMs?: number; thread?: string } = {}) {
  const registry = new Registry();
  if (thread === undefined) collectDefaultMetrics({ register: registry, prefix: 'nightshift_' });
  else collectThreadMetrics(registry, thread);
  const registers = [registry];
  const sources: MetricsSources = {};
  /** Other threads' registries, read at each scrape. */
  const others: (() => Promise<MetricsJson>)[] = [];

  const collectErrors = new Counter({
    name: 'nightshift_metrics_collect_errors_total',
    help: 'Scrape-time readings that failed (the gauge is left empty for that scrape), by collector',
    labelNames: ['collector'] as const,
    registers,
  });

  /** Runs a scrape-time reading without failing the whole scrape when the bus or store is down. */
  async function collect<T>(name: string, gauge: Gauge, read: (() => Promise<T>) | undefined, apply: (value: T) => void): Promise<void> {
    if (!read) return;
    try {
      const value = await read();
      gauge.reset();
      apply(value);
    } catch {
      // Empty rather than stale: a lag that stopped moving because it could not be read must not look healthy.
      gauge.reset();
      collectErrors.inc({ collector: name });
    }
  }

  let readBusLag: (() => Promise<ConsumerLag[]>) | undefined;
  let readIncidents: (() => Promise<Record<string, number>>) | undefined;

  const metrics = {
    registry,
    /** Every webhook or envelope delivery, by source, outcome (accepted, duplicate, rejected, failed) and reason. */
    ingestDeliveries: new Counter({
      name: 'nightshift_ingest_deliveries_total',
      help: 'Deliveries received by ingest, by source, outcome and reason',
      labelNames: ['source', 'outcome', 'reason'] as const,
      registers,
    }),
    /** Where deliveries were verified and normalised: on the HTTP thread or in a receive thread (see createOffloadPolicy). */
    ingestReceives: new Counter({
      name: 'nightshift_ingest_receives_total',
      help: 'Deliveries verified and normalised by ingest, by thread (http, receive)',
      labelNames: ['thread'] as const,
      registers,
    }),
    /**
     * A webhook or envelope request, from reaching its route until its answer was written, by source and
     * status: what the sender waits for (Sentry gives up after 1 s, Datadog after 15 s).
     */
    ingestRequestDuration: new Histogram({
      name: 'nightshift_ingest_request_duration_seconds',
      help: 'Webhook and envelope requests from routed until answered, by source and HTTP status',
      labelNames: ['source', 'status'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    /** Alerts accepted and published (first delivery only), by source: `alertsReceived.inc({ source })`. */
    alertsReceived: new Counter({
      name: 'nightshift_alerts_received_total',
      help: 'Alerts accepted by ingest and published on the bus (redeliveries excluded), by source',
      labelNames: ['source'] as const,
      registers,
    }),
    /** Deliveries refused with a 4xx, by source and reason: `alertsRejected.inc({ source, reason })`. */
    alertsRejected: new Counter({
      name: 'nightshift_alerts_rejected_total',
      help: 'Deliveries rejected by ingest, by source and reason (bad-signature, stale-timestamp, too-large, schema, …)',
      labelNames: ['source', 'reason'] as const,
      registers,
    }),
    /** Incidents opened by grouping, by reason (`new` or `recurrence`). */
    incidentsOpened: new Counter({
      name: 'nightshift_incidents_opened_total',
      help: 'Incidents opened by triage grouping, by reason (new, recurrence)',
      labelNames: ['reason'] as const,
      registers,
    }),
    /** Incidents resolved by the quiet-period sweep, by reason (`fix-merged`, `source-resolved`). */
    incidentsResolved: new Counter({
      name: 'nightshift_incidents_resolved_total',
      help: 'Incidents resolved after a quiet period in recovery, by reason (fix-merged, source-resolved)',
      labelNames: ['reason'] as const,
      registers,
    }),
    /** Incidents in the store per status, read at scrape time (the same figure from every process). */
    incidents: new Gauge({
      name: 'nightshift_incidents',
      help: 'Incidents in the store by status, read at scrape time',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        await collect('incidents', this, readIncidents, (counts) => {
          for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
        });
      },
    }),
    /**
     * Fix attempts by strategy (revert, template, llm) and outcome (drafted, rejected, failed, no-candidate …):
     * `fixes.inc({ strategy, outcome })`.
     */
    fixes: new Counter({
      name: 'nightshift_fixes_total',
      help: 'Fix attempts by strategy and outcome',
      labelNames: ['strategy', 'outcome'] as const,
      registers,
    }),
    /** Wall time of one verification run, by verdict: prefer {@link recordVerification}. */
    verificationDuration: new Histogram({
      name: 'nightshift_verification_duration_seconds',
      help: 'Duration of verification runs (sandboxed build, tests and replay), by verdict',
      labelNames: ['verdict'] as const,
      buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1200],
      registers,
    }),
    /** Verification verdicts (passed, failed, unverifiable). */
    verifications: new Counter({
      name: 'nightshift_verifications_total',
      help: 'Verification runs by verdict',
      labelNames: ['verdict'] as const,
      registers,
    }),
    /** LLM tokens by model and kind (prompt, completion): prefer {@link recordLlmUsage}. */
    llmTokens: new Counter({
      name: 'nightshift_llm_tokens_total',
      help: 'LLM tokens used by the fix agent, by model and kind (prompt, completion)',
      labelNames: ['model', 'kind'] as const,
      registers,
    }),
    /** LLM spend in US dollars by model, priced with `fixer.llm` prices: prefer {@link recordLlmUsage}. */
    llmCost: new Counter({
      name: 'nightshift_llm_cost_usd_total',
      help: 'LLM cost in US dollars by model, from the configured price table',
      labelNames: ['model'] as const,
      registers,
    }),
    /**
     * From publishing events until the bus holds them durably (Kafka: acknowledged by the in-sync
     * replicas; embedded: committed to its log): what every ingest acknowledgement waits for.
     */
    busPublishDuration: new Histogram({
      name: 'nightshift_bus_publish_duration_seconds',
      help: 'Time from publishing events until the bus acknowledged them as durable, by bus',
      labelNames: ['bus'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    /**
     * One Kafka produce request, from written to the socket until its answer was read: the broker's
     * share of {@link busPublishDuration}, which adds the wait for the request before it in flight.
     */
    kafkaProduceDuration: new Histogram({
      name: 'nightshift_kafka_produce_duration_seconds',
      help: 'Kafka produce requests from sent until answered, as the client saw them',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    /** Events appended but not yet committed, per consumer group and topic, read at scrape time. */
    busLag: new Gauge({
      name: 'nightshift_bus_consumer_lag',
      help: 'Events on the bus not yet committed by a consumer group, by group and topic',
      labelNames: ['group', 'topic'] as const,
      registers,
      async collect() {
        await collect('bus-lag', this, readBusLag, (lags) => {
          for (const { group, topic, lag } of lags) this.set({ group, topic }, lag);
        });
      },
    }),

    /** Gives the scrape-time gauges their readings, each cached for `scrapeCacheMs`. */
    watch(next: MetricsSources): void {
      Object.assign(sources, next);
      readBusLag = sources.busLag && cacheFor(scrapeCacheMs, sources.busLag);
      readIncidents = sources.incidentsByStatus && cacheFor(scrapeCacheMs, sources.incidentsByStatus);
    },

    /** Adds another thread's metrics to every {@link scrape} (see startConsumerThread). */
    addThread(read: () => Promise<MetricsJson>): void {
      others.push(read);
    },

    /**
     * The exposition text for `GET /metrics`: this registry's, plus the other threads', each series
     * summed where several threads have it. A thread that does not answer is left out of the scrape
     * and counted under `collector="thread"`.
     */
    async scrape(): Promise<string> {
      if (others.length === 0) return registry.metrics();
      const own = await registry.getMetricsAsJSON();
      const theirs = await Promise.all(
        others.map((read) =>
          read().catch(() => {
            collectErrors.inc({ collector: 'thread' });
            return [];
          }),
        ),
      );
      return AggregatorRegistry.aggregate([own, ...theirs]).metrics();
    },

    /** Records one finished verification run: its verdict and how long it took. */
    recordVerification({ verdict, durationMs }: { verdict: string; durationMs: number }): void {
      metrics.verifications.inc({ verdict });
      metrics.verificationDuration.observe({ verdict }, durationMs / 1000);
    },

    /** Records the tokens and cost of LLM calls (a FixCandidate's or StrategyOutcome's `usage`). */
    recordLlmUsage(usage: readonly LlmUsageSample[]): void {
      for (const { model, promptTokens, completionTokens, costUsd } of usage) {
        if (promptTokens > 0) metrics.llmTokens.inc({ model, kind: 'prompt' }, promptTokens);
        if (completionTokens > 0) metrics.llmTokens.inc({ model, kind: 'completion' }, completionTokens);
        if (costUsd > 0) metrics.llmCost.inc({ model }, costUsd);
      }
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
