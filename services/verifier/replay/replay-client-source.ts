/**
 * The replay client, run with `node -e` inside the same sandboxed step as the service, because the
 * sandbox has its own network namespace: nothing outside it can reach the service. It starts the
 * service, waits for its health path, sends the requests one by one, classifies each answer and writes
 * the verdict as JSON to the file named in the plan (the step's output is capped; a file is not).
 * Plain JavaScript with no imports beyond node's own: it runs in repositories of any kind.
 */
export const REPLAY_CLIENT_SOURCE = String.raw`
const { spawn } = require('node:child_process');
const http = require('node:http');
const { writeFileSync } = require('node:fs');

const plan = JSON.parse(process.argv[1]);
const started = Date.now();
let serviceLog = '';
let exited = null;
const env = { ...process.env, ...plan.service.env, PORT: String(plan.service.port) };
const service = spawn(plan.service.argv[0], plan.service.argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
const capture = (chunk) => {
  const text = chunk.toString('utf8');
  process.stderr.write(text);
  serviceLog += text;
  if (serviceLog.length > 1000000) serviceLog = serviceLog.slice(-500000);
};
service.stdout.on('data', capture);
service.stderr.on('data', capture);
service.on('exit', (code, signal) => { exited = { code, signal }; });
service.on('error', (error) => { exited = { code: null, signal: null, error: error.message }; });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function send(request, timeoutMs) {
  return new Promise((resolve) => {
    const headers = { ...request.headers };
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    if (body !== undefined) headers['content-length'] = String(body.length);
    const req = http.request({ host: '127.0.0.1', port: plan.service.port, method: request.method, path: request.path, headers, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => { if (chunks.length < 64) chunks.push(c); });
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, 2000) }));
      res.on('error', (error) => resolve({ error: error.code || error.message }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (error) => resolve({ error: error.code || error.message }));
    req.end(body);
  });
}

function sawSignature(log) {
  const signature = plan.failureSignature;
  if (!signature || !signature.type) return false;
  if (!log.includes(signature.type)) return false;
  return !signature.value || log.includes(signature.value.slice(0, 80));
}

function finish(verdict) {
  writeFileSync(plan.verdictFile, JSON.stringify({ ...verdict, durationMs: Date.now() - started }));
  try { process.kill(-service.pid, 'SIGKILL'); } catch {}
  process.exit(0);
}

async function main() {
  const deadline = Date.now() + plan.service.startTimeoutMs;
  for (;;) {
    if (exited) return finish({ outcome: 'error', detail: 'the service exited before it was healthy (' + JSON.stringify(exited) + ')', responses: [] });
    const health = await send({ method: 'GET', path: plan.service.healthPath, headers: {} }, 1000);
    if (health.status !== undefined) break;
    if (Date.now() > deadline) return finish({ outcome: 'error', detail: 'the service did not answer ' + plan.service.healthPath + ' within ' + plan.service.startTimeoutMs + ' ms', responses: [] });
    await sleep(100);
  }
  const responses = [];
  for (const request of plan.requests) {
    const logStart = serviceLog.length;
    const answer = await send(request, plan.requestTimeoutMs);
    await sleep(150);
    const newLog = serviceLog.slice(logStart);
    let failure = null;
    if (answer.error) failure = 'no answer: ' + answer.error;
    else if (answer.status >= 500) failure = 'answered ' + answer.status;
    else if (exited) failure = 'the service exited while answering';
    else if (sawSignature(newLog)) failure = 'the service logged the incident\'s exception (' + plan.failureSignature.type + ')';
    responses.push({ method: request.method, path: request.path, status: answer.status ?? null, error: answer.error ?? null, failure, body: answer.body ?? null });
  }
  const failed = responses.filter((r) => r.failure !== null);
  finish({
    outcome: failed.length > 0 ? 'failed' : 'passed',
    detail: failed.length > 0 ? failed.map((r) => r.method + ' ' + r.path + ': ' + r.failure).join('; ') : responses.map((r) => r.method + ' ' + r.path + ': ' + r.status).join('; '),
    responses,
  });
}

main().catch((error) => finish({ outcome: 'error', detail: 'replay client failed: ' + (error && error.stack || error), responses: [] }));
`;
