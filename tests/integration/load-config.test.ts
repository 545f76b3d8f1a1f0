import { DEFAULT_FIXER_CONFIG } from '../../shared/config/fixer-schema.js';
import { DEFAULT_VERIFIER_CONFIG } from '../../shared/config/verifier-schema.js';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../shared/config/config-error.js';
import { loadConfig } from '../../shared/config/load-config.js';
import { tempDir } from '../helpers/wait.js';

// Fixtures live in the source tree; this file runs from dist/tests/integration.
const fixtures = fileURLToPath(new URL('../../../tests/fixtures/config/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);

const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((cleanup) => cleanup())));

/** A fresh working directory, optionally holding `fixtureName` as its nightshift.yaml. */
async function workdir(fixtureName?: string): Promise<string> {
  const dir = await tempDir('nightshift-config-');
  cleanups.push(dir.cleanup);
  if (fixtureName !== undefined) await copyFile(fixture(fixtureName), join(dir.path, 'nightshift.yaml'));
  return dir.path;
}

/** The ConfigError that loading rejects with. */
async function configError(load: Promise<unknown>): Promise<ConfigError> {
  try {
    await load;
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('expected a ConfigError');
}

test('without a file the defaults apply and no file is reported', async () => {
  const cwd = await workdir();
  const { config, file } = await loadConfig({ env: {}, cwd });
  assert.equal(file, null);
  assert.equal(config.server.port, 8080);
  assert.equal(config.dataDir, join(cwd, '.nightshift'));
});

test('nightshift.yaml in the working directory is read, with every setting', async () => {
  const cwd = await workdir('valid.yaml');
  const { config, file } = await loadConfig({ env: {}, cwd });
  assert.equal(file, join(cwd, 'nightshift.yaml'));
  assert.deepEqual(config, {
    server: { host: '127.0.0.1', port: 9090 },
    dataDir: join(cwd, 'var/nightshift'),
    log: { level: 'debug' },
    bus: {
      kind: 'kafka',
      maxAttempts: 3,
      retryBackoffMs: 100,
      maxRetryBackoffMs: 5000,
      kafka: {
        brokers: ['kafka-1:9092', 'kafka-2:9092'],
        clientId: 'nightshift-test',
        topicPrefix: 'test.',
        partitions: 3,
        replicationFactor: 1,
        ssl: true,
        consumerThread: false,
        lingerMs: 2,
        sasl: { mechanism: 'scram-sha-512', username: 'nightshift', password: 'file-password-do-not-print' },
      },
    },
    store: { kind: 'postgres', url: 'postgres://nightshift:store-password-do-not-print@db.internal:5432/nightshift' },
    ingest: {
      maxBodyBytes: 2097152,
      sentry: {
        clientSecret: 'sentry-secret-do-not-print',
        timestampToleranceSeconds: 120,
        dsnKeys: [{ projectId: '42', publicKey: '0123456789abcdef0123456789abcdef' }],
      },
      datadog: { token: 'datadog-token-do-not-print', basicAuth: { username: 'datadog', password: 'basic-password-do-not-print' } },
      github: { webhookSecret: 'github-secret-do-not-print' },
    },
    services: {
      gateway: { sourceRoot: '', calls: ['orders'] },
      orders: { repository: 'shop', sourceRoot: 'services/orders', calls: ['inventory'] },
    },
    repositories: { shop: { path: join(cwd, 'repos/shop'), slug: 'acme/shop', defaultBranch: 'trunk', pathPrefixes: ['/app/'] } },
    triage: {
      windowBeforeSeconds: 600,
      windowAfterSeconds: 120,
      baselineSeconds: 1800,
      correlationWindowSeconds: 300,
      resolveAfterQuietMinutes: 30,
      maxLogRecords: 100000,
      correlation: { traceIdFields: ['trace_id'], requestIdFields: ['request_id'] },
      logSources: [
        { type: 'datadog' },
        { type: 'sentry', projects: { orders: 'orders-api' } },
        {
          type: 'files',
          files: [
            { path: join(cwd, 'logs/orders.log'), service: 'orders', format: 'pino' },
            { path: join(cwd, 'logs/gateway.log'), format: 'text', headerPattern: '^(?<timestamp>\\S+) (?<level>\\w+) (?<message>.*)$' },
          ],
        },
      ],
      datadog: { apiKey: 'dd-api-key-do-not-print', appKey: 'dd-app-key-do-not-print', site: 'datadoghq.eu' },
      sentry: { authToken: 'sentry-token-do-not-print', organization: 'acme', baseUrl: 'https://sentry.acme.internal' },
    },
    fixer: {
      ...DEFAULT_FIXER_CONFIG,
      workspaceDir: join(cwd, 'var/nightshift/workspaces'),
      forge: 'github',
      github: { apiUrl: 'https://api.github.com', token: 'github-token-do-not-print' },
      llm: {
        ...DEFAULT_FIXER_CONFIG.llm,
        baseUrl: 'http://127.0.0.1:11434/v1',
        models: { small: 'gpt-4o-mini', large: 'qwen2.5-coder' },
        prices: { ...DEFAULT_FIXER_CONFIG.llm.prices, 'qwen2.5-coder': { inputPerMillion: 0, outputPerMillion: 0 } },
      },
      policy: { ...DEFAULT_FIXER_CONFIG.policy, maxFiles: 3 },
    },
    rules: [],
    controls: { killSwitch: false, maxOpenPullRequestsPerRepository: 5, maxFixAttemptsPerIncident: 3, maxFixesPerRulePerHour: 10, approvalSeverities: [] },
    verifier: DEFAULT_VERIFIER_CONFIG,
    telemetry: {},
  });
});

test('NIGHTSHIFT_CONFIG names the file, relative to cwd, and the environment still wins', async () => {
  const cwd = await workdir();
  await mkdir(join(cwd, 'conf'));
  await copyFile(fixture('valid.yaml'), join(cwd, 'conf', 'prod.yaml'));
  const { config, file } = await loadConfig({ env: { NIGHTSHIFT_CONFIG: 'conf/prod.yaml', NIGHTSHIFT_PORT: '7000' }, cwd });
  assert.equal(file, join(cwd, 'conf', 'prod.yaml'));
  assert.equal(config.server.port, 7000);
  assert.equal(config.server.host, '127.0.0.1');
});

test('a value of the wrong type is reported at its exact file:line:column', async () => {
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('wrong-type.yaml') }));
  assert.equal(
    error.message,
    [
      'nightshift.yaml:12:17: bus.kafka.partitions: expected a whole number >= 1, got "six"',
      'nightshift.yaml:13:10: bus.kafka.ssl: expected true or false, got "yes"',
    ].join('\n'),
  );
  assert.deepEqual(error.problems[0], {
    file: 'nightshift.yaml',
    line: 12,
    column: 17,
    path: 'bus.kafka.partitions',
    message: 'expected a whole number >= 1, got "six"',
  });
});

