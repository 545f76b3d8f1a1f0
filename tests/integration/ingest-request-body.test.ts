import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createSentryWebhookReceiver } from '../../services/ingest/sentry/create-sentry-webhook-receiver.js';
import { startIngestApp, type IngestTestApp } from '../helpers/ingest-app.js';

const secret = 'request-body-test-secret';
const body = readFileSync(new URL('../../../tests/fixtures/sentry/issue.created.json', import.meta.url));
const limit = body.length + 100;

function headers(signed: Buffer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'request-id': randomUUID().replaceAll('-', ''),
    'sentry-hook-resource': 'issue',
    'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
    'sentry-hook-signature': createHmac('sha256', secret).update(signed).digest('hex'),
    ...extra,
  };
}

/** One POST over `agent`, the body written in `chunks` (chunked transfer unless a content-length is given). */
function send(url: string, agent: Agent, chunks: Buffer[], head: Record<string, string>): Promise<{ status: number; type: string; body: any; socket: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/webhooks/sentry`, { method: 'POST', agent, headers: head }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'] ?? '', body: JSON.parse(Buffer.concat(parts).toString('utf8')), socket: req.socket }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('webhook bodies read by the ingest router', () => {
  let app: IngestTestApp;
  before(async () => {
    app = await startIngestApp([['/webhooks/sentry', createSentryWebhookReceiver({ clientSecret: secret, toleranceSeconds: 300 })]], { maxBodyBytes: limit });
  });
  after(() => app.close());

  test('a body sent in pieces, without a content-length, is read whole and accepted', async () => {
    const agent = new Agent({ keepAlive: true });
    const pieces = [body.subarray(0, 100), body.subarray(100, 1000), body.subarray(1000)];
    const answer = await send(app.url, agent, pieces, headers(body));
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.type, 'application/json; charset=utf-8');
    assert.match(answer.body.eventId, /^[0-9a-f-]{36}$/);
    agent.destroy();
  });

  test('over the limit, declared or streamed, is 413 too-large, and the connection serves the next delivery', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const big = Buffer.concat([body, Buffer.alloc(200, 0x20)]);
    const declared = await send(app.url, agent, [big], headers(big, { 'content-length': String(big.length) }));
    assert.equal(declared.status, 413);
    assert.equal(declared.type, 'application/problem+json; charset=utf-8');
    assert.equal(declared.body.type, 'https://nightshift.dev/problems/too-large');
    const streamed = await send(app.url, agent, [big.subarray(0, 4000), big.subarray(4000)], headers(big));
    assert.equal(streamed.status, 413);
    assert.equal(streamed.body.type, 'https://nightshift.dev/problems/too-large');
    const next = await send(app.url, agent, [body], headers(body, { 'content-length': String(body.length) }));
    assert.equal(next.status, 202, 'the rest of the refused body was read off, so the connection is still usable');
    assert.equal(next.socket, streamed.socket, 'one keep-alive connection served all three');
    agent.destroy();
  });

  test('a gzip body is inflated and signed over its inflated bytes; inflated over the limit it is 413', async () => {
    const agent = new Agent({ keepAlive: true });
    const zipped = await send(app.url, agent, [gzipSync(body)], headers(body, { 'content-encoding': 'gzip' }));
    assert.equal(zipped.status, 202, JSON.stringify(zipped.body));
    const bomb = Buffer.concat([body, Buffer.alloc(10_000, 0x20)]);
    const inflatedTooLarge = await send(app.url, agent, [gzipSync(bomb)], headers(bomb, { 'content-encoding': 'gzip' }));
    assert.equal(inflatedTooLarge.status, 413);
    const unknown = await send(app.url, agent, [body], headers(body, { 'content-encoding': 'zstd-ish' }));
    assert.equal(unknown.status, 415);
    assert.equal(unknown.body.type, 'https://nightshift.dev/problems/content-encoding');
    agent.destroy();
  });
});
