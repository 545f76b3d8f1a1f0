import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startTestServer } from '../helpers/nightshift-server.js';

/**
 * One keep-alive request on a fresh connection, then how long the server leaves the idle connection
 * open: the time until it closes it, or `waitMs` if it is still open then.
 */
async function idleLifetimeMs(url: string, waitMs: number): Promise<number> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const answered = new Promise<void>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (/\r\n\r\n[\s\S]*"status"/.test(text)) resolve();
      });
    });
    socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
    await answered;
    const idleFrom = performance.now();
    return await new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(waitMs), waitMs);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(performance.now() - idleFrom);
      });
    });
  } finally {
    socket.destroy();
  }
}

test('an idle keep-alive connection stays open past Node\'s 5 s default, for load balancers that reuse theirs for 60 s', { timeout: 30_000 }, async () => {
  const server = await startTestServer();
  try {
    assert.equal(await idleLifetimeMs(server.url, 6_000), 6_000, 'closed before 6 s');
  } finally {
    await server.close();
  }
});

test('server.keepAliveTimeoutMs sets how long an idle keep-alive connection stays open', { timeout: 30_000 }, async () => {
  const server = await startTestServer((config) => {
    config.server.keepAliveTimeoutMs = 300;
  });
  try {
    const lifetime = await idleLifetimeMs(server.url, 5_000);
    assert.ok(lifetime >= 250 && lifetime < 3_000, `closed after ${lifetime.toFixed(0)} ms`);
  } finally {
    await server.close();
  }
});

test('stopping waits for a request in flight, answers it, and does not wait out the keep-alive timeout of its connection', { timeout: 30_000 }, async () => {
  const server = await startTestServer();
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), hostname);
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    const closed = new Promise<void>((resolve) => socket.once('close', resolve));
    // Headers and half the body: in flight when the stop begins.
    socket.write(`POST /webhooks/datadog HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopStarted = performance.now();
    const stopped = server.close().then(() => performance.now() - stopStarted);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write('}');
    const stopMs = await stopped;
    await closed;
    // No token: 401, an answer all the same (not a dropped connection).
    assert.match(answer, /^HTTP\/1\.1 401 /);
    assert.ok(stopMs < 5_000, `stop took ${stopMs.toFixed(0)} ms`);
  } finally {
    socket.destroy();
  }
});
