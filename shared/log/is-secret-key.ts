/**
 * Key-based secret detection: a field whose NAME says it holds a credential is redacted whatever its
 * value looks like, because opaque secrets (webhook secrets, passwords) have no recognisable shape.
 */

// Compared against the normalised key (lowercase, separators and trailing digits removed), so
// `x-hub-signature-256`, `Sentry-Hook-Signature`, `apiKey`, `api_key` and `DD-API-KEY` all match.
// Suffixes rather than exact names catch `webhookSecret`, `refresh_token`, `sentryDsn`; plurals such
// as `max_tokens` (an LLM setting, not a secret) deliberately do not match.
const SECRET_KEY_SUFFIXES = [
  'authorization',
  'cookie',
  'cookies',
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'signature',
  'apikey',
  'appkey',
  'applicationkey',
  'privatekey',
  'credentials',
  'dsn',
  'sasl',
];

// Log lines repeat the same few keys; remembering the verdict keeps this off the hot path.
const verdicts = new Map<string, boolean>();
const MAX_REMEMBERED_KEYS = 4096;

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/[0-9]+$/, '');
}

/** Whether a field named `key` holds a secret (case-insensitive, at any nesting depth). */
export function isSecretKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const normalised = normaliseKey(key);
    verdict = SECRET_KEY_SUFFIXES.some((suffix) => normalised.endsWith(suffix));
    if (verdicts.size >= MAX_REMEMBERED_KEYS) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}
