import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildDatadogLogAlert } from '../../services/cli/demo/build-datadog-log-alert.js';
import { buildDemoResult } from '../../services/cli/demo/build-demo-result.js';
import { createCleanupStack } from '../../services/cli/demo/cleanup-stack.js';
import type { DemoContext } from '../../services/cli/demo/demo-context.js';
import { DEFAULT_DEMO_OPTIONS } from '../../services/cli/demo/demo-context.js';
import { evaluateDemoChecks } from '../../services/cli/demo/demo-checks.js';
import { runDemoStages, type DemoStage, type StageRecord } from '../../services/cli/demo/run-demo-stages.js';
import { createDatadogWebhookReceiver } from '../../services/ingest/datadog/create-datadog-webhook-receiver.js';

function fakeClock(...readings: number[]): () => number {
  return () => readings.shift() ?? 0;
}

function context(overrides: Partial<DemoContext> = {}): DemoContext {
  return {
    options: DEFAULT_DEMO_OPTIONS,
    workDir: '/tmp/demo',
    cleanup: createCleanupStack(),
    env: {},
    secrets: { datadogToken: 't', dsnKey: { projectId: '1', publicKey: '0'.repeat(32) } },
    fix: null,
    verification: null,
    ...overrides,
  };
}

function triaged(service: string, sha: string): Partial<DemoContext> {
  const report = {
    rootCause: { service, confidence: 0.8, reasons: [] },
    suspectCommits: [{ repository: 'shop', sha, author: 'Eve', committedAt: '', subject: 'bad', files: [], score: 1, reasons: [] }],
  };
  return {
    sample: { repoDir: '/r', guiltySha: 'g'.repeat(40), goodSha: 'p'.repeat(40), commits: [], services: {} as never, regression: {} as never },
    incidentId: 'inc-1',
    incident: { triageReport: report } as unknown as DemoContext['incident'],
  };
}

describe('runDemoStages', () => {
  test('runs every stage in order, timing each, and reports each record as it ends', async () => {
    const order: string[] = [];
    const seen: StageRecord[] = [];
    const stage = (name: string): DemoStage<string[]> => ({ name, title: `the ${name}`, run: async (ctx) => (ctx.push(name), `${name} done`) });
    const outcome = await runDemoStages([stage('a'), stage('b')], order, { onStage: (r) => seen.push(r), now: fakeClock(0, 10, 25, 30, 70, 100) });
    assert.deepEqual(order, ['a', 'b']);
    assert.deepEqual(
      outcome.stages.map((s) => [s.name, s.ok, s.ms, s.detail]),
      [
        ['a', true, 15, 'a done'],
        ['b', true, 40, 'b done'],
      ],
    );
    assert.equal(outcome.totalMs, 100);
    assert.equal(outcome.failed, undefined);
    assert.deepEqual(seen.map((s) => s.name), ['a', 'b']);
  });

  test('stops at the first stage that throws and names it', async () => {
    const ran: string[] = [];
    const outcome = await runDemoStages<string[]>(
      [
        { name: 'one', title: 'one', run: async (ctx) => (ctx.push('one'), 'fine') },
        { name: 'two', title: 'two', run: async () => Promise.reject(new Error('no checkout failed')) },
        { name: 'three', title: 'three', run: async (ctx) => (ctx.push('three'), 'never') },
      ],
      ran,
    );
    assert.deepEqual(ran, ['one']);
    assert.deepEqual(outcome.failed, { stage: 'two', error: 'no checkout failed' });
    assert.deepEqual(outcome.stages.map((s) => s.ok), [true, false]);
  });
});

