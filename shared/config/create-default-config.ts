import type { NightshiftConfig } from './config-schema.js';
import { DEFAULT_FIXER_CONFIG } from './fixer-schema.js';
import { DEFAULT_CONTROLS } from './rules-schema.js';
import { DEFAULT_VERIFIER_CONFIG } from './verifier-schema.js';

/** The configuration used when neither the file nor the environment says otherwise (a fresh copy). */
export function createDefaultConfig(): NightshiftConfig {
  return {
    server: { host: '0.0.0.0', port: 8080 },
    dataDir: './.nightshift',
    log: { level: 'info' },
    bus: {
      kind: 'embedded',
      maxAttempts: 5,
      retryBackoffMs: 200,
      maxRetryBackoffMs: 10_000,
      kafka: {
        brokers: [],
        clientId: 'nightshift',
        topicPrefix: 'nightshift.',
        partitions: 6,
        replicationFactor: 1,
        ssl: false,
        consumerThread: true,
        lingerMs: 2,
      },
    },
    store: { kind: 'sqlite' },
    ingest: {
      maxBodyBytes: 1024 * 1024,
      sentry: { timestampToleranceSeconds: 300, dsnKeys: [] },
      datadog: {},
      github: {},
    },
    services: {},
    repositories: {},
    triage: {
      windowBeforeSeconds: 900,
      windowAfterSeconds: 300,
      baselineSeconds: 3600,
      correlationWindowSeconds: 600,
      resolveAfterQuietMinutes: 30,
      maxLogRecords: 2_000_000,
      correlation: {
        traceIdFields: ['trace_id', 'traceId', 'dd.trace_id', 'trace.id', 'otel.trace_id', 'contexts.trace.trace_id'],
        requestIdFields: ['request_id', 'requestId', 'req.id', 'req_id', 'http.request_id', 'x-request-id'],
      },
      logSources: [],
      datadog: { site: 'datadoghq.com' },
      sentry: { baseUrl: 'https://sentry.io' },
    },
    fixer: structuredClone(DEFAULT_FIXER_CONFIG),
    verifier: structuredClone(DEFAULT_VERIFIER_CONFIG),
    rules: [],
    controls: structuredClone(DEFAULT_CONTROLS),
    telemetry: {},
  };
}
