import * as z from 'zod';
import { CROSS_FIELD } from './cross-field.js';
import { fixerSchema } from './fixer-schema.js';
import { controlsSchema, ruleSchema } from './rules-schema.js';
import { repositorySchema, serviceSchema, triageSchema } from './triage-schema.js';
import { verifierSchema } from './verifier-schema.js';

/**
 * The one description of Nightshift's configuration. Every object is strict, so a misspelt key is an
 * error rather than a silently ignored setting. Leaf schemas carry a `description` phrased as what is
 * expected ("a port number 1-65535"): error messages and the environment reader both use it.
 */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

const wholeNumber = (min: number) => z.int().min(min).describe(`a whole number >= ${min}`);
const nonEmpty = (what: string) => z.string().min(1).describe(what);

function isBrokerAddress(value: string): boolean {
  const match = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})$/.exec(value);
  const port = Number(match?.[1]);
  return match !== null && port >= 1 && port <= 65535;
}

function isPostgresUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

export const portSchema = z.int().min(1).max(65535).describe('a port number 1-65535');
export const hostSchema = z.string().regex(/^\S+$/).describe('a host name or IP address');
export const dataDirSchema = nonEmpty('a directory path');
export const logLevelSchema = z.enum(LOG_LEVELS);
export const brokerSchema = z.string().refine(isBrokerAddress).describe('a broker address like "kafka-1:9092"');
export const saslMechanismSchema = z.enum(SASL_MECHANISMS);
export const postgresUrlSchema = z.string().refine(isPostgresUrl).describe('a postgres:// or postgresql:// URL');

export { CROSS_FIELD };

const saslSchema = z.strictObject({
  mechanism: saslMechanismSchema,
  username: nonEmpty('a non-empty user name'),
  password: nonEmpty('a non-empty password'),
});

const kafkaSchema = z.strictObject({
  brokers: z.array(brokerSchema),
  clientId: nonEmpty('a non-empty client id'),
  topicPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .describe('a topic prefix of letters, digits, ".", "_" and "-"'),
  partitions: wholeNumber(1),
  replicationFactor: wholeNumber(1),
  ssl: z.boolean(),
  sasl: saslSchema.optional(),
  /**
   * A process that serves HTTP and also runs consuming roles (`nightshift start` with every role) runs
   * their bus handlers in a worker thread of lower CPU priority, so they never stall a request.
   */
  consumerThread: z.boolean(),
  /**
   * How long a publish after a quiet spell waits for others to share its produce request (Kafka's
   * `linger.ms`, 5 ms by default in Kafka 4's own producer): fewer requests for the broker to wake up for.
   */
  lingerMs: z.int().min(0).max(1_000).describe('milliseconds from 0 to 1000'),
});

const busSchema = z
  .strictObject({
    kind: z.enum(['embedded', 'kafka']),
    /** Handler attempts before an event goes to the dead-letter topic. */
    maxAttempts: wholeNumber(1),
    /** First retry delay; doubles on each attempt up to `maxRetryBackoffMs`. */
    retryBackoffMs: wholeNumber(0),
    maxRetryBackoffMs: wholeNumber(0),
    kafka: kafkaSchema,
  })
  .superRefine((bus, ctx) => {
    if (bus.kind === 'kafka' && bus.kafka.brokers.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        params: { [CROSS_FIELD]: true },
        message:
          'is "kafka" but bus.kafka.brokers is empty: list at least one broker (or set NIGHTSHIFT_KAFKA_BROKERS)',
      });
    }
    if (bus.maxRetryBackoffMs < bus.retryBackoffMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxRetryBackoffMs'],
        params: { [CROSS_FIELD]: true },
        message: `must be at least bus.retryBackoffMs (${bus.retryBackoffMs}), got ${bus.maxRetryBackoffMs}`,
      });
    }
  });

const storeSchema = z
  .strictObject({
    kind: z.enum(['sqlite', 'postgres']),
    url: postgresUrlSchema.optional(),
  })
  .superRefine((store, ctx) => {
    if (store.kind === 'postgres' && store.url === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        params: { [CROSS_FIELD]: true },
        message: 'is "postgres" but store.url is not set: give a postgres:// URL (or set DATABASE_URL)',
      });
    }
  });

