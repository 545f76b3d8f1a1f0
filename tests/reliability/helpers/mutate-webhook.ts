import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import type { SeededRandom } from './seeded-random.js';
import { DATADOG_TOKEN, readFixture, SENTRY_SECRET, signSentry } from './webhook-deliveries.js';

export const GITHUB_SECRET = 'reliability-github-secret';
export const DSN_KEY = { projectId: '4242', publicKey: '0123456789abcdef0123456789abcdef' };

export type FuzzRoute = 'sentry' | 'datadog' | 'github' | 'envelope';

/** One fuzzed request, and whether it carries valid credentials for the body it sends. */
export interface FuzzRequest {
  route: FuzzRoute;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Authenticated correctly: only such a request may be accepted. */
  authentic: boolean;
  /** The mutations applied, for the failure message and the distribution table. */
  mutations: string[];
}

interface Base {
  route: FuzzRoute;
  /** Sentry-Hook-Resource or X-GitHub-Event. */
  kind: string;
  value: unknown;
}

function fixturesOf(folder: string): string[] {
  return readdirSync(new URL(`../../../../tests/fixtures/${folder}/`, import.meta.url)).filter((name) => name.endsWith('.json'));
}

/** Every real fixture the receivers read, as parsed JSON to mutate. */
export function loadFuzzBases(): Base[] {
  const json = (path: string) => JSON.parse(readFixture(path).toString('utf8')) as unknown;
  const sentry = fixturesOf('sentry').map((name) => ({ route: 'sentry' as const, kind: name.split('.')[0]!, value: json(`sentry/${name}`) }));
  const datadog = fixturesOf('datadog').map((name) => ({ route: 'datadog' as const, kind: '', value: json(`datadog/${name}`) }));
  const github = fixturesOf('github').map((name) => ({ route: 'github' as const, kind: name.split('.')[0]!, value: json(`github/${name}`) }));
  const sdkEvent = (json('sentry/event_alert.triggered.json') as { data: { event: unknown } }).data.event;
  return [...sentry, ...datadog, ...github, { route: 'envelope', kind: 'event', value: sdkEvent }];
}

type Json = unknown;

/** Paths to every value in the document (capped), to pick one to mutate. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length > 2_000) return out;
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(root: Json, path: (string | number)[], make: (old: Json) => Json): Json {
  if (path.length === 0) return make(root);
  let node = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  node[last] = make(node[last]);
  return root;
}

function nested(depth: number, leaf: Json, random: SeededRandom): string {
  const open = random.chance(0.5) ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const close = open.startsWith('[') ? ']'.repeat(depth) : '}'.repeat(depth);
  return `${open}${JSON.stringify(leaf)}${close}`;
}

const WRONG_TYPES: Json[] = [null, 0, -1, 1e308, 3.5, '', 'x', true, false, [], {}, [1, 'a'], { nested: { x: 1 } }, '2026-13-45T99:99:99Z', 'NaN'];

/** Structural mutations of the parsed document; each returns the body text. */
const JSON_MUTATIONS: Record<string, (doc: Json, random: SeededRandom) => string> = {
  'wrong-type': (doc, random) => JSON.stringify(setAt(doc, random.pick(paths(doc)), () => random.pick(WRONG_TYPES))),
  'delete-key': (doc, random) => {
    const path = random.pick(paths(doc).filter((p) => typeof p.at(-1) === 'string'));
    if (!path) return JSON.stringify(doc);
    const parent = setAt(doc, path.slice(0, -1), (node) => {
      if (node && typeof node === 'object') delete (node as Record<string, Json>)[path.at(-1) as string];
      return node;
    });
    return JSON.stringify(parent);
  },
  'huge-string': (doc, random) => {
    const size = random.chance(0.15) ? random.int(1_050_000, 1_300_000) : random.int(10_000, 300_000);
    return JSON.stringify(setAt(doc, random.pick(paths(doc)), () => 'A'.repeat(size)));
  },
  'deep-nesting': (doc, random) => {
    const depth = random.pick([200, 1_000, 5_000, 20_000, 100_000]);
    const marker = '"__nest__"';
    const text = JSON.stringify(setAt(doc, random.pick(paths(doc)), () => '__nest__'));
    return text.replace(marker, nested(depth, 1, random));
  },
  'prototype-keys': (doc, random) => {
    const text = JSON.stringify(doc);
    const key = random.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']);
    return text.startsWith('{') ? `{"${key}":{"polluted":true,"action":"x"},${text.slice(1)}` : text;
  },
  'duplicate-keys': (doc) => {
    const text = JSON.stringify(doc);
    return text.startsWith('{') ? `{"action":123,"data":null,${text.slice(1)}` : text;
  },
  'replace-root': (_doc, random) => random.pick(['null', '[]', '{}', '0', '"text"', 'true', '', ' ', '[{}]', '{"action":"created"}', '{"data":{}}']),
  'control-chars': (doc, random) => JSON.stringify(setAt(doc, random.pick(paths(doc)), () => `a\u0000b\u0007\u001b[31m\ud800\udfff\ud800${'\u202e'}`)),
  'big-numbers': (doc, random) => JSON.stringify(doc).replace(/:(\d+)/, `:${random.pick(['1e999', '-1e999', '123456789012345678901234567890', '0.0000000000000000001'])}`),
};

