import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { createLogger } from '../../shared/log/create-logger.js';
import { tempDir } from '../helpers/wait.js';

// Each planted secret is unique, so finding any of it in the output is a leak.
const SECRETS = {
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJuaWdodHNoaWZ0In0.c2lnbmF0dXJlLXNlY3JldA',
  cookie: 'session=cookie-secret-41',
  sentrySignature: 'a3f1c9e7b2d4a3f1c9e7b2d4a3f1c9e7b2d4a3f1c9e7b2d4a3f1c9e7b2d4abcd',
  hubSignature: 'sha256=hub-signature-secret-42',
  ddApiKey: 'dd0123456789abcdef0123456789abcd',
  ddAppKey: 'ddapp0123456789abcdef0123456789abcdef012',
  storePassword: 'store-password-43',
  saslPassword: 'sasl-password-44',
  githubToken: `ghp_${'Gh1tHubT0ken'.repeat(3)}`,
  installationToken: `ghs_${'1nstallAt10n'.repeat(3)}`,
  openaiKey: 'sk-proj-OpenAIsecretKey0123456789abcd',
  slackToken: 'xoxb-123456789012-123456789012-SlackSecret45',
  awsKeyId: 'AKIAQWERTYUIOPASDFGH',
  sentryKey: 'f00dfeedf00dfeedf00dfeedf00dfeed',
  clientSecret: 'client-secret-46',
  opaqueToken: 'Opaque7Token8With9Digits',
  errorPassword: 'error-password-47',
  webhookSecret: 'webhook-secret-48',
  childToken: 'child-token-49',
  boundPassword: 'bound-password-50',
};

const cleanups: (() => Promise<void>)[] = [];
after(() => Promise.all(cleanups.map((cleanup) => cleanup())));

test('a real pino logger writing to a file leaks none of the planted secrets and keeps the context', async () => {
  const dir = await tempDir('nightshift-log-');
  cleanups.push(dir.cleanup);
  const file = join(dir.path, 'nightshift.log');
  const destination = pino.destination({ dest: file, sync: true });
  const log = createLogger({ level: 'debug', name: 'nightshift-test', destination });

  log.info(
    {
      incident: 'inc-42',
      request: {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          Authorization: `Bearer ${SECRETS.bearer}`,
          Cookie: SECRETS.cookie,
          'Sentry-Hook-Signature': SECRETS.sentrySignature,
          'X-Hub-Signature-256': SECRETS.hubSignature,
          'DD-API-KEY': SECRETS.ddApiKey,
          'dd-application-key': SECRETS.ddAppKey,
        },
      },
      config: {
        store: { url: `postgres://nightshift:${SECRETS.storePassword}@db.internal:5432/ns` },
        kafka: { brokers: ['kafka-1:9092'], sasl: { mechanism: 'plain', username: 'svc', password: SECRETS.saslPassword } },
      },
    },
    'webhook received',
  );
  log.warn(
    `pushing with ${SECRETS.githubToken}, asking ${SECRETS.openaiKey}, posting ${SECRETS.slackToken}, as ${SECRETS.awsKeyId}, ` +
      `reporting to https://${SECRETS.sentryKey}@o1.ingest.sentry.io/42`,
  );
  log.info('payload %j', { repo: 'acme/app', client_secret: SECRETS.clientSecret });
  log.info('sent Authorization: Bearer %s to %s', SECRETS.opaqueToken, 'api.github.com');
  log.debug({ fields: { token: SECRETS.installationToken, step: 'clone' } }, 'dd-api-key=%s', SECRETS.ddApiKey);

  const cause = new Error(`installation token ${SECRETS.installationToken} rejected`);
  const error = Object.assign(new Error(`connect postgres://svc:${SECRETS.errorPassword}@db.internal/ns failed`, { cause }), {
    request: { url: 'https://api.github.com/repos/acme/app', headers: { authorization: `token ${SECRETS.githubToken}` } },
  });
  log.error(error);
  log.error({ err: error, incident: 'inc-42' }, 'store unavailable');
  log.error({ error }, 'store unavailable again');

  const child = log.child({ service: 'ingest', webhookSecret: SECRETS.webhookSecret });
  child.info('child line');
  const grandchild = child.child({ role: 'sentry', accessToken: SECRETS.childToken });
  grandchild.info({ attempt: 2 }, 'grandchild line');
  grandchild.setBindings({ password: SECRETS.boundPassword, stage: 'verify' });
  grandchild.info('rebound line');
  destination.flushSync();

  const output = await readFile(file, 'utf8');
  const lines = output.trim().split('\n');
  assert.equal(lines.length, 11);
  for (const line of lines) JSON.parse(line);
  for (const [name, secret] of Object.entries(SECRETS)) {
    assert.ok(!output.includes(secret), `secret ${name} leaked into the log:\n${output}`);
  }
  for (const context of [
    'inc-42', 'webhook received', 'application/json', 'POST', 'db.internal', 'nightshift:[REDACTED]@', 'kafka-1:9092',
    'o1.ingest.sentry.io/42', 'acme/app', 'api.github.com', 'Bearer [REDACTED]', 'connect postgres://svc:[REDACTED]@',
    'store unavailable', '"service":"ingest"', '"role":"sentry"', '"stage":"verify"', '"attempt":2', 'nightshift-test', '"step":"clone"',
  ]) {
    assert.ok(output.includes(context), `context "${context}" missing from the log:\n${output}`);
  }
});

test('errors keep their message, type and stack shape, minus the secret', async () => {
  const chunks: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (chunk: string) => void chunks.push(chunk) } });
  log.error(new TypeError(`bad header Bearer ${SECRETS.bearer}`));
  const line = JSON.parse(chunks.join('')) as { msg: string; err: { type: string; message: string; stack: string } };
  assert.equal(line.msg, 'bad header Bearer [REDACTED]');
  assert.equal(line.err.type, 'TypeError');
  assert.equal(line.err.message, 'bad header Bearer [REDACTED]');
  assert.match(line.err.stack, /^TypeError: bad header Bearer \[REDACTED\]\n\s+at /);
});

test('lines below the level are not written at all', () => {
  const chunks: string[] = [];
  const log = createLogger({ level: 'warn', destination: { write: (chunk: string) => void chunks.push(chunk) } });
  log.info({ password: SECRETS.saslPassword }, 'quiet');
  log.warn('loud');
  assert.equal(chunks.length, 1);
  assert.match(chunks[0] ?? '', /"msg":"loud"/);
});
