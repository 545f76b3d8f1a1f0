import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../shared/config/config-error.js';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import { describeConfig } from '../../shared/config/describe-config.js';
import { formatConfigError } from '../../shared/config/format-config-error.js';
import { parseConfigYaml } from '../../shared/config/parse-config-yaml.js';
import { resolveConfig } from '../../shared/config/resolve-config.js';
import { NightshiftError } from '../../shared/errors.js';

const cwd = '/srv/nightshift';

/** The lines of the ConfigError that `run` throws. */
function problemLines(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message.split('\n');
  }
  assert.fail('expected a ConfigError');
}

test('no file and no environment gives the defaults, with dataDir made absolute against cwd', () => {
  const config = resolveConfig({ env: {}, cwd });
  const defaults = createDefaultConfig();
  assert.deepEqual(config, {
    ...defaults,
    dataDir: '/srv/nightshift/.nightshift',
    fixer: { ...defaults.fixer, workspaceDir: '/srv/nightshift/.nightshift/workspaces' },
  });
});

test('each environment variable sets its setting', () => {
  const config = resolveConfig({
    cwd,
    env: {
      NIGHTSHIFT_HOST: '127.0.0.1',
      NIGHTSHIFT_PORT: '9090',
      NIGHTSHIFT_DATA_DIR: 'data',
      NIGHTSHIFT_LOG_LEVEL: 'DEBUG',
      NIGHTSHIFT_KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9093',
      NIGHTSHIFT_KAFKA_SSL: 'TRUE',
      NIGHTSHIFT_KAFKA_SASL_MECHANISM: 'scram-sha-256',
      NIGHTSHIFT_KAFKA_SASL_USERNAME: 'svc',
      NIGHTSHIFT_KAFKA_SASL_PASSWORD: ' pw with spaces ',
      DATABASE_URL: 'postgresql://svc:pw@db:5432/nightshift',
      UNRELATED: 'ignored',
    },
  });
  assert.deepEqual(config.server, { host: '127.0.0.1', port: 9090 });
  assert.equal(config.dataDir, '/srv/nightshift/data');
  assert.equal(config.log.level, 'debug');
  assert.equal(config.bus.kind, 'kafka', 'a broker list selects the Kafka bus');
  assert.deepEqual(config.bus.kafka.brokers, ['kafka-1:9092', 'kafka-2:9093']);
  assert.equal(config.bus.kafka.ssl, true);
  assert.deepEqual(config.bus.kafka.sasl, { mechanism: 'scram-sha-256', username: 'svc', password: ' pw with spaces ' });
  assert.deepEqual(config.store, { kind: 'postgres', url: 'postgresql://svc:pw@db:5432/nightshift' });
});

test('an empty variable counts as unset', () => {
  assert.deepEqual(
    resolveConfig({ env: { NIGHTSHIFT_PORT: '', DATABASE_URL: '', NIGHTSHIFT_KAFKA_BROKERS: '  ' }, cwd }),
    resolveConfig({ env: {}, cwd }),
  );
});

test('every bad variable is reported at once, each naming the variable and the value found', () => {
  const lines = problemLines(() =>
    resolveConfig({ cwd, env: { NIGHTSHIFT_PORT: 'abc', NIGHTSHIFT_KAFKA_SSL: '1', DATABASE_URL: 'sqlite:///tmp/x.db' } }),
  );
  assert.deepEqual(lines, [
    'NIGHTSHIFT_PORT: expected a port number 1-65535, got "abc"',
    'NIGHTSHIFT_KAFKA_SSL: expected true or false, got "1"',
    'DATABASE_URL: expected a postgres:// or postgresql:// URL, got "sqlite:///tmp/x.db"',
  ]);
});

test('a database URL with another scheme is refused without echoing its password', () => {
  const lines = problemLines(() => resolveConfig({ cwd, env: { DATABASE_URL: 'mysql://root:hunter2@db/app' } }));
  assert.deepEqual(lines, ['DATABASE_URL: expected a postgres:// or postgresql:// URL, got "mysql://root:[REDACTED]@db/app"']);
});

test('SASL half-configured from the environment says which variables are missing', () => {
  const lines = problemLines(() =>
    resolveConfig({ cwd, env: { NIGHTSHIFT_KAFKA_BROKERS: 'k:9092', NIGHTSHIFT_KAFKA_SASL_USERNAME: 'svc' } }),
  );
  assert.deepEqual(lines, [
    'bus.kafka.sasl.mechanism: expected one of "plain", "scram-sha-256", "scram-sha-512", got nothing (set it in the file or with NIGHTSHIFT_KAFKA_SASL_MECHANISM)',
    'bus.kafka.sasl.password: expected a non-empty password, got nothing (set it in the file or with NIGHTSHIFT_KAFKA_SASL_PASSWORD)',
  ]);
});

test('the environment wins over the file', () => {
  const file = parseConfigYaml('server:\n  port: 8080\n  host: 10.0.0.1\nstore:\n  kind: sqlite\n', 'nightshift.yaml');
  const config = resolveConfig({ cwd, file, env: { NIGHTSHIFT_PORT: '9999', DATABASE_URL: 'postgres://db/x' } });
  assert.deepEqual(config.server, { host: '10.0.0.1', port: 9999 });
  assert.deepEqual(config.store, { kind: 'postgres', url: 'postgres://db/x' });
});

