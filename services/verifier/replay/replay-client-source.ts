/**
 * The replay client: plain JavaScript with no imports beyond node's own, run by the verifier as its
 * own process inside the service's network namespace only (see `startReplayClient`). It waits for the
 * service's health path, sends the requests one by one and reports each step as one JSON line on its
 * stdout, a pipe only the verifier holds. It judges nothing: the verifier classifies the answers.
 */
export const REPLAY_CLIENT_SOURCE = String.raw`
const http = require('node:http');
const { readlinkSync } = require('node:fs');

const plan = JSON.parse(process.argv[1]);
const report = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function send(request, timeoutMs) {
  return new Promise((resolve) => {
    const headers = { ...request.headers };
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    if (body !== undefined) headers['content-length'] = String(body.length);
    const req = http.request({ host: '127.0.0.1', port: plan.port, method: request.method, path: request.path, headers, timeout: timeoutMs }, (res) => {
      const chunks = [];
      let size = 0;
      res.on('data', (c) => { if (size < 4096) { chunks.push(c); size += c.length; } });
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }));
      res.on('error', (error) => resolve({ error: String(error.code || error.message) }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (error) => resolve({ error: String(error.code || error.message) }));
    req.end(body);
  });
}

async function main() {
  // Never ask the host's own loopback: only the sandbox's network may answer.
  if (plan.hostNetwork !== null && readlinkSync('/proc/self/ns/net') === plan.hostNetwork) {
    return report({ event: 'unhealthy', detail: 'the replay client is not in the sandbox\'s network' });
  }
  const deadline = Date.now() + plan.startTimeoutMs;
  for (;;) {
    const health = await send({ method: 'GET', path: plan.healthPath, headers: {} }, 1000);
    if (health.status !== undefined) break;
    if (Date.now() > deadline) return report({ event: 'unhealthy', detail: 'the service did not answer ' + plan.healthPath + ' within ' + plan.startTimeoutMs + ' ms' });
    await sleep(100);
  }
  report({ event: 'healthy' });
  for (const [index, request] of plan.requests.entries()) {
    report({ event: 'sending', index });
    const answer = await send(request, plan.requestTimeoutMs);
    // Let the service's log of this request arrive before the verifier reads it.
    await sleep(150);
    report({ event: 'answered', index, status: answer.status ?? null, error: answer.error ?? null, body: answer.body ?? null });
  }
  report({ event: 'done' });
}

main().then(() => process.exit(0), (error) => { report({ event: 'unhealthy', detail: 'replay client failed: ' + (error && error.message || error) }); process.exit(1); });
`;