/** Byte-level mutations of the serialised body. */
const BYTE_MUTATIONS: Record<string, (body: Buffer, random: SeededRandom) => Buffer> = {
  'byte-flip': (body, random) => {
    const copy = Buffer.from(body);
    for (let n = random.int(1, 8); n > 0 && copy.length > 0; n--) {
      const at = random.int(0, copy.length - 1);
      copy[at] = copy[at]! ^ (1 << random.int(0, 7));
    }
    return copy;
  },
  truncate: (body, random) => body.subarray(0, random.int(0, Math.max(0, body.length - 1))),
  'invalid-utf8': (body, random) => {
    const bad = random.pick([[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0x80]]);
    const at = random.int(0, body.length);
    return Buffer.concat([body.subarray(0, at), Buffer.from(bad), body.subarray(at)]);
  },
  'random-bytes': (_body, random) => random.bytes(random.int(0, 4_096)),
};

function sign(route: FuzzRoute, body: Buffer): Record<string, string> {
  switch (route) {
    case 'sentry':
      return { 'sentry-hook-signature': signSentry(body), 'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)) };
    case 'datadog':
      return { 'x-nightshift-token': DATADOG_TOKEN };
    case 'github':
      return { 'x-hub-signature-256': `sha256=${createHmac('sha256', GITHUB_SECRET).update(body).digest('hex')}` };
    case 'envelope':
      return { 'x-sentry-auth': `Sentry sentry_key=${DSN_KEY.publicKey}, sentry_version=7` };
  }
}

/** Credentials that must not pass: missing, wrong secret, another body's signature, stale, garbage. */
function forge(route: FuzzRoute, body: Buffer, random: SeededRandom): [string, Record<string, string>] {
  // Only Sentry signs a timestamp; elsewhere "stale" means a wrong secret.
  const picked = random.pick(['missing', 'wrong-secret', 'other-body', 'garbage', 'stale']);
  const kind = picked === 'stale' && route !== 'sentry' ? 'wrong-secret' : picked;
  if (kind === 'missing') return ['auth:missing', route === 'sentry' ? { 'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)) } : {}];
  const garbage = random.pick(['', ' ', 'sha256=', 'x'.repeat(5_000), '\u00ff\u00fe', 'Sentry sentry_key=', 'Basic Og==']);
  switch (route) {
    case 'sentry': {
      const now = Math.floor(Date.now() / 1000);
      if (kind === 'stale') return ['auth:stale', { 'sentry-hook-signature': signSentry(body), 'sentry-hook-timestamp': String(now - 3_600) }];
      const signature = kind === 'wrong-secret' ? signSentry(body, 'not-the-secret') : kind === 'other-body' ? signSentry(Buffer.concat([body, Buffer.from(' ')])) : garbage;
      return [`auth:${kind}`, { 'sentry-hook-signature': signature, 'sentry-hook-timestamp': String(now) }];
    }
    case 'datadog':
      return [`auth:${kind}`, { 'x-nightshift-token': kind === 'garbage' ? garbage : `${DATADOG_TOKEN}x` }];
    case 'github': {
      const key = kind === 'wrong-secret' ? 'nope' : GITHUB_SECRET;
      const signed = kind === 'other-body' ? Buffer.concat([body, Buffer.from('\n')]) : body;
      return [`auth:${kind}`, { 'x-hub-signature-256': kind === 'garbage' ? garbage : `sha256=${createHmac('sha256', key).update(signed).digest('hex')}` }];
    }
    case 'envelope':
      return [`auth:${kind}`, { 'x-sentry-auth': kind === 'garbage' ? garbage : 'Sentry sentry_key=ffffffffffffffffffffffffffffffff, sentry_version=7' }];
  }
}

/** Decompression bombs of 2, 8 and 20 MiB of blanks, made once: a few KiB each on the wire. */
const BOMBS = [2, 8, 20].map((mib) => gzipSync(Buffer.alloc(mib * 1024 * 1024, 0x20), { level: 9 }));

/** Encodes the body: real compression of it, compressed garbage, a decompression bomb, or a lie. */
function encode(body: Buffer, random: SeededRandom): [string, Buffer, string] {
  const kind = random.pick(['gzip', 'deflate', 'gzip-garbage', 'gzip-truncated', 'br', 'gzip-bomb', 'unknown', 'gzip-lie']);
  switch (kind) {
    case 'gzip':
      return [kind, gzipSync(body), 'gzip'];
    case 'deflate':
      return [kind, deflateSync(body), 'deflate'];
    case 'gzip-garbage':
      return [kind, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), random.bytes(random.int(0, 2_000))]), 'gzip'];
    case 'gzip-truncated': {
      const zipped = gzipSync(body);
      return [kind, zipped.subarray(0, random.int(0, zipped.length - 1)), 'gzip'];
    }
    case 'br':
      return [kind, random.chance(0.5) ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }) : random.bytes(200), 'br'];
    case 'gzip-bomb':
      return [kind, random.pick(BOMBS), 'gzip'];
    case 'unknown':
      return [kind, body, random.pick(['zstd', 'compress', 'x-bogus', 'gzip, gzip'])];
    default:
      return [kind, body, 'gzip'];
  }
}