export const dsnKeySchema = z.strictObject({
  projectId: z.string().regex(/^[0-9]+$/).describe('a numeric Sentry project id'),
  publicKey: z.string().regex(/^[0-9a-f]{32}$/).describe('a 32-character hex DSN public key'),
});

/** Webhook receivers: their secrets, and the limits every delivery must respect. */
const ingestSchema = z.strictObject({
  /** Largest body accepted, after decompression. */
  maxBodyBytes: wholeNumber(1024),
  /** Worker threads that verify and normalise deliveries; 0 does it on the HTTP thread; unset: one per core beyond the first, at most 4. */
  receiveThreads: z.int().min(0).max(64).describe('a whole number from 0 to 64').optional(),
  sentry: z.strictObject({
    /** The integration's client secret: Sentry-Hook-Signature is its HMAC of the raw body. */
    clientSecret: nonEmpty('the Sentry integration client secret').optional(),
    /** Sentry-Hook-Timestamp further than this from now is a replay. */
    timestampToleranceSeconds: wholeNumber(1),
    /** Projects whose SDKs may send envelopes straight to Nightshift, by DSN public key. */
    dsnKeys: z.array(dsnKeySchema),
  }),
  datadog: z.strictObject({
    /** Shared secret Datadog sends in X-Nightshift-Token (Datadog does not sign payloads). */
    token: nonEmpty('a non-empty token').optional(),
    basicAuth: z.strictObject({ username: nonEmpty('a user name'), password: nonEmpty('a password') }).optional(),
  }),
  github: z.strictObject({
    /** The GitHub App or repository webhook secret behind X-Hub-Signature-256. */
    webhookSecret: nonEmpty('the GitHub webhook secret').optional(),
  }),
});

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Nightshift's own observability: where its own errors go (metrics need no settings). */
const telemetrySchema = z.strictObject({
  /** A Sentry DSN for Nightshift's own errors; off when unset. Never Nightshift's own intake. */
  sentryDsn: z.string().refine(isHttpUrl).describe('a Sentry DSN like "https://<key>@o1.ingest.sentry.io/<project>"').optional(),
});

export const configSchema = z.strictObject({
  server: z.strictObject({
    host: hostSchema,
    port: portSchema,
    /**
     * How long an idle keep-alive connection stays open; 65 s when unset. Longer than the idle timeout
     * of the proxy or load balancer in front (AWS ALB 60 s, nginx 60 s), or it reuses a connection this
     * server has just closed and answers the webhook sender 502.
     */
    keepAliveTimeoutMs: z.int().min(1).max(290_000).describe('milliseconds from 1 to 290000 (under Node\'s 300 s request timeout)').optional(),
  }),
  /** Embedded bus, SQLite store and workspaces live here; absolute once loaded. */
  dataDir: dataDirSchema,
  log: z.strictObject({ level: logLevelSchema }),
  bus: busSchema,
  store: storeSchema,
  ingest: ingestSchema,
  /** The services Nightshift watches, by the name alerts and logs use. */
  services: z.record(z.string().min(1), serviceSchema),
  repositories: z.record(z.string().min(1), repositorySchema),
  triage: triageSchema,
  fixer: fixerSchema,
  verifier: verifierSchema,
  /** Alert-to-agent rules, in order: the first match decides (more in `rules/*.yaml` beside the file). */
  rules: z.array(ruleSchema),
  controls: controlsSchema,
  telemetry: telemetrySchema,
}).superRefine((config, ctx) => {
  for (const [name, service] of Object.entries(config.services)) {
    if (service.repository !== undefined && !Object.hasOwn(config.repositories, service.repository)) {
      const known = Object.keys(config.repositories);
      ctx.addIssue({
        code: 'custom',
        path: ['services', name, 'repository'],
        params: { [CROSS_FIELD]: true },
        message: `names "${service.repository}", which is not in repositories (${known.length > 0 ? `known: ${known.join(', ')}` : 'none are configured'})`,
      });
    }
  }
});

export type DsnKey = z.infer<typeof dsnKeySchema>;

/** Nightshift's validated configuration. */
export type NightshiftConfig = z.infer<typeof configSchema>;
