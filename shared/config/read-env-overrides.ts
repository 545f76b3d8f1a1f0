import type * as z from 'zod';
import { scrubSecretText } from '../log/scrub-secret-text.js';
import type { ConfigProblem } from './config-error.js';
import {
  brokerSchema,
  dataDirSchema,
  dsnKeySchema,
  hostSchema,
  LOG_LEVELS,
  logLevelSchema,
  portSchema,
  postgresUrlSchema,
  SASL_MECHANISMS,
  saslMechanismSchema,
} from './config-schema.js';
import { formatConfigPath } from './format-config-path.js';

/** The process environment, or any object shaped like it (tests pass their own). */
export type Env = Readonly<Record<string, string | undefined>>;

type Parsed = { value: unknown } | { expected: string };

interface EnvVariable {
  name: string;
  path: readonly string[];
  parse(raw: string): Parsed;
  /** Further settings the variable implies (a broker list selects the Kafka bus). */
  implies?: readonly { path: readonly string[]; value: unknown }[];
  /** Never echo the value in an error. */
  secret?: boolean;
}

const oneOf = (values: readonly string[]) => `one of ${values.join(', ')}`;

function check(schema: z.ZodType, value: unknown, expected = schema.description ?? 'a valid value'): Parsed {
  return schema.safeParse(value).success ? { value } : { expected };
}

const VARIABLES: readonly EnvVariable[] = [
  { name: 'NIGHTSHIFT_HOST', path: ['server', 'host'], parse: (raw) => check(hostSchema, raw) },
  {
    name: 'NIGHTSHIFT_PORT',
    path: ['server', 'port'],
    parse: (raw) => check(portSchema, /^[0-9]+$/.test(raw) ? Number(raw) : raw),
  },
  { name: 'NIGHTSHIFT_DATA_DIR', path: ['dataDir'], parse: (raw) => check(dataDirSchema, raw) },
  {
    name: 'NIGHTSHIFT_LOG_LEVEL',
    path: ['log', 'level'],
    parse: (raw) => check(logLevelSchema, raw.toLowerCase(), oneOf(LOG_LEVELS)),
  },
  {
    name: 'NIGHTSHIFT_KAFKA_BROKERS',
    path: ['bus', 'kafka', 'brokers'],
    implies: [{ path: ['bus', 'kind'], value: 'kafka' }],
    parse: (raw) => {
      const brokers = raw.split(',').map((broker) => broker.trim()).filter((broker) => broker !== '');
      const bad = brokers.find((broker) => !brokerSchema.safeParse(broker).success);
      if (brokers.length > 0 && bad === undefined) return { value: brokers };
      const expected = 'comma-separated broker addresses like "kafka-1:9092,kafka-2:9092"';
      return { expected: bad === undefined ? expected : `${expected} ("${bad}" is not host:port)` };
    },
  },
  {
    name: 'NIGHTSHIFT_KAFKA_SSL',
    path: ['bus', 'kafka', 'ssl'],
    parse: (raw) => {
      const value = raw.toLowerCase();
      return value === 'true' || value === 'false' ? { value: value === 'true' } : { expected: 'true or false' };
    },
  },
  {
    name: 'NIGHTSHIFT_KAFKA_SASL_MECHANISM',
    path: ['bus', 'kafka', 'sasl', 'mechanism'],
    parse: (raw) => check(saslMechanismSchema, raw.toLowerCase(), oneOf(SASL_MECHANISMS)),
  },
  {
    name: 'NIGHTSHIFT_KAFKA_SASL_USERNAME',
    path: ['bus', 'kafka', 'sasl', 'username'],
    parse: (raw) => ({ value: raw }),
  },
  {
    name: 'NIGHTSHIFT_KAFKA_SASL_PASSWORD',
    path: ['bus', 'kafka', 'sasl', 'password'],
    parse: (raw) => ({ value: raw }),
    secret: true,
  },
  { name: 'NIGHTSHIFT_SENTRY_CLIENT_SECRET', path: ['ingest', 'sentry', 'clientSecret'], parse: (raw) => ({ value: raw }), secret: true },
  {
    name: 'NIGHTSHIFT_SENTRY_DSN_KEYS',
    path: ['ingest', 'sentry', 'dsnKeys'],
    parse: (raw) => {
      const pairs = raw.split(',').map((pair) => pair.trim()).filter((pair) => pair !== '');
      const keys = pairs.map((pair) => {
        const [projectId = '', publicKey = ''] = pair.split(':');
        return { projectId, publicKey };
      });
      const bad = keys.findIndex((key) => !dsnKeySchema.safeParse(key).success);
      if (keys.length > 0 && bad === -1) return { value: keys };
      return { expected: 'comma-separated "<projectId>:<32-hex public key>" pairs' };
    },
    secret: true,
  },
  {
    name: 'NIGHTSHIFT_INGEST_RECEIVE_THREADS',
    path: ['ingest', 'receiveThreads'],
    parse: (raw) => (/^[0-9]{1,2}$/.test(raw.trim()) && Number(raw) <= 64 ? { value: Number(raw) } : { expected: 'a whole number from 0 to 64' }),
  },
  { name: 'NIGHTSHIFT_DATADOG_TOKEN', path: ['ingest', 'datadog', 'token'], parse: (raw) => ({ value: raw }), secret: true },
  { name: 'NIGHTSHIFT_GITHUB_WEBHOOK_SECRET', path: ['ingest', 'github', 'webhookSecret'], parse: (raw) => ({ value: raw }), secret: true },
  { name: 'DD_API_KEY', path: ['triage', 'datadog', 'apiKey'], parse: (raw) => ({ value: raw }), secret: true },
  { name: 'DD_APP_KEY', path: ['triage', 'datadog', 'appKey'], parse: (raw) => ({ value: raw }), secret: true },
  { name: 'DD_SITE', path: ['triage', 'datadog', 'site'], parse: (raw) => ({ value: raw }) },
  { name: 'SENTRY_AUTH_TOKEN', path: ['triage', 'sentry', 'authToken'], parse: (raw) => ({ value: raw }), secret: true },
  { name: 'SENTRY_ORG', path: ['triage', 'sentry', 'organization'], parse: (raw) => ({ value: raw }) },
  { name: 'SENTRY_URL', path: ['triage', 'sentry', 'baseUrl'], parse: (raw) => ({ value: raw }) },
  {
    name: 'GITHUB_TOKEN',
    path: ['fixer', 'github', 'token'],
    implies: [{ path: ['fixer', 'forge'], value: 'github' }],
    parse: (raw) => ({ value: raw }),
    secret: true,
  },
  { name: 'GITHUB_API_URL', path: ['fixer', 'github', 'apiUrl'], parse: (raw) => ({ value: raw }) },
  { name: 'OPENAI_API_KEY', path: ['fixer', 'llm', 'apiKey'], parse: (raw) => ({ value: raw }), secret: true },
  { name: 'OPENAI_BASE_URL', path: ['fixer', 'llm', 'baseUrl'], parse: (raw) => ({ value: raw }) },
  { name: 'NIGHTSHIFT_SENTRY_DSN', path: ['telemetry', 'sentryDsn'], parse: (raw) => ({ value: raw }), secret: true },
  {
    name: 'DATABASE_URL',
    path: ['store', 'url'],
    implies: [{ path: ['store', 'kind'], value: 'postgres' }],
    parse: (raw) => check(postgresUrlSchema, raw),
  },
];

