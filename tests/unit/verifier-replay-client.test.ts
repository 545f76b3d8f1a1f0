import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyReplayAnswer } from '../../services/verifier/replay/classify-replay-answer.js';
import { buildReplayClientArgv } from '../../services/verifier/replay/start-replay-client.js';

const plan = { port: 8080, healthPath: '/health', startTimeoutMs: 1000, requestTimeoutMs: 1000, requests: [], hostNetwork: 'net:[1]' };

test('the replay client enters only the sandbox\'s network, as nobody when Nightshift is root', () => {
  const asRoot = buildReplayClientArgv({ networkPid: 4242, isRoot: true, plan });
  assert.deepEqual(asRoot.slice(0, 6), ['nsenter', '--target=4242', '--net', '--setuid=65534', '--setgid=65534', '--']);
  assert.ok(!asRoot.some((arg) => /^--(mount|pid|ipc|uts|all)$/.test(arg)), 'only the network namespace is entered');
  assert.equal(asRoot[6], process.execPath);
  assert.deepEqual(JSON.parse(asRoot.at(-1)!), plan);
  assert.deepEqual(buildReplayClientArgv({ networkPid: 4242, isRoot: false, plan }).slice(0, 5), ['nsenter', '--target=4242', '--user', '--net', '--preserve-credentials']);
  assert.equal(buildReplayClientArgv({ networkPid: null, isRoot: true, plan })[0], process.execPath);
});

test('the verifier, not the client, decides which answers are the incident\'s failure', () => {
  const signature = { type: 'TypeError', value: "Cannot read properties of undefined (reading 'total')" };
  const judge = (status: number | null, over: { error?: string; exited?: boolean; log?: string } = {}) =>
    classifyReplayAnswer({ answer: { status, error: over.error ?? null }, serviceExited: over.exited ?? false, log: over.log ?? '', signature });
  assert.equal(judge(500), 'answered 500');
  assert.equal(judge(null, { error: 'ECONNREFUSED' }), 'no answer: ECONNREFUSED');
  assert.equal(judge(200, { exited: true }), 'the service exited while answering');
  assert.equal(judge(200, { log: "TypeError: Cannot read properties of undefined (reading 'total')\n    at handle" }), "the service logged the incident's exception (TypeError)");
  assert.equal(judge(200, { log: 'TypeError: something else' }), null);
  assert.equal(judge(404), null);
});
