import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { VerificationProfile } from '../../shared/config/verifier-schema.js';
import { chooseCandidate } from '../../services/verifier/choose-candidate.js';
import { createSandbox } from '../../services/verifier/sandbox/create-sandbox.js';
import type { Sandbox } from '../../services/verifier/sandbox/sandbox.js';
import { verifyCandidate, type VerifyCandidateInput } from '../../services/verifier/verify-candidate.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileLogSource } from '../../services/triage/evidence/file/create-file-log-source.js';
import { createFailingRequestCollector } from '../../services/triage/report/collect-failing-requests.js';
import { requestsFromLogs } from '../../services/verifier/replay/requests-from-logs.js';
import { tempDir } from '../helpers/wait.js';
import { createSampleService, type SampleService } from './verifier-sample-service.js';

let sample: SampleService;
let sandbox: Sandbox;

const profile: VerificationProfile = {
  test: 'npm test',
  service: { command: ['node', 'server.js'], port: 8080, healthPath: '/health', startTimeoutMs: 10_000 },
  timeouts: { stepMs: 60_000 },
  memoryMb: 1024,
};

// As Sentry reports it: the full URL, and headers that include credentials the replay must drop.
const incidentRequest = {
  method: 'GET',
  url: 'https://orders.example.com/orders/42',
  query: 'expand=lines',
  headers: {
    Authorization: 'Bearer replay-must-not-send-this-token',
    Cookie: 'session=replay-must-not-send-this-cookie',
    'X-Request-Id': 'req-42',
  },
};

const input = (over: Partial<VerifyCandidateInput>): VerifyCandidateInput => ({
  baseDir: sample.baseDir,
  fixDir: sample.fixDir,
  profile,
  sandbox,
  requests: [incidentRequest],
  failureSignature: { type: 'TypeError', value: "Cannot read properties of undefined (reading 'total')" },
  ...over,
});

before(async () => {
  sample = await createSampleService();
  sandbox = await createSandbox({ sandbox: 'auto', allowUnsandboxed: false, outputLimitBytes: 32 * 1024 });
  assert.notEqual(sandbox.kind, 'none');
});
after(async () => sample.cleanup());

test('a fix that turns the replay from red to green is verified', async () => {
  const result = await verifyCandidate(input({}));
  assert.equal(result.verdict, 'passed', result.summary);
  assert.deepEqual(result.replay, { base: 'failed', fix: 'passed' });
  assert.deepEqual(
    result.steps.map((step) => [step.name, step.status]),
    [['test', 'passed'], ['reproduce on base', 'passed'], ['replay on fix', 'passed']],
  );
  assert.equal(result.responses?.base[0]?.status, 500);
  assert.equal(result.responses?.base[0]?.path, '/orders/42?expand=lines');
  assert.equal(result.responses?.fix[0]?.status, 404);
  assert.match(result.summary, /Verified/);
  assert.match(result.summary, /Memory limit: 1024 MB for each whole step \(cgroup-v[12]\)/);
  assert.match(result.summary, /`GET \/orders\/42\?expand=lines` \| 500/);
  // The service logs the headers it got: the request id arrived, the credentials did not.
  const replayLog = result.logs.find((log) => log.name === 'reproduce on base')?.output ?? '';
  assert.match(replayLog, /req-42/);
  assert.match(replayLog, /TypeError/);
  assert.doesNotMatch(replayLog, /replay-must-not-send/);
});

test('without a request on the alert, the root-cause service\'s logged failing requests are replayed red to green', async () => {
  // pino-http lines as the orders service wrote them, read back by triage's file log source.
  const dir = await tempDir('nightshift-logged-requests-');
  try {
    const at = Date.parse('2025-03-01T10:05:00Z');
    const line = (offset: number, method: string, url: string, statusCode: number) =>
      JSON.stringify({ level: statusCode >= 500 ? 50 : 30, time: at + offset, name: 'orders', msg: statusCode >= 500 ? 'request errored' : 'request completed', req: { method, url, headers: { authorization: 'Bearer logged-token-must-not-travel' } }, res: { statusCode } });
    const file = join(dir.path, 'orders.log');
    await writeFile(file, [line(0, 'GET', '/orders/1', 200), line(10, 'GET', '/orders/42?expand=lines', 500), line(20, 'POST', '/orders', 500)].join('\n') + '\n');
    const source = createFileLogSource({ files: [{ path: file, format: 'pino' }], maxRecords: 1000 });
    const collector = createFailingRequestCollector();
    for await (const record of source.fetchLogs({ services: ['orders'], from: at - 60_000, to: at + 60_000, limit: 1000 })) collector.add(record);
    const logged = collector.list();
    assert.deepEqual(logged.map((r) => `${r.method} ${r.path} ${r.status}`), ['GET /orders/42?expand=lines 500', 'POST /orders 500']);
    const result = await verifyCandidate(input({ requests: requestsFromLogs(logged, 'orders'), requestSource: 'logs' }));
    assert.equal(result.verdict, 'passed', result.summary);
    // The POST without its body is not replayed; the GET is, without the logged credentials.
    assert.deepEqual(result.responses?.base.map((r) => `${r.method} ${r.path} ${r.status}`), ['GET /orders/42?expand=lines 500']);
    assert.equal(result.responses?.fix[0]?.status, 404);
    assert.ok(result.reasons.some((reason) => /logged/.test(reason)), result.reasons.join('\n'));
    assert.doesNotMatch(JSON.stringify(result), /logged-token-must-not-travel/);
  } finally {
    await dir.cleanup();
  }
});

