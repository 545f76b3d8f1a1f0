import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { json } from '../helpers/cli.js';
import { startTestServer } from '../helpers/nightshift-server.js';
import { waitFor } from '../helpers/wait.js';

const secret = 'metrics-client-secret';
const fixture = new URL('../../../tests/fixtures/sentry/event_alert.triggered.json', import.meta.url);

function sentryHeaders(body: string, requestId: string, key = secret): Record<string, string> {
  return {
    'content-type': 'application/json',
    'sentry-hook-resource': 'event_alert',
    'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
    'sentry-hook-signature': createHmac('sha256', key).update(body).digest('hex'),
    'request-id': requestId,
  };
}

/** The value of one sample in Prometheus text, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('GET /metrics counts accepted and rejected alerts, opened incidents, incidents by status and bus lag', { timeout: 60_000 }, async () => {
  const server = await startTestServer((config) => {
    config.ingest.sentry.clientSecret = secret;
  }, { roles: ['ingest', 'triage', 'console'] });
  try {
    const body = await readFile(fixture, 'utf8');
    const accepted = await fetch(`${server.url}/webhooks/sentry`, { method: 'POST', headers: sentryHeaders(body, 'req-metrics-1'), body });
    assert.equal(accepted.status, 202);
    const forged = await fetch(`${server.url}/webhooks/sentry`, { method: 'POST', headers: sentryHeaders(body, 'req-metrics-2', 'wrong'), body });
    assert.equal(forged.status, 401);
    await waitFor(async () => (await json(await fetch(`${server.url}/api/incidents`))).incidents.length === 1, { what: 'an incident' });

    const scrape = async () => {
      const response = await fetch(`${server.url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      return response.text();
    };
    const text = await scrape();
    assert.equal(sample(text, 'nightshift_alerts_received_total{source="sentry"}'), 1);
    assert.equal(sample(text, 'nightshift_alerts_rejected_total{source="sentry",reason="bad-signature"}'), 1);
    assert.equal(sample(text, 'nightshift_incidents_opened_total{reason="new"}'), 1);
    assert.match(text, /# TYPE nightshift_fixes_total counter/);
    assert.match(text, /# TYPE nightshift_verification_duration_seconds histogram/);
    assert.match(text, /# TYPE nightshift_llm_cost_usd_total counter/);

    // Read at scrape time (cached a few seconds): the incident is in the store, and triage caught up with the log.
    const settled = await waitFor(
      async () => {
        const now = await scrape();
        const statuses = ['open', 'triaged'].map((status) => sample(now, `nightshift_incidents{status="${status}"}`) ?? 0);
        const caughtUp = sample(now, 'nightshift_bus_consumer_lag{group="triage",topic="alerts"}') === 0;
        // Ingest's alert and triage's incident events (published a moment after triage's commit), each timed until durable.
        const published = sample(now, 'nightshift_bus_publish_duration_seconds_count{bus="embedded"}') ?? 0;
        return statuses[0]! + statuses[1]! === 1 && caughtUp && published >= 2 ? now : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500, what: 'incidents by status, triage lag 0 and two publishes in /metrics' },
    );
    assert.ok(sample(settled, 'nightshift_bus_consumer_lag{group="triage-report",topic="incidents"}') !== undefined, 'every group of the process reports its lag');
    const publishes = sample(settled, 'nightshift_bus_publish_duration_seconds_count{bus="embedded"}');
    assert.equal(sample(settled, 'nightshift_bus_publish_duration_seconds_bucket{le="+Inf",bus="embedded"}'), publishes);
    assert.equal(sample(settled, 'nightshift_kafka_produce_duration_seconds_count'), 0);
  } finally {
    await server.close();
  }
});