test('the file is named as the user gave it: an absolute NIGHTSHIFT_CONFIG stays absolute', async () => {
  const path = fixture('wrong-type.yaml');
  const error = await configError(loadConfig({ env: { NIGHTSHIFT_CONFIG: path }, cwd: await workdir() }));
  assert.match(error.message.split('\n')[0] ?? '', new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:12:17: `));
});

test('unknown keys are named at the key, with the keys allowed there', async () => {
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('unknown-key.yaml') }));
  assert.deepEqual(error.message.split('\n'), [
    'nightshift.yaml:3:3: server.tls: unknown key "tls"; allowed here: host, port, keepAliveTimeoutMs',
    'nightshift.yaml:4:1: metrics: unknown key "metrics"; allowed here: server, dataDir, log, bus, store, ingest, services, repositories, triage, fixer, verifier, rules, controls, telemetry',
  ]);
});

test('typos get a "did you mean"', async () => {
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('typo.yaml') }));
  assert.deepEqual(error.message.split('\n'), [
    'nightshift.yaml:2:3: server.prot: unknown key "prot" (did you mean "port"?); allowed here: host, port, keepAliveTimeoutMs',
    'nightshift.yaml:4:3: bus.max_attempts: unknown key "max_attempts" (did you mean "maxAttempts"?); allowed here: kind, maxAttempts, retryBackoffMs, maxRetryBackoffMs, kafka',
    'nightshift.yaml:6:5: bus.kafka.replicationFactr: unknown key "replicationFactr" (did you mean "replicationFactor"?); allowed here: brokers, clientId, topicPrefix, partitions, replicationFactor, ssl, sasl, consumerThread, lingerMs',
  ]);
});

test('YAML syntax errors carry file:line:column', async () => {
  // The unclosed `[` on line 5 is noticed where the next key starts.
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('syntax-error.yaml') }));
  assert.equal(
    error.message,
    'nightshift.yaml:6:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  );
  assert.deepEqual(
    { file: error.problems[0]?.file, line: error.problems[0]?.line, column: error.problems[0]?.column },
    { file: 'nightshift.yaml', line: 6, column: 3 },
  );
});

test('a key given twice is an error at the second one', async () => {
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('duplicate-key.yaml') }));
  assert.equal(
    error.message,
    'nightshift.yaml:4:3: server.port: duplicate key (first given on line 2); only one of them can count, so remove the other',
  );
});

test('an alias bomb is refused quickly instead of expanding', async () => {
  const started = Date.now();
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('alias-bomb.yaml') }));
  assert.ok(Date.now() - started < 2000, 'took too long');
  // Positioned at the first alias, the start of the expansion.
  assert.equal(
    error.message,
    'nightshift.yaml:3:8: aliases expand to too many values (an "alias bomb"); write the values out instead',
  );
});

test('an alias inside its own anchor is refused instead of producing a cycle', async () => {
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('recursive-alias.yaml') }));
  assert.equal(error.message, 'nightshift.yaml:3:10: alias *server refers to a value that contains it; configuration cannot be recursive');
});

test('absurd nesting is refused before the parser can overflow the stack', async () => {
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('deep-nesting.yaml') }));
  assert.match(error.message, /^nightshift\.yaml:1:\d+: nesting is too deep/);
});

test('a file larger than 1 MiB is refused unread', async () => {
  const cwd = await workdir();
  await writeFile(join(cwd, 'nightshift.yaml'), `# ${'x'.repeat(1024 * 1024)}\n`);
  const error = await configError(loadConfig({ env: {}, cwd }));
  assert.match(error.message, /^nightshift\.yaml: is 1048579 bytes; a configuration file may be at most 1048576 bytes/);
});

test('a file that is not UTF-8 or not a regular file is refused (a FIFO without hanging)', async () => {
  const cwd = await workdir();
  await writeFile(join(cwd, 'binary.yaml'), Buffer.from([0x73, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
  await mkdir(join(cwd, 'a-directory'));
  execFileSync('mkfifo', [join(cwd, 'a-fifo')]);
  const binary = await configError(loadConfig({ env: { NIGHTSHIFT_CONFIG: 'binary.yaml' }, cwd }));
  assert.equal(binary.message, 'binary.yaml: is not UTF-8 text');
  const directory = await configError(loadConfig({ env: { NIGHTSHIFT_CONFIG: 'a-directory' }, cwd }));
  assert.equal(directory.message, 'a-directory: is not a regular file');
  const fifo = await configError(loadConfig({ env: { NIGHTSHIFT_CONFIG: 'a-fifo' }, cwd }));
  assert.equal(fifo.message, 'a-fifo: is not a regular file');
});

test('cross-field rules are reported at the setting that needs the missing one', async () => {
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('kafka-without-brokers.yaml') }));
  assert.deepEqual(error.message.split('\n'), [
    'nightshift.yaml:2:9: bus.kind: is "kafka" but bus.kafka.brokers is empty: list at least one broker (or set NIGHTSHIFT_KAFKA_BROKERS)',
    'nightshift.yaml:4:9: store.kind: is "postgres" but store.url is not set: give a postgres:// URL (or set DATABASE_URL)',
  ]);
  // The same file is fine once the environment supplies what it lacks.
  const { config } = await loadConfig({
    env: { NIGHTSHIFT_KAFKA_BROKERS: 'k:9092', DATABASE_URL: 'postgres://db/ns' },
    cwd: await workdir('kafka-without-brokers.yaml'),
  });
  assert.equal(config.bus.kind, 'kafka');
});

test('a file that is not a mapping of settings says so', async () => {
  const error = await configError(loadConfig({ env: {}, cwd: await workdir('not-a-mapping.yaml') }));
  assert.equal(
    error.message,
    'nightshift.yaml:1:1: expected a mapping of settings (server, dataDir, log, bus, store), got a list of 2 items',
  );
});

test('environment-only mistakes name the variable (fixture cases)', async () => {
  const { cases } = JSON.parse(await readFile(fixture('env-errors.json'), 'utf8')) as {
    cases: { env: Record<string, string>; message?: string; messageStartsWith?: string }[];
  };
  const cwd = await workdir();
  for (const { env, message, messageStartsWith } of cases) {
    const error = await configError(loadConfig({ env, cwd }));
    if (message !== undefined) assert.equal(error.message, message);
    if (messageStartsWith !== undefined) assert.ok(error.message.startsWith(messageStartsWith), error.message);
    assert.doesNotMatch(error.message, /do-not-print/);
  }
});

test('a service naming an unknown repository is an error at that key', async () => {
  const cwd = await workdir();
  await writeFile(join(cwd, 'nightshift.yaml'), 'repositories:\n  shop: { path: . }\nservices:\n  orders:\n    repository: shopp\n');
  const error = await loadConfig({ env: {}, cwd }).then(
    () => assert.fail('expected a ConfigError'),
    (e: unknown) => e as Error,
  );
  assert.match(error.message, /nightshift\.yaml:5:17: services\.orders\.repository: names "shopp", which is not in repositories \(known: shop\)/);
});