test('a fake fix that passes the tests but not the replay fails verification', async () => {
  const result = await verifyCandidate(input({ fixDir: sample.fakeFixDir }));
  assert.equal(result.verdict, 'failed', result.summary);
  assert.deepEqual(result.replay, { base: 'failed', fix: 'failed' });
  assert.equal(result.steps.find((step) => step.name === 'test')?.status, 'passed');
  assert.equal(result.steps.find((step) => step.name === 'replay on fix')?.status, 'failed');
  assert.ok(result.reasons.some((reason) => /still fails on the fix/.test(reason)), result.reasons.join('\n'));
});

test('without a request to replay or a regression test, a fix is unverifiable, never passed', async () => {
  const result = await verifyCandidate(input({ requests: [] }));
  assert.equal(result.verdict, 'unverifiable');
  assert.equal(result.replay, null);
  assert.match(result.summary, /Unverifiable/);
});

test('a replay that does not reproduce the incident on the base proves nothing', async () => {
  const result = await verifyCandidate(input({ requests: [{ method: 'GET', url: '/orders/1' }] }));
  assert.equal(result.verdict, 'unverifiable', result.summary);
  assert.deepEqual(result.replay, { base: 'passed', fix: 'passed' });
});

test('a service that will not start is an error, not a pass', async () => {
  const broken = { ...profile, service: { ...profile.service!, command: ['node', '-e', 'process.exit(4)'] } };
  const result = await verifyCandidate(input({ profile: broken }));
  assert.equal(result.verdict, 'unverifiable', result.summary);
  assert.deepEqual(result.replay, { base: 'error', fix: 'error' });
});

test('a failing test suite fails the fix before anything is replayed', async () => {
  const result = await verifyCandidate(input({ profile: { ...profile, test: ['node', '-e', 'process.exit(1)'] } }));
  assert.equal(result.verdict, 'failed');
  assert.equal(result.replay, null);
  assert.deepEqual(result.steps.map((step) => step.status), ['failed']);
});

test('a test step that goes over the step\'s memory fails the fix as out of memory', async () => {
  const hungry = ['node', '-e', 'const held = []; for (let i = 0; i < 4; i++) held.push(Buffer.alloc(100 * 1024 * 1024, 1)); console.log("HELD", held.length)'];
  const result = await verifyCandidate(input({ profile: { ...profile, test: hungry, memoryMb: 256 } }));
  assert.equal(result.verdict, 'failed');
  assert.ok(result.reasons.some((reason) => /`test` ran out of memory \(256 MB for each whole step \(cgroup-v[12]\)\)/.test(reason)), result.reasons.join('\n'));
  assert.doesNotMatch(result.logs[0]?.output ?? '', /HELD/);
});

test('a regression test that fails on the base and passes on the fix shows red to green', async () => {
  const withRegression = { ...profile, regressionTest: ['node', '--test', sample.regressionTestFile] };
  const result = await verifyCandidate(
    input({ fixDir: sample.fixWithTestDir, profile: withRegression, requests: [], regressionFiles: [sample.regressionTestFile] }),
  );
  assert.equal(result.verdict, 'passed', result.summary);
  assert.deepEqual(
    result.steps.filter((step) => step.name.startsWith('regression')).map((step) => [step.name, step.status]),
    [['regression test (base)', 'passed'], ['regression test (fix)', 'passed']],
  );
  assert.match(result.logs.find((log) => log.name === 'regression test (base)')?.output ?? '', /fail 1/);
});

test('choosing among candidates keeps the first that passes and records why the others failed', async () => {
  const choice = await chooseCandidate([
    { name: 'fake', dir: sample.fakeFixDir },
    { name: 'real', dir: sample.fixDir },
    { name: 'never verified', dir: sample.fakeFixDir },
  ], (candidate) => verifyCandidate(input({ fixDir: candidate.dir })));
  assert.equal(choice.chosen?.candidate.name, 'real');
  assert.deepEqual(choice.attempts.map((attempt) => [attempt.candidate.name, attempt.result.verdict]), [['fake', 'failed'], ['real', 'passed']]);
  assert.ok(choice.attempts[0]!.result.reasons.length > 0);
});