describe('the demo result', () => {
  function verified(ctx: DemoContext): DemoContext {
    ctx.fix = { strategy: 'revert', branch: 'nightshift/x', pr: { number: 1, url: 'file:///x/1.md' } };
    ctx.verification = { verdict: 'passed', replay: { base: 'failed', fix: 'passed' }, pullRequestState: 'ready' };
    return ctx;
  }

  test('is ok when triage names inventory and the guilty commit, and the fix is verified red to green and ready', () => {
    const ctx = verified(context(triaged('inventory', 'g'.repeat(40))));
    const result = buildDemoResult(ctx, { stages: [{ name: 'setup', title: 'setup', ok: true, ms: 5, detail: '' }], totalMs: 7 });
    assert.equal(result.ok, true, JSON.stringify(result.checks));
    assert.deepEqual(result.rootCause, { service: 'inventory', confidence: 0.8 });
    assert.equal(result.suspectCommit?.sha, 'g'.repeat(40));
    assert.equal(result.sample?.guiltySha, 'g'.repeat(40));
    assert.deepEqual(result.timings, { setup: 5, total: 7 });
    assert.deepEqual(result.fix, ctx.fix);
    assert.deepEqual(result.verification, ctx.verification);
    assert.equal(result.workDir, null);
    // Triage alone is not enough, nor a fix that was never shown red to green.
    assert.equal(evaluateDemoChecks(context(triaged('inventory', 'g'.repeat(40)))).ok, false);
    const unverified = verified(context(triaged('inventory', 'g'.repeat(40))));
    unverified.verification = { verdict: 'unverifiable', replay: { base: 'passed', fix: 'passed' }, pullRequestState: 'draft' };
    assert.deepEqual(evaluateDemoChecks(unverified).checks.map((c) => c.ok), [true, true, true, false, false]);
  });

  test('is not ok when triage blames another service, another commit, or a stage failed', () => {
    assert.equal(evaluateDemoChecks(context(triaged('orders', 'g'.repeat(40)))).ok, false);
    const wrongCommit = evaluateDemoChecks(context(triaged('inventory', 'p'.repeat(40))));
    assert.deepEqual(wrongCommit.checks.map((c) => c.ok), [true, false, false, false, false]);
    const failed = buildDemoResult(context(triaged('inventory', 'g'.repeat(40))), { stages: [], failed: { stage: 'triage', error: 'timeout' }, totalMs: 1 });
    assert.equal(failed.ok, false);
    assert.deepEqual(failed.failedStage, { stage: 'triage', error: 'timeout' });
    assert.equal(evaluateDemoChecks(context()).ok, false, 'no triage at all is not ok');
  });
});

test('the cleanup stack undoes newest first, once, and carries on past a failure', async () => {
  const cleanup = createCleanupStack();
  const done: string[] = [];
  cleanup.add('dir', () => void done.push('dir'));
  cleanup.add('nightshift', () => Promise.reject(new Error('already stopped')));
  cleanup.add('services', async () => void done.push('services'));
  const [first, second] = await Promise.all([cleanup.run(), cleanup.run()]);
  assert.deepEqual(done, ['services', 'dir']);
  assert.deepEqual(first, ['nightshift: already stopped']);
  assert.equal(second, first);
});

test("the demo's Datadog log alert is accepted by Nightshift's Datadog receiver as an inventory alert with its trace", async () => {
  const token = 'demo-token';
  const now = new Date('2026-11-21T03:00:00.000Z');
  const body = buildDatadogLogAlert({ service: 'inventory', message: 'unhandled error: boom', traceId: 'ab'.repeat(16), requestId: 'demo-1234', count: 6, now });
  const verdict = await createDatadogWebhookReceiver({ token }).receive(
    { headers: { 'content-type': 'application/json', 'x-nightshift-token': token }, body: Buffer.from(JSON.stringify(body)), query: {}, params: {} },
    now,
  );
  if (!verdict.ok) assert.fail(JSON.stringify(verdict.rejection));
  const event = verdict.accepted.event;
  assert.ok(event && event.type === 'alert.received.v1');
  assert.equal(event.payload.source, 'datadog');
  assert.equal(event.payload.service, 'inventory');
  assert.equal(event.payload.status, 'firing');
  assert.deepEqual(event.payload.traceIds, ['ab'.repeat(16)]);
  assert.deepEqual(event.payload.requestIds, ['demo-1234']);
  assert.equal(event.payload.firedAt, now.toISOString());
});
