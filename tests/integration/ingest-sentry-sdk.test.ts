import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { EventOf } from '../../shared/events/index.js';
import type { Metrics } from '../../shared/telemetry/create-metrics.js';
import { createSentryEnvelopeReceiver } from '../../services/ingest/sentry-envelope/create-sentry-envelope-receiver.js';
import { waitFor } from '../helpers/wait.js';
import { startIngestApp, type IngestTestApp } from '../helpers/ingest-app.js';

const run = promisify(execFile);
const reporter = fileURLToPath(new URL('../fixtures/processes/sentry-sdk-reporter.js', import.meta.url));
const projectId = '4505';
const publicKey = randomBytes(16).toString('hex');

type Alert = EventOf<'alert.received.v1'>;

/** Runs the real @sentry/node SDK in a child process; returns the event id and the statuses it got. */
async function reportWithSdk(dsn: string): Promise<{ eventId: string; statuses: number[] }> {
  const { stdout } = await run(process.execPath, [reporter, dsn], { timeout: 20_000 });
  const eventId = /^event (\w+)$/m.exec(stdout)?.[1];
  assert.ok(eventId, `the SDK captured an event: ${stdout}`);
  return { eventId, statuses: [...stdout.matchAll(/^status (\d+)$/gm)].map((m) => Number(m[1])) };
}

async function countDeliveries(metrics: Metrics, outcome: string, reason: string): Promise<number> {
  const { values } = await metrics.ingestDeliveries.get();
  return values.find((v) => v.labels.source === 'sentry-envelope' && v.labels.outcome === outcome && v.labels.reason === reason)?.value ?? 0;
}

describe('the Sentry SDK intake, fed by the real @sentry/node SDK', () => {
  let app: IngestTestApp;
  let metrics: Metrics;
  let base: string;
  const alerts: Alert[] = [];

  before(async () => {
    const receiver = createSentryEnvelopeReceiver({ dsnKeys: [{ projectId, publicKey }] });
    app = await startIngestApp(
      [
        ['/api/:projectId/envelope/', receiver],
        ['/api/:projectId/store/', receiver],
      ],
      { onEvent: (event) => event.type === 'alert.received.v1' && alerts.push(event) },
    );
    ({ metrics } = app);
    base = app.url.replace('http://', '');
  });

  after(() => app.close());

  test('a TypeError captured by the SDK arrives on the alerts topic, fully normalised', { timeout: 30_000 }, async () => {
    const { eventId, statuses } = await reportWithSdk(`http://${publicKey}@${base}/${projectId}`);
    // The SDK's transport treats any 2xx as success: it got our 202 and reports no failure.
    assert.deepEqual(statuses, [202]);
    const alert = await waitFor(() => alerts.find((a) => a.payload.deliveryId === eventId), { what: 'the SDK event on the bus' });
    const p = alert.payload;
    assert.equal(p.channel, 'sdk-envelope');
    assert.equal(p.error?.type, 'TypeError');
    assert.equal(p.error?.value, "Cannot read properties of undefined (reading 'length')");
    assert.equal(p.title, "TypeError: Cannot read properties of undefined (reading 'length')");
    const inApp = p.error!.frames.filter((f) => f.inApp);
    assert.ok(inApp.length >= 2, 'the nested calls are in-app frames');
    assert.ok(inApp.every((f) => f.filename?.endsWith('sentry-sdk-reporter.js')), JSON.stringify(inApp));
    assert.deepEqual(inApp.slice(-2).map((f) => f.function), ['checkout', 'countItems']);
    assert.equal(p.fingerprint, `TypeError:${inApp.at(-1)!.module}:countItems`);
    assert.equal(p.release, 'orders@1.2.3');
    assert.equal(p.environment, 'production');
    assert.equal(p.service, 'orders');
    assert.equal(p.severity, 'error');
    assert.ok(p.traceIds.length >= 1 && p.traceIds.every((id) => /^[0-9a-f]{32}$/.test(id)), JSON.stringify(p.traceIds));
  });

  test('an SDK with a wrong DSN key gets a 401 and nothing is published', { timeout: 30_000 }, async () => {
    const before = alerts.length;
    const rejectedBefore = await countDeliveries(metrics, 'rejected', 'bad-dsn-key');
    const wrongKey = randomBytes(16).toString('hex');
    const { statuses } = await reportWithSdk(`http://${wrongKey}@${base}/${projectId}`);
    assert.deepEqual(statuses, [401]);
    assert.equal(await countDeliveries(metrics, 'rejected', 'bad-dsn-key'), rejectedBefore + 1);
    // The child has exited, so any publish already happened; give the consumer a few polls to show it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(alerts.length, before);
  });

  test('a gzip-compressed envelope is accepted, and its resend is a duplicate', { timeout: 30_000 }, async () => {
    const eventId = randomBytes(16).toString('hex');
    const event = {
      event_id: eventId,
      timestamp: Date.now() / 1000,
      level: 'fatal',
      tags: { service: 'billing' },
      exception: { values: [{ type: 'Error', value: 'ledger closed', stacktrace: { frames: [{ module: 'ledger', function: 'post', in_app: true }] } }] },
    };
    const envelope = `${JSON.stringify({ event_id: eventId, trace: { trace_id: randomBytes(16).toString('hex') } })}\n{"type":"event"}\n${JSON.stringify(event)}\n`;
    const post = () =>
      fetch(`http://${base}/api/${projectId}/envelope/?sentry_key=${publicKey}&sentry_version=7`, {
        method: 'POST',
        headers: { 'content-encoding': 'gzip', 'content-type': 'application/x-sentry-envelope' },
        body: gzipSync(envelope),
      });
    const first = await post();
    assert.equal(first.status, 202);
    const answer = (await first.json()) as { eventId: string; duplicate: boolean };
    assert.equal(answer.duplicate, false);
    const alert = await waitFor(() => alerts.find((a) => a.payload.deliveryId === eventId), { what: 'the gzip envelope alert' });
    assert.equal(alert.id, answer.eventId);
    assert.equal(alert.payload.severity, 'critical');
    assert.equal(alert.payload.service, 'billing');
    assert.equal(alert.payload.fingerprint, 'Error:ledger:post');
    const again = await post();
    assert.equal(again.status, 200);
    assert.deepEqual(await again.json(), { eventId: answer.eventId, duplicate: true });
  });

  test('the legacy store endpoint takes a bare event with X-Sentry-Auth', { timeout: 30_000 }, async () => {
    const eventId = randomBytes(16).toString('hex');
    const response = await fetch(`http://${base}/api/${projectId}/store/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sentry-auth': `Sentry sentry_key=${publicKey}, sentry_version=7, sentry_client=raven-legacy/1.0` },
      body: JSON.stringify({ event_id: eventId, message: 'queue stalled', level: 'warning' }),
    });
    assert.equal(response.status, 202);
    const alert = await waitFor(() => alerts.find((a) => a.payload.deliveryId === eventId), { what: 'the store alert' });
    assert.equal(alert.payload.title, 'queue stalled');
    assert.equal(alert.payload.severity, 'warning');
  });

  test('a broken envelope is a problem answer, not a crash', { timeout: 30_000 }, async () => {
    const response = await fetch(`http://${base}/api/${projectId}/envelope/?sentry_key=${publicKey}`, { method: 'POST', body: 'not json\n{"type":"event"}\n{}' });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.match(((await response.json()) as { type: string }).type, /bad-envelope$/);
  });
});
