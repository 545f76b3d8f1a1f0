import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Bus } from '../../shared/bus/bus.js';
import { createEmbeddedBus } from '../../shared/bus/embedded/create-embedded-bus.js';
import { createKafkaBus } from '../../shared/bus/kafka/create-kafka-bus.js';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { timePublishes } from '../../shared/bus/time-publishes.js';
import type { Metrics } from '../../shared/telemetry/create-metrics.js';

/** The bus the configuration selects: embedded in the data directory, or Kafka; its publishes timed into `metrics`. */
export function openBus(config: NightshiftConfig, deps: { log: Logger; now: () => Date; metrics: Metrics }): Bus {
  const bus = openConfiguredBus(config, deps);
  const published = deps.metrics.busPublishDuration.labels({ bus: bus.kind });
  return timePublishes(bus, (seconds) => published.observe(seconds));
}

function openConfiguredBus(config: NightshiftConfig, deps: { log: Logger; now: () => Date; metrics: Metrics }): Bus {
  const { maxAttempts, retryBackoffMs, maxRetryBackoffMs, kafka } = config.bus;
  const policy = { maxAttempts, retryBackoffMs, maxRetryBackoffMs };
  if (config.bus.kind === 'embedded') {
    return createEmbeddedBus({ file: join(config.dataDir, 'bus.sqlite'), log: deps.log, now: deps.now, policy });
  }
  return createKafkaBus({
    brokers: kafka.brokers,
    clientId: kafka.clientId,
    topicPrefix: kafka.topicPrefix,
    partitions: kafka.partitions,
    replicationFactor: kafka.replicationFactor,
    ssl: kafka.ssl,
    lingerMs: kafka.lingerMs,
    ...(kafka.sasl ? { sasl: kafka.sasl } : {}),
    log: deps.log,
    now: deps.now,
    policy,
    onProduced: (ms) => deps.metrics.kafkaProduceDuration.observe(ms / 1000),
  });
}
