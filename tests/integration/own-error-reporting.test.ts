import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import pino from 'pino';
import { startNightshift } from '../../services/runtime/start-nightshift.js';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import { readEnvOverrides } from '../../shared/config/read-env-overrides.js';
import { createLogger } from '../../shared/log/create-logger.js';
import { createErrorReporter } from '../../shared/telemetry/create-error-reporter.js';
import { findOwnIntake } from '../../shared/telemetry/find-own-intake.js';
import { reportLoggedErrors } from '../../shared/telemetry/report-logged-errors.js';
import { freePort } from '../helpers/cli.js';
import { startSentryEnvelopeReceiver } from '../helpers/sentry-envelope-receiver.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const elsewhere = { host: '127.0.0.1', port: 1, dsnKeys: [] };
const eventsIn = (envelopes: { items: { header: { type?: string }; payload: any }[] }[]) =>
  envelopes.flatMap((e) => e.items.filter((i) => i.header.type === 'event').map((i) => i.payload));

test('logged errors reach Sentry through the real client, tagged with the incident id and scrubbed of secrets', async () => {
  const receiver = await startSentryEnvelopeReceiver();
  try {
    const result = createErrorReporter({ dsn: receiver.dsn(), own: elsewhere });
    assert.ok(result.ok);
    const log = reportLoggedErrors(createLogger({ level: 'silent' }), result.reporter);
    const triageLog = log.child({ group: 'triage-report' }).child({ incidentId: 'inc-7' });
    triageLog.error({ err: new Error('cannot reach postgres://nightshift:hunter2hunter2@db:5432/nightshift') }, 'triage failed');
    log.error('an error line without an Error is not reported');
    assert.equal(await result.reporter.close(5_000), true);

    const events = eventsIn(receiver.envelopes);
    assert.equal(events.length, 1);
    assert.equal(receiver.envelopes[0]!.sentryKey, '0123456789abcdef0123456789abcdef');
    const [event] = events;
    assert.equal(event.exception.values[0].type, 'Error');
    assert.match(event.exception.values[0].value, /^cannot reach postgres:\/\/nightshift:\[REDACTED\]@db:5432\/nightshift$/);
    assert.equal(event.tags.incidentId, 'inc-7');
    assert.equal(event.tags.group, 'triage-report');
    assert.equal(event.extra.logMessage, 'triage failed');
  } finally {
    await receiver.close();
  }
});

test('an error raised on the envelope intake route is never sent', async () => {
  const receiver = await startSentryEnvelopeReceiver();
  try {
    const result = createErrorReporter({ dsn: receiver.dsn(), own: elsewhere });
    assert.ok(result.ok);
    const log = reportLoggedErrors(createLogger({ level: 'silent' }), result.reporter);
    log.error({ err: new Error('from the envelope route'), path: '/api/42/envelope/' }, 'request failed');
    log.error({ err: new Error('from the store route'), path: '/api/42/store/' }, 'request failed');
    log.error({ err: new Error('from the console'), path: '/api/incidents' }, 'request failed');
    await result.reporter.close(5_000);
    assert.deepEqual(eventsIn(receiver.envelopes).map((e) => e.exception.values[0].value), ['from the console']);
  } finally {
    await receiver.close();
  }
});

test('NIGHTSHIFT_SENTRY_DSN sets telemetry.sentryDsn; a DSN naming Nightshift itself is refused, by address or by intake key', () => {
  const own = { host: '0.0.0.0', port: 8080, dsnKeys: [{ projectId: '42', publicKey: '0123456789abcdef0123456789abcdef' }] };
  assert.match(findOwnIntake('http://abcdefabcdefabcdefabcdefabcdefab@127.0.0.1:8080/7', own)!, /127\.0\.0\.1:8080 is Nightshift's own server address/);
  assert.match(findOwnIntake('http://abcdefabcdefabcdefabcdefabcdefab@localhost:8080/7', own)!, /own server address/);
  assert.match(findOwnIntake('https://0123456789abcdef0123456789abcdef@nightshift.example.com/42', own)!, /ingest\.sentry\.dsnKeys/);
  assert.equal(findOwnIntake('http://abcdefabcdefabcdefabcdefabcdefab@127.0.0.1:9000/7', own), undefined);
  assert.equal(findOwnIntake('https://abcdefabcdefabcdefabcdefabcdefab@o1.ingest.sentry.io/7', own), undefined);
  const dsn = 'https://abcdefabcdefabcdefabcdefabcdefab@o1.ingest.sentry.io/7';
  assert.deepEqual(readEnvOverrides({ NIGHTSHIFT_SENTRY_DSN: dsn }).layer, { telemetry: { sentryDsn: dsn } });
  const refused = createErrorReporter({ dsn: 'http://abcdefabcdefabcdefabcdefabcdefab@[::1]:8080/7', own });
  assert.equal(refused.ok, false);
});

function captureLines(): { lines: () => any[]; stream: Writable } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk, _encoding, done) {
        chunks.push(String(chunk));
        done();
      },
    }),
    lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)),
  };
}

test('a running Nightshift reports a dead-lettered event of its own to the configured DSN', { timeout: 30_000 }, async () => {
  const receiver = await startSentryEnvelopeReceiver();
  const dir = await tempDir();
  const config = createDefaultConfig();
  config.dataDir = join(dir.path, 'data');
  config.server = { host: '127.0.0.1', port: 0 };
  config.telemetry.sentryDsn = receiver.dsn();
  const running = await startNightshift({ config, roles: ['ingest', 'triage'], log: pino({ level: 'silent' }) });
  try {
    // A broken producer's message: the triage consumer cannot decode it and dead-letters it at once.
    const db = new Database(join(config.dataDir, 'bus.sqlite'));
    db.prepare('INSERT INTO bus_log (topic, key, body, appended_at) VALUES (?, ?, ?, ?)').run('alerts', 'k', 'not json', new Date().toISOString());
    db.close();
    const event = await waitFor(() => eventsIn(receiver.envelopes)[0], { what: 'an envelope from Nightshift' });
    assert.match(event.exception.values[0].value, /message body is not JSON/);
    assert.equal(event.tags.group, 'triage');
    assert.equal(event.tags.topic, 'alerts');
  } finally {
    await running.stop();
    await receiver.close();
    await dir.cleanup();
  }
});

test('a running Nightshift whose DSN is its own address refuses it, says so, and serves anyway', { timeout: 30_000 }, async () => {
  const dir = await tempDir();
  const port = await freePort();
  const config = createDefaultConfig();
  config.dataDir = join(dir.path, 'data');
  config.server = { host: '127.0.0.1', port };
  config.telemetry.sentryDsn = `http://abcdefabcdefabcdefabcdefabcdefab@127.0.0.1:${port}/42`;
  const captured = captureLines();
  const running = await startNightshift({ config, roles: ['ingest'], log: pino({ level: 'info' }, captured.stream) });
  try {
    const refusal = captured.lines().find((line) => /telemetry\.sentryDsn refused/.test(line.msg));
    assert.ok(refusal, 'the refusal is logged');
    assert.match(refusal.reason, new RegExp(`127\\.0\\.0\\.1:${port} is Nightshift's own server address`));
    assert.equal((await fetch(`${running.url}/healthz`)).status, 200);
  } finally {
    await running.stop();
    await dir.cleanup();
  }
});
