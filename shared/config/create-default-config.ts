import type { NightshiftConfig } from './config-schema.js';

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
      },
    },
    store: { kind: 'sqlite' },
    ingest: {
      maxBodyBytes: 1024 * 1024,
      sentry: { timestampToleranceSeconds: 300, dsnKeys: [] },
      datadog: {},
      github: {},
    },
  };
}
