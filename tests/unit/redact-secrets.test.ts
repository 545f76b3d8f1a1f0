import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretKey } from '../../shared/log/is-secret-key.js';
import { redactSecrets } from '../../shared/log/redact-secrets.js';
import { scrubSecretText } from '../../shared/log/scrub-secret-text.js';

const R = '[REDACTED]';
const GITHUB_TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

test('secret keys are recognised case-insensitively in every spelling', () => {
  const secret = [
    'authorization', 'Authorization', 'proxy-authorization', 'cookie', 'Set-Cookie', 'token', 'access_token',
    'accessToken', 'refresh_token', 'secret', 'client_secret', 'clientSecret', 'webhookSecret', 'password',
    'PASSWORD', 'passwd', 'signature', 'sentry-hook-signature', 'X-Hub-Signature-256', 'x-hub-signature',
    'api_key', 'apiKey', 'api-key', 'X-API-KEY', 'dd-api-key', 'DD-APPLICATION-KEY', 'dsn', 'SENTRY_DSN',
    'private_key', 'privateKey', 'sasl', 'NIGHTSHIFT_KAFKA_SASL_PASSWORD',
  ];
  for (const key of secret) assert.equal(isSecretKey(key), true, key);
  const ordinary = ['key', 'incidentKey', 'max_tokens', 'tokens', 'tokenCount', 'signatureValid', 'host', 'url', 'user', 'secretName'];
  for (const key of ordinary) assert.equal(isSecretKey(key), false, key);
});

test('secret fields are redacted at any depth, including in arrays', () => {
  const input = {
    incident: 'inc-1',
    request: { headers: { Authorization: 'Bearer x', 'x-hub-signature-256': 'sha256=abc', accept: 'json' } },
    attempts: [{ token: 't-1', n: 1 }, { token: 't-2', n: 2 }],
    kafka: { sasl: { mechanism: 'plain', username: 'u', password: 'p' }, brokers: ['k:9092'] },
  };
  assert.deepEqual(redactSecrets(input), {
    incident: 'inc-1',
    request: { headers: { Authorization: R, 'x-hub-signature-256': R, accept: 'json' } },
    attempts: [{ token: R, n: 1 }, { token: R, n: 2 }],
    kafka: { sasl: R, brokers: ['k:9092'] },
  });
});

test('an empty or missing credential stays visible: it reveals nothing and helps debugging', () => {
  assert.deepEqual(redactSecrets({ token: null, password: '', secret: undefined, apiKey: 0 }), {
    token: null,
    password: '',
    secret: undefined,
    apiKey: R,
  });
});

test('credentials inside strings are recognised by shape', () => {
  const cases: [string, string][] = [
    ['Authorization: Bearer eyJraWQiOiIxIn0abc.def', `Authorization: Bearer ${R}`],
    ['authorization: bearer 0123456789abcdef', `authorization: bearer ${R}`],
    ['Authorization: Basic dXNlcjpodW50ZXIy', `Authorization: Basic ${R}`],
    [
      'dsn https://abcdef0123456789abcdef0123456789@o12345.ingest.sentry.io/678',
      `dsn https://${R}@o12345.ingest.sentry.io/678`,
    ],
    ['postgres://app:hunter2@db:5432/x failed', `postgres://app:${R}@db:5432/x failed`],
    ['redis://:only-password@cache:6379', `redis://:${R}@cache:6379`],
    ['amqp://user:p@ss@host/vhost', `amqp://user:${R}@host/vhost`],
    [`clone https://x-access-token:${GITHUB_TOKEN}@github.com/o/r`, `clone https://x-access-token:${R}@github.com/o/r`],
    [`token ${GITHUB_TOKEN} used`, `token ${R} used`],
    [`gho_${'x'.repeat(36)} ghs_${'y'.repeat(36)} ghu_${'z'.repeat(36)}`, `${R} ${R} ${R}`],
    [`github_pat_11ABCDEFG0${'a'.repeat(60)}`, R],
    ['OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwxyz012345', `OPENAI_API_KEY=${R}`],
    ['key sk-proj-AbCdEfGhIjKlMnOpQrStUvWx_yz-0123', `key ${R}`],
    ['slack xoxb-1234567890-0987654321-AbCdEfGhIj', `slack ${R}`],
    ['xoxp-1111-2222-3333-abcdef and xoxa-2-abcdefghijkl', `${R} and ${R}`],
    ['aws AKIAIOSFODNN7EXAMPLE here', `aws ${R} here`],
    ['DD-API-KEY: 0123456789abcdef0123456789abcdef', `DD-API-KEY: ${R}`],
    ['{"dd-application-key":"0123456789abcdef0123456789abcdef01234567"}', `{"dd-application-key":"${R}"}`],
    ['X-Sentry-Auth: Sentry sentry_key=abcdef0123456789, sentry_version=7', `X-Sentry-Auth: Sentry sentry_key=${R}, sentry_version=7`],
    [
      'key: -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY----- done',
      `key: ${R} done`,
    ],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', `jwt ${R}`],
  ];
  for (const [input, expected] of cases) assert.equal(scrubSecretText(input), expected, input);
});

