import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

/** Nightshift's Prometheus metrics, one registry per process (no global state, so tests can make several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nightshift_' });
  return {
    registry,
    /** Every webhook or envelope delivery, by source, outcome (accepted, duplicate, rejected) and reason. */
    ingestDeliveries: new Counter({
      name: 'nightshift_ingest_deliveries_total',
      help: 'Deliveries received by ingest, by source, outcome and reason',
      labelNames: ['source', 'outcome', 'reason'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
