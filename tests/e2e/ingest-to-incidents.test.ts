import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { json } from '../helpers/cli.js';
import { startTestServer } from '../helpers/nightshift-server.js';
import { waitFor } from '../helpers/wait.js';

const secret = 'e2e-client-secret';
const fixture = new URL('../../../tests/fixtures/sentry/event_alert.triggered.json', import.meta.url);

function sentryHeaders(body: string, requestId: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'sentry-hook-resource': 'event_alert',
    'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
    'sentry-hook-signature': createHmac('sha256', secret).update(body).digest('hex'),
    'request-id': requestId,
  };
}

test('a signed Sentry alert becomes an incident in GET /api/incidents; a redelivery does not count twice', { timeout: 60_000 }, async () => {
  const server = await startTestServer((config) => {
    config.ingest.sentry.clientSecret = secret;
  }, { roles: ['ingest', 'triage', 'console'] });
  try {
    const body = await readFile(fixture, 'utf8');
    const first = await fetch(`${server.url}/webhooks/sentry`, { method: 'POST', headers: sentryHeaders(body, 'req-e2e-1'), body });
    assert.equal(first.status, 202);
    const { eventId } = await json(first);

    const again = await fetch(`${server.url}/webhooks/sentry`, { method: 'POST', headers: sentryHeaders(body, 'req-e2e-1'), body });
    assert.equal(again.status, 200);
    assert.deepEqual(await json(again), { eventId, duplicate: true });

    const listIncidents = async () => (await json(await fetch(`${server.url}/api/incidents`))).incidents;
    await waitFor(async () => (await listIncidents()).length > 0, { what: 'an incident' });
    const incidents = await listIncidents();
    assert.equal(incidents.length, 1, 'the redelivery opened no second incident');
    assert.equal(incidents[0].alertCount, 1);
    assert.deepEqual(incidents[0].sources, ['sentry']);

    const detail = await json(await fetch(`${server.url}/api/incidents/${incidents[0].id}`));
    assert.equal(detail.incident.alerts.length, 1);
    assert.equal(detail.incident.alerts[0].id, eventId);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /nightshift_ingest_deliveries_total\{source="sentry",outcome="accepted",reason="alert\.received\.v1"\} 1/);
    assert.match(metrics, /nightshift_ingest_deliveries_total\{source="sentry",outcome="duplicate",reason="alert\.received\.v1"\} 1/);
  } finally {
    await server.close();
  }
});
