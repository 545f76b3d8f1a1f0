import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NightshiftEvent } from '../../shared/events/registry.js';
import { parseEvent } from '../../shared/events/parse-event.js';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import { startConfiguredIngestApp } from '../helpers/ingest-app.js';
import { waitFor } from '../helpers/wait.js';
import { DSN_KEY, GITHUB_SECRET, loadFuzzBases, mutateWebhook, type FuzzRequest } from './helpers/mutate-webhook.js';
import { printTable } from './helpers/print-table.js';
import { createSeededRandom } from './helpers/seeded-random.js';
import { DATADOG_TOKEN, readFixture, SENTRY_SECRET, signSentry } from './helpers/webhook-deliveries.js';

const REQUESTS = Number(process.env.NIGHTSHIFT_FUZZ_REQUESTS ?? 10_000);
const CONCURRENCY = 16;
const TIMEOUT_MS = 10_000;

interface Answer {
  request: FuzzRequest;
  status: number | 'hang' | 'no-answer';
  contentType: string;
  body: { eventId?: string | null; duplicate?: boolean } | undefined;
}

async function send(base: string, request: FuzzRequest): Promise<Answer> {
  try {
    const res = await fetch(`${base}${request.path}`, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const text = await res.text();
    let body: Answer['body'];
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { request, status: res.status, contentType: res.headers.get('content-type') ?? '', body };
  } catch (error) {
    return { request, status: error instanceof Error && error.name === 'TimeoutError' ? 'hang' : 'no-answer', contentType: '', body: undefined };
  }
}

function describe(answer: Answer): string {
  return `${answer.status} ${answer.request.route} [${answer.request.mutations.join(', ')}] authentic=${answer.request.authentic}`;
}

test(`${REQUESTS} fuzzed and mutated webhooks: only 4xx (or 2xx for authentic ones), no crash, nothing unauthentic published`, { timeout: 240_000 }, async () => {
  const random = createSeededRandom();
  const events: NightshiftEvent[] = [];
  // As `nightshift start` serves them on a multi-core machine: the receivers run in receive threads.
  const defaults = createDefaultConfig().ingest;
  const ingest = {
    ...defaults,
    sentry: { ...defaults.sentry, clientSecret: SENTRY_SECRET, dsnKeys: [DSN_KEY] },
    datadog: { token: DATADOG_TOKEN },
    github: { webhookSecret: GITHUB_SECRET },
  };
  const app = await startConfiguredIngestApp(ingest, { receiveThreads: 2, topics: ['alerts', 'forge-events'], onEvent: (event) => events.push(event) });
  const began = Date.now();
  try {
    const bases = loadFuzzBases();
    const before = events.length;
    const answers: Answer[] = [];
    let seq = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (seq < REQUESTS) {
          const request = mutateWebhook(bases, random, ++seq);
          answers.push(await send(app.url, request));
        }
      }),
    );
    const fuzzMs = Date.now() - began;

    // A valid delivery last: still answered (the process lives), and once it is on the bus, so is everything before it.
    const sentinelBody = readFixture('sentry/metric_alert.warning.json');
    const sentinel = await fetch(`${app.url}/webhooks/sentry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'request-id': 'fuzz-sentinel', 'sentry-hook-resource': 'metric_alert', 'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)), 'sentry-hook-signature': signSentry(sentinelBody) },
      body: sentinelBody,
    });
    assert.equal(sentinel.status, 202, 'the app still accepts a valid delivery after the fuzzing');
    const sentinelId = ((await sentinel.json()) as { eventId: string }).eventId;
    await waitFor(() => events.some((e) => e.id === sentinelId), { what: 'the sentinel on the bus' });
    const published = events.slice(before).filter((e) => e.id !== sentinelId);

    const statuses = new Map<string, number>();
    for (const answer of answers) statuses.set(String(answer.status), (statuses.get(String(answer.status)) ?? 0) + 1);
    const serverErrors = answers.filter((a) => typeof a.status !== 'number' || a.status >= 500);
    const unauthenticAccepted = answers.filter((a) => typeof a.status === 'number' && a.status < 400 && !a.request.authentic);
    const notProblem = answers.filter((a) => typeof a.status === 'number' && a.status >= 400 && a.status < 500 && !a.contentType.startsWith('application/problem+json'));
    const accepted = answers.filter((a) => typeof a.status === 'number' && a.status >= 200 && a.status < 300);
    const expectedIds = new Set(accepted.filter((a) => a.body?.eventId && a.body.duplicate === false).map((a) => a.body!.eventId!));
    const publishedIds = new Set(published.map((e) => e.id));
    const strayEvents = published.filter((e) => !expectedIds.has(e.id));
    const missingEvents = [...expectedIds].filter((id) => !publishedIds.has(id));
    const invalidEvents = published.filter((e) => {
      try {
        parseEvent(e);
        return !['alert.received.v1', 'forge.event.v1'].includes(e.type);
      } catch {
        return true;
      }
    });
    const alertsPublished = published.filter((e) => e.type === 'alert.received.v1').length;

    printTable(`reliability: webhook fuzzing (seed ${random.seed})`, [
      ['seed (NIGHTSHIFT_RELIABILITY_SEED)', random.seed],
      ['requests', answers.length],
      ['  with valid credentials', answers.filter((a) => a.request.authentic).length],
      ['  unsigned / badly signed', answers.filter((a) => !a.request.authentic).length],
      ...[...statuses].sort().map(([status, n]): [string, number] => [`status ${status}`, n]),
      ['accepted (2xx), all authentic', accepted.length],
      ['  of which published an event', expectedIds.size],
      ['  alert.received.v1 / forge.event.v1', `${alertsPublished} / ${published.length - alertsPublished}`],
      ['events on the bus from the fuzzing', published.length],
      ['events not from an authentic 2xx', strayEvents.length],
      ['5xx, hangs or dropped connections', serverErrors.length],
      ['4xx without a problem document', notProblem.length],
      ['fuzzing time', `${fuzzMs} ms (${Math.round(answers.length / (fuzzMs / 1000))} req/s)`],
    ]);

    assert.deepEqual(serverErrors.slice(0, 10).map(describe), [], 'never a 5xx, a hang or a dropped connection');
    assert.deepEqual(unauthenticAccepted.slice(0, 10).map(describe), [], 'nothing without valid credentials is accepted');
    assert.deepEqual(strayEvents.map((e) => e.id), [], 'nothing is published but what an authentic 2xx acknowledged');
    assert.deepEqual(missingEvents, [], 'every acknowledged event is on the bus');
    assert.equal(published.length, publishedIds.size, 'no event is published twice');
    assert.deepEqual(invalidEvents.map((e) => e.type), [], 'accepted deliveries are valid events');
    assert.deepEqual(notProblem.slice(0, 10).map(describe), [], 'refusals are RFC 9457 problem documents');
    assert.equal(answers.length, REQUESTS);
  } finally {
    await app.close();
  }
});
