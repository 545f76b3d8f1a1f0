import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_JSON_DEPTH, parseJsonBody } from '../../services/ingest/parse-json-body.js';

test('JSON nested deeper than the limit is refused before anything walks it; at the limit it parses', () => {
  const nest = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
  assert.deepEqual(parseJsonBody(nest(100_000)), { ok: false, detail: `the body is nested deeper than ${MAX_JSON_DEPTH} levels` });
  assert.equal(parseJsonBody(`{"a":${nest(MAX_JSON_DEPTH - 1)}}`).ok, true);
  // Brackets inside strings, escaped quotes included, are text, not nesting.
  assert.equal(parseJsonBody(JSON.stringify({ s: `\\"${'['.repeat(1_000)}` })).ok, true);
});

test('NUL and lone surrogates in strings and keys become U+FFFD, so every store can keep the alert', () => {
  const parsed = parseJsonBody(Buffer.from('{"title":"a\\u0000b","k\\ud800":["\\udc00x"],"ok":"\\ud83d\\ude00"}'));
  assert.deepEqual(parsed, { ok: true, value: { title: 'a\uFFFDb', 'k\uFFFD': ['\uFFFDx'], ok: '\u{1F600}' } });
});

test('a body that is not JSON says so', () => {
  const parsed = parseJsonBody('{"a":');
  assert.equal(parsed.ok, false);
  assert.match(parsed.ok ? '' : parsed.detail, /^the body is not JSON: /);
});