test('a wrong type in the file is still reported when the environment sets a value inside it', () => {
  const file = parseConfigYaml('server: 8080\n', 'nightshift.yaml');
  const lines = problemLines(() => resolveConfig({ cwd, file, env: { NIGHTSHIFT_PORT: '9090' } }));
  assert.deepEqual(lines, ['nightshift.yaml:1:9: server: expected a mapping with keys host, port, keepAliveTimeoutMs, got 8080']);
});

test('cross-field rules point at the setting that asked for more', () => {
  const file = parseConfigYaml('bus:\n  kind: kafka\n  retryBackoffMs: 500\n  maxRetryBackoffMs: 100\n', 'ns.yaml');
  assert.deepEqual(problemLines(() => resolveConfig({ cwd, file, env: {} })), [
    'ns.yaml:2:9: bus.kind: is "kafka" but bus.kafka.brokers is empty: list at least one broker (or set NIGHTSHIFT_KAFKA_BROKERS)',
    'ns.yaml:4:22: bus.maxRetryBackoffMs: must be at least bus.retryBackoffMs (500), got 100',
  ]);
});

test('a secret of the wrong type is described without its value', () => {
  const yaml = 'bus:\n  kafka:\n    sasl:\n      mechanism: plain\n      username: svc\n      password: 123456\n';
  const lines = problemLines(() => resolveConfig({ cwd, env: {}, file: parseConfigYaml(yaml, 'ns.yaml') }));
  assert.deepEqual(lines, ['ns.yaml:6:17: bus.kafka.sasl.password: expected a non-empty password, got a number']);
});

test('ConfigError is a NightshiftError with a stable code, and formatConfigError adds a headline', () => {
  try {
    resolveConfig({ cwd, env: { NIGHTSHIFT_PORT: '0' } });
    assert.fail('expected a ConfigError');
  } catch (error) {
    assert.ok(error instanceof NightshiftError && error instanceof ConfigError);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.retriable, false);
    assert.deepEqual(error.problems, [
      { variable: 'NIGHTSHIFT_PORT', path: 'server.port', message: 'expected a port number 1-65535, got "0"' },
    ]);
    assert.equal(
      formatConfigError(error),
      "Nightshift's configuration is invalid (1 problem):\n  NIGHTSHIFT_PORT: expected a port number 1-65535, got \"0\"",
    );
  }
});

test('describeConfig masks the SASL password and the store URL password, and copies', () => {
  const config = resolveConfig({
    cwd,
    env: {
      NIGHTSHIFT_KAFKA_BROKERS: 'k:9092',
      NIGHTSHIFT_KAFKA_SASL_MECHANISM: 'plain',
      NIGHTSHIFT_KAFKA_SASL_USERNAME: 'svc',
      NIGHTSHIFT_KAFKA_SASL_PASSWORD: 'kafka-pw',
      DATABASE_URL: 'postgres://app:db-pw@db:5432/ns',
    },
  });
  const shown = describeConfig(config);
  assert.deepEqual(shown.bus.kafka.sasl, { mechanism: 'plain', username: 'svc', password: '[REDACTED]' });
  assert.equal(shown.store.url, 'postgres://app:[REDACTED]@db:5432/ns');
  assert.doesNotMatch(JSON.stringify(shown), /kafka-pw|db-pw/);
  assert.equal(config.bus.kafka.sasl?.password, 'kafka-pw');
});

test('flow-style YAML on one line is fine; only absurd nesting is refused', () => {
  const yaml = 'bus: { kind: kafka, kafka: { brokers: [a:1, b:2], sasl: { mechanism: plain, username: u, password: p } } }\n';
  const config = resolveConfig({ cwd, env: {}, file: parseConfigYaml(yaml, 'ns.yaml') });
  assert.deepEqual(config.bus.kafka.brokers, ['a:1', 'b:2']);
  assert.deepEqual(problemLines(() => parseConfigYaml(`a: ${'['.repeat(100)}`, 'ns.yaml')), [
    'ns.yaml:1:67: nesting is too deep (over 64 levels of brackets and indentation); refusing to parse',
  ]);
});

test('ingest secrets come from the environment and describeConfig masks every one', () => {
  const config = resolveConfig({
    cwd,
    env: {
      NIGHTSHIFT_SENTRY_CLIENT_SECRET: 'sentry-cs',
      NIGHTSHIFT_SENTRY_DSN_KEYS: '42:0123456789abcdef0123456789abcdef, 7:fedcba9876543210fedcba9876543210',
      NIGHTSHIFT_DATADOG_TOKEN: 'dd-token',
      NIGHTSHIFT_GITHUB_WEBHOOK_SECRET: 'gh-secret',
    },
  });
  assert.equal(config.ingest.sentry.clientSecret, 'sentry-cs');
  assert.deepEqual(config.ingest.sentry.dsnKeys, [
    { projectId: '42', publicKey: '0123456789abcdef0123456789abcdef' },
    { projectId: '7', publicKey: 'fedcba9876543210fedcba9876543210' },
  ]);
  assert.equal(config.ingest.sentry.timestampToleranceSeconds, 300);
  const shown = JSON.stringify(describeConfig(config));
  assert.doesNotMatch(shown, /sentry-cs|dd-token|gh-secret/);
});

test('a malformed NIGHTSHIFT_SENTRY_DSN_KEYS names the variable without echoing it', () => {
  const lines = problemLines(() => resolveConfig({ cwd, env: { NIGHTSHIFT_SENTRY_DSN_KEYS: '42:not-hex' } }));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /^NIGHTSHIFT_SENTRY_DSN_KEYS: expected comma-separated "<projectId>:<32-hex public key>" pairs, got a value of 10 characters$/);
});