/** The environment variable that sets the configuration at `path` (`server.port`), if any. */
export function envVariableForPath(path: string): string | undefined {
  return VARIABLES.find((variable) => formatConfigPath(variable.path) === path)?.name;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    node[segment] ??= {};
    node = node[segment] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** Configuration from the environment: a layer to merge over the file, and where each value came from. */
export interface EnvOverrides {
  layer: Record<string, unknown>;
  /** Config path (`bus.kafka.brokers`) → the variable that set it, to name it in later errors. */
  origins: Map<string, string>;
  problems: ConfigProblem[];
}

/**
 * Reads Nightshift's variables from `env`, validating each on its own so an error names the
 * variable and shows the raw text. An empty variable counts as unset: shells and compose files
 * export `FOO=` to mean "no value".
 */
export function readEnvOverrides(env: Env): EnvOverrides {
  const overrides: EnvOverrides = { layer: {}, origins: new Map(), problems: [] };
  for (const variable of VARIABLES) {
    // Surrounding blanks are copy-paste accidents, except in a secret, which is taken as given.
    const raw = variable.secret ? env[variable.name] : env[variable.name]?.trim();
    if (raw === undefined || raw === '') continue;
    const parsed = variable.parse(raw);
    const path = formatConfigPath(variable.path);
    if ('expected' in parsed) {
      const got = variable.secret ? `a value of ${raw.length} characters` : JSON.stringify(scrubSecretText(raw));
      overrides.problems.push({ variable: variable.name, path, message: `expected ${parsed.expected}, got ${got}` });
      continue;
    }
    for (const setting of [{ path: variable.path, value: parsed.value }, ...(variable.implies ?? [])]) {
      setPath(overrides.layer, setting.path, setting.value);
      overrides.origins.set(formatConfigPath(setting.path), variable.name);
    }
  }
  return overrides;
}
