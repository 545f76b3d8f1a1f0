#!/usr/bin/env node
// Runs the compiled test suites with node:test against real infrastructure:
// starts the local Kafka broker (scripts/kafka.sh) when Java and Maven are present, checks
// PostgreSQL, passes both to the tests in the environment, and stops the broker afterwards.
// Arguments filter test files by substring: `npm test -- bus store`.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

function loud(message) {
  const bar = '!'.repeat(78);
  console.error(`\n${bar}\n!! ${message}\n${bar}\n`);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

async function postgresReachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (error) {
    loud(`PostgreSQL is not reachable at ${url}: ${error.message}. PostgreSQL store tests will skip (and fail under CI).`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const files = findTests(join(root, 'dist', 'tests'))
  .filter((file) => filters.length === 0 || filters.some((f) => relative(root, file).includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}

const env = { ...process.env };
const needsKafka = files.some((f) => /kafka/i.test(f)) || filters.length === 0;
let startedKafka = false;

if (!env.NIGHTSHIFT_TEST_KAFKA_BROKERS && needsKafka) {
  if (has('java') && has('mvn')) {
    const started = spawnSync('bash', [join(root, 'scripts', 'kafka.sh'), 'start'], { stdio: ['ignore', 'pipe', 'inherit'] });
    if (started.status === 0) {
      env.NIGHTSHIFT_TEST_KAFKA_BROKERS = started.stdout.toString().trim().split('\n').pop();
      startedKafka = true;
    } else {
      loud('the local Kafka broker did not start (see above). Kafka tests will skip (and fail under CI).');
    }
  } else {
    loud('Java and Maven are needed to run the local Kafka broker. Kafka tests will skip (and fail under CI).');
  }
}

env.NIGHTSHIFT_TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
if (!(await postgresReachable(env.NIGHTSHIFT_TEST_DATABASE_URL))) delete env.NIGHTSHIFT_TEST_DATABASE_URL;

console.log(`kafka: ${env.NIGHTSHIFT_TEST_KAFKA_BROKERS ?? 'none'}  postgres: ${env.NIGHTSHIFT_TEST_DATABASE_URL ?? 'none'}`);

function runNodeTest(list, extraArgs = []) {
  const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...extraArgs, ...list], { env, stdio: 'inherit', cwd: root });
  return new Promise((resolve) => {
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (status, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(status ?? (signal ? 1 : 0));
    });
  });
}

// The reliability suite kills processes and restarts the broker: it runs alone, after the rest,
// so no other test sees its faults.
const isReliability = (file) => relative(root, file).startsWith(join('dist', 'tests', 'reliability'));
const regular = files.filter((file) => !isReliability(file));
const reliability = files.filter(isReliability);
let code = regular.length > 0 ? await runNodeTest(regular) : 0;
if (reliability.length > 0) code = Math.max(code, await runNodeTest(reliability, ['--test-concurrency=1']));

if (startedKafka) spawnSync('bash', [join(root, 'scripts', 'kafka.sh'), 'stop'], { stdio: 'inherit' });
process.exit(code);