test('prose and harmless URLs are left alone', () => {
  const texts = [
    'Basic authentication failed for the webhook',
    'expects a Bearer token-based scheme',
    'ssh://git@github.com/acme/app.git',
    'https://example.com/path?email=a@b.c',
    'task-runner finished; sk-short',
    'see https://docs.sentry.io/product/ for details',
  ];
  for (const text of texts) assert.equal(scrubSecretText(text), text);
});

test('strings are scrubbed wherever they sit: values, array items, nested objects', () => {
  const output = redactSecrets({ msg: `pushing with ${GITHUB_TOKEN}`, urls: ['postgres://u:pw@h/db'], deep: { a: { b: 'Bearer abcdefgh12345678' } } });
  assert.deepEqual(output, { msg: `pushing with ${R}`, urls: [`postgres://u:${R}@h/db`], deep: { a: { b: `Bearer ${R}` } } });
});

test('the input is never mutated (a deep-frozen input works) and unchanged parts are shared', () => {
  const unchanged = { host: 'db', port: 5432 };
  const input = deepFreeze({ password: 'hunter2', target: unchanged, note: 'postgres://u:pw@h/db' });
  const output = redactSecrets(input) as typeof input;
  assert.equal(input.password, 'hunter2');
  assert.equal(input.note, 'postgres://u:pw@h/db');
  assert.equal(output.password, R);
  assert.equal(output.target, unchanged);
});

test('nothing to redact returns the very same object', () => {
  const input = { incident: 'inc-1', services: ['api', 'worker'], counts: { alerts: 3 }, at: new Date(0) };
  assert.equal(redactSecrets(input), input);
  assert.equal(redactSecrets('plain text'), 'plain text');
  assert.equal(redactSecrets(42), 42);
  assert.equal(redactSecrets(null), null);
});

test('cycles become "[Circular]"; an object shared by two fields is cleaned in both', () => {
  const node: Record<string, unknown> = { name: 'root', token: 'secret-token' };
  node.self = node;
  const output = redactSecrets(node) as Record<string, unknown>;
  assert.deepEqual(output, { name: 'root', token: R, self: '[Circular]' });

  const shared = { password: 'pw' };
  assert.deepEqual(redactSecrets({ a: shared, b: shared }), { a: { password: R }, b: { password: R } });
});

test('exponentially repeated sub-objects are cut off by a budget instead of walked for ever', () => {
  let level: unknown = { password: 'pw' };
  for (let i = 0; i < 50; i++) level = [level, level];
  const started = Date.now();
  const output = JSON.stringify(redactSecrets(level));
  assert.ok(Date.now() - started < 2000, 'took too long');
  assert.doesNotMatch(output, /"pw"/);
});

test('absurdly deep structures are cut off instead of overflowing the stack', () => {
  let deep: Record<string, unknown> = { password: 'pw' };
  for (let i = 0; i < 10_000; i++) deep = { next: deep };
  const output = JSON.stringify(redactSecrets(deep));
  assert.match(output, /\[Truncated\]/);
  assert.doesNotMatch(output, /"pw"/);
});

test('errors keep their prototype and lose secrets from message, stack, cause and fields', () => {
  const cause = new Error('auth with postgres://svc:cause-pw@db/x');
  const error = Object.assign(new TypeError('connect postgres://svc:top-pw@db/x', { cause }), {
    request: { headers: { authorization: 'token abc' } },
  });
  const output = redactSecrets(error) as TypeError & { request: unknown; cause: Error };
  assert.ok(output instanceof TypeError);
  assert.equal(output.message, `connect postgres://svc:${R}@db/x`);
  assert.doesNotMatch(String(output.stack), /top-pw/);
  assert.equal(output.cause.message, `auth with postgres://svc:${R}@db/x`);
  assert.deepEqual(output.request, { headers: { authorization: R } });
  assert.equal(error.message, 'connect postgres://svc:top-pw@db/x');
});

test('URL objects are replaced by their cleaned text only when they hold a credential', () => {
  const withPassword = new URL('postgres://app:hunter2@db/x');
  assert.equal(redactSecrets(withPassword), `postgres://app:${R}@db/x`);
  const plain = new URL('https://example.com/a');
  assert.equal(redactSecrets(plain), plain);
});

test('a "__proto__" key stays a plain field in the copy', () => {
  const input = JSON.parse('{"__proto__": {"token": "t"}, "password": "p"}') as object;
  const output = redactSecrets(input) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(output), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(output, '__proto__')?.value, { token: R });
});

test('adversarial text is scanned in linear time (no regular-expression blow-up)', () => {
  const n = 100_000;
  const texts = [
    `${'a.'.repeat(n)} ://`,
    `${'sk-'.repeat(n / 2)}`,
    `${'eyJaaaaaaaaa-'.repeat(n / 10)}`,
    `https://${'a:'.repeat(n)}`,
    `${'a://'.repeat(n)}`,
    `${'Bearer '.repeat(n / 5)}`,
    `${`dd-api-key${' '.repeat(50)}`.repeat(n / 50)}`,
    `${'-----BEGIN RSA PRIVATE KEY-----'.repeat(n / 30)}`,
  ];
  for (const text of texts) {
    const started = Date.now();
    scrubSecretText(text);
    assert.ok(Date.now() - started < 500, `${text.slice(0, 20)}… took ${Date.now() - started} ms`);
  }
});