const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '', 'application/json-seq', 'APPLICATION/JSON; charset=latin1', '*/*'];

/**
 * A mutated webhook built from a real fixture: one or two body mutations, then at random a content
 * encoding, a wrong content type, and credentials that are valid for the final body only half the time.
 */
export function mutateWebhook(bases: Base[], random: SeededRandom, seq: number): FuzzRequest {
  const base = random.pick(bases);
  const mutations: string[] = [];
  let body: Buffer = Buffer.from(JSON.stringify(base.value));
  for (let n = random.int(1, 2); n > 0; n--) {
    if (random.chance(0.55)) {
      const name = random.pick(Object.keys(JSON_MUTATIONS));
      mutations.push(name);
      try {
        body = Buffer.from(JSON_MUTATIONS[name]!(JSON.parse(body.toString('utf8')), random));
      } catch {
        mutations.push('(unparsable, kept)');
      }
    } else {
      const name = random.pick(Object.keys(BYTE_MUTATIONS));
      mutations.push(name);
      body = BYTE_MUTATIONS[name]!(body, random);
    }
  }
  if (base.route === 'envelope') {
    body = Buffer.concat([Buffer.from(`{"event_id":"${seq.toString(16).padStart(32, '0')}"}\n{"type":"event"}\n`), body]);
  }

  const authentic = random.chance(0.5);
  let auth: Record<string, string>;
  if (authentic) {
    auth = sign(base.route, body);
  } else {
    const [name, headers] = forge(base.route, body, random);
    mutations.push(name);
    auth = headers;
  }

  const headers: Record<string, string> = { 'content-type': 'application/json', ...auth };
  if (base.route === 'sentry') Object.assign(headers, { 'request-id': `fuzz-${seq}`, 'sentry-hook-resource': base.kind });
  if (base.route === 'github') Object.assign(headers, { 'x-github-delivery': `fuzz-${seq}`, 'x-github-event': base.kind });
  if (random.chance(0.08)) {
    const drop = random.pick(['request-id', 'sentry-hook-resource', 'x-github-delivery', 'x-github-event']);
    if (drop in headers) {
      delete headers[drop];
      mutations.push(`drop:${drop}`);
    }
  }
  if (random.chance(0.12)) {
    const type = random.pick(CONTENT_TYPES);
    mutations.push(`content-type:${type || 'none'}`);
    if (type) headers['content-type'] = type;
    else delete headers['content-type'];
  }
  if (random.chance(0.15)) {
    const [name, encoded, encoding] = encode(body, random);
    mutations.push(`encoding:${name}`);
    body = encoded;
    headers['content-encoding'] = encoding;
  }

  const path = base.route === 'envelope' ? `/api/${DSN_KEY.projectId}/envelope/` : `/webhooks/${base.route}`;
  return { route: base.route, path, headers, body, authentic, mutations };
}

export { SENTRY_SECRET };
