import type { TestContext } from 'node:test';

/**
 * Real infrastructure for integration tests. `scripts/run-tests.mjs` starts a Kafka broker and
 * checks PostgreSQL, then passes their addresses in the environment. When one is missing a test is
 * skipped loudly on a laptop, and fails under CI (`NIGHTSHIFT_REQUIRE_INFRA=1`), where skipping would
 * hide an untested Kafka or PostgreSQL path.
 */
function requireInfra(): boolean {
  return process.env.NIGHTSHIFT_REQUIRE_INFRA === '1';
}

function missing(t: TestContext | undefined, what: string): undefined {
  const message = `${what} is not available: set it up or run through \`npm test\``;
  if (requireInfra()) throw new Error(`${message} (NIGHTSHIFT_REQUIRE_INFRA=1 forbids skipping)`);
  t?.skip(`SKIPPED: ${message}`);
  return undefined;
}

/** Broker list of the test Kafka, or undefined after skipping the test. */
export function kafkaBrokers(t?: TestContext): string[] | undefined {
  const brokers = process.env.NIGHTSHIFT_TEST_KAFKA_BROKERS;
  if (!brokers) return missing(t, 'Kafka (NIGHTSHIFT_TEST_KAFKA_BROKERS)');
  return brokers.split(',').map((b) => b.trim());
}

/** Admin URL of the test PostgreSQL server, or undefined after skipping the test. */
export function postgresAdminUrl(t?: TestContext): string | undefined {
  const url = process.env.NIGHTSHIFT_TEST_DATABASE_URL;
  if (!url) return missing(t, 'PostgreSQL (NIGHTSHIFT_TEST_DATABASE_URL)');
  return url;
}
