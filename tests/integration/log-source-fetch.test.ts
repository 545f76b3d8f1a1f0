import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createSourceFetch } from '../../services/triage/evidence/create-source-fetch.js';
import { readDatadogRateLimit } from '../../services/triage/evidence/datadog/create-datadog-http-library.js';
import { emptyStats } from '../../services/triage/evidence/log-source-stats.js';
import type { RetryEvent } from '../../services/triage/evidence/send-with-retries.js';
import { createSentryEventSource } from '../../services/triage/evidence/sentry/create-sentry-event-source.js';
import { readSentryRateLimit } from '../../services/triage/evidence/sentry/request-sentry-api.js';

/**
 * The transport the Datadog and Sentry sources share, over loopback HTTP: each backend's rate-limit
 * headers decide the waits (slept through an injected sleep), requests and retries land in the run's
 * stats, and an unreachable backend is a retriable LOG_SOURCE_UNAVAILABLE.
 */

type Answer = { status: number; headers?: Record<string, string> };
let server: Server;
let url: string;
let script: Answer[] = [];
let served = 0;

before(async () => {
  server = createServer((_req, res) => {
    const answer = script[served++] ?? { status: 200 };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function transport(backend: 'datadog' | 'sentry', clock = { now: 1_700_000_000_000 }) {
  const stats = emptyStats(backend);
  const waits: number[] = [];
  const events: RetryEvent[] = [];
  const fetch = createSourceFetch({
    backend,
    options: {
      retry: { maxRetries: 3, backoffMs: 10, maxWaitMs: 60_000 },
      sleep: async (ms) => void waits.push(ms),
      now: () => clock.now,
      onRetry: (event) => void events.push(event),
    },
    readHint: backend === 'datadog' ? readDatadogRateLimit : readSentryRateLimit,
    stats: () => stats,
    unreachable: (target) => `${backend} could not be reached at ${target.origin}`,
  });
  return { fetch, stats, waits, events };
}

test('Sentry: a 429 waits its Retry-After, a 503 backs off, then the answer comes back; each request and retry is counted', async () => {
  script = [{ status: 429, headers: { 'retry-after': '7' } }, { status: 503 }, { status: 200 }];
  served = 0;
  const t = transport('sentry');
  const response = await t.fetch(url);
  assert.equal(response.status, 200);
  assert.deepEqual(t.waits, [7_000, 20]);
  assert.deepEqual(t.events.map((e) => e.reason), ['rate-limited', 'server-error']);
  assert.deepEqual({ requests: t.stats.requests, retries: t.stats.retries }, { requests: 3, retries: 2 });
});

test('Datadog: an exhausted period holds the next request until the reset, which is pacing, not a retry', async () => {
  script = [{ status: 200, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' } }, { status: 200 }];
  served = 0;
  const t = transport('datadog');
  assert.equal((await t.fetch(url)).status, 200);
  assert.deepEqual(t.waits, []);
  assert.equal((await t.fetch(url)).status, 200);
  assert.deepEqual(t.waits, [12_000]);
  assert.deepEqual(t.events.map((e) => e.reason), ['quota-exhausted']);
  assert.deepEqual({ requests: t.stats.requests, retries: t.stats.retries }, { requests: 2, retries: 0 });
});

test('a status that is no rate limit or server error comes back as it is, for the source to classify', async () => {
  script = [{ status: 401 }];
  served = 0;
  const t = transport('sentry');
  assert.equal((await t.fetch(url)).status, 401);
  assert.equal(t.stats.retries, 0);
});

test('an unreachable backend is a retriable LOG_SOURCE_UNAVAILABLE after the retries, naming where; an abort stays an abort', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/api`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const t = transport('datadog');
  await assert.rejects(t.fetch(target), (error: Error & { code?: string; retriable?: boolean }) => {
    assert.equal(error.code, 'LOG_SOURCE_UNAVAILABLE');
    assert.equal(error.retriable, true);
    assert.match(error.message, new RegExp(`^datadog could not be reached at ${new URL(target).origin}: `));
    return true;
  });
  assert.deepEqual(t.waits, [10, 20, 40]);
  assert.deepEqual({ requests: t.stats.requests, retries: t.stats.retries }, { requests: 4, retries: 3 });

  const aborted = new AbortController();
  aborted.abort();
  await assert.rejects(transport('sentry').fetch(url, { signal: aborted.signal }), { name: 'AbortError' });

  // Through the Sentry source, the message keeps the origin and never the token.
  const token = 'sntrys_secret-token-never-in-errors';
  const sentry = createSentryEventSource({ token, organization: 'acme', projects: { web: 'web' }, baseUrl: new URL(target).origin, retry: { maxRetries: 0 }, sleep: async () => undefined });
  await assert.rejects(sentry.fetchLatestIssueEvent('1'), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'LOG_SOURCE_UNAVAILABLE');
    assert.match(error.message, /^Sentry API could not be reached at http:\/\/127\.0\.0\.1:\d+: /);
    assert.ok(!error.message.includes(token));
    return true;
  });
});
