import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nested, rejectsWithCode, type OpenStore } from './store-contract-helpers.js';

/** Contract: fix attempts, pull requests, verification runs and the audit log. */
export function defineFixTests(open: OpenStore): void {
  test('fix attempts: defaults, JSON patch, updatedAt, order, and a real incident required', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    await store.createIncident({ id: 'inc-1', key: 'fp', title: 'x', severity: 'error' });
    const first = await store.createFixAttempt({ id: 'fix-1', incidentId: 'inc-1', strategy: 'revert' });
    assert.deepEqual(first, {
      id: 'fix-1',
      incidentId: 'inc-1',
      strategy: 'revert',
      status: 'pending',
      repository: null,
      branch: null,
      candidate: null,
      usage: null,
      error: null,
      createdAt: clock.iso(),
      updatedAt: clock.iso(),
    });
    clock.advance(1_000);
    await store.createFixAttempt({ id: 'fix-0', incidentId: 'inc-1', strategy: 'llm', repository: 'acme/shop', branch: 'nightshift/inc-1', status: 'drafted' });

    const at = clock.advance(5_000);
    const candidate = { diff: '--- a/x\n+++ b/x\n', rationale: 'null check', confidence: 0.7, files: ['x'] };
    const usage = { promptTokens: 1200, completionTokens: 300, costUsd: 0.0123 };
    const updated = await store.updateFixAttempt('fix-1', { status: 'failed', candidate, usage, error: 'tests failed', repository: 'acme/shop' });
    assert.deepEqual(updated.candidate, candidate);
    assert.deepEqual(updated.usage, usage);
    assert.equal(updated.error, 'tests failed');
    assert.equal(updated.status, 'failed');
    assert.equal(updated.repository, 'acme/shop');
    assert.equal(updated.updatedAt, at);
    assert.equal(updated.createdAt, first.createdAt);

    const listed = await store.listFixAttempts('inc-1');
    assert.deepEqual(listed.map((a) => a.id), ['fix-1', 'fix-0']);
    assert.deepEqual(listed[0], updated);
    assert.deepEqual(await store.listFixAttempts('inc-2'), []);
    await rejectsWithCode(store.createFixAttempt({ id: 'fix-9', incidentId: 'no-such-incident', strategy: 'revert' }), 'MISSING_REFERENCE');
  });

  test('linkPullRequest is idempotent per (incident, repository); state updates bump updatedAt', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    await store.createIncident({ id: 'inc-1', key: 'fp', title: 'x', severity: 'error' });
    await store.createIncident({ id: 'inc-2', key: 'fp2', title: 'y', severity: 'error' });
    await store.createFixAttempt({ id: 'fix-1', incidentId: 'inc-1', strategy: 'revert' });
    await store.createFixAttempt({ id: 'fix-2', incidentId: 'inc-2', strategy: 'revert' });

    const link = { incidentId: 'inc-1', attemptId: 'fix-1', repository: 'acme/shop', number: 17, url: 'https://github.com/acme/shop/pull/17' };
    const first = await store.linkPullRequest(link);
    assert.equal(first.inserted, true);
    assert.deepEqual(first.link, { ...link, state: 'draft', createdAt: clock.iso(), updatedAt: clock.iso() });

    clock.advance(1_000);
    const repeat = await store.linkPullRequest({ ...link, number: 18, url: 'https://github.com/acme/shop/pull/18' });
    assert.equal(repeat.inserted, false);
    assert.deepEqual(repeat.link, first.link);

    const second = await store.linkPullRequest({ ...link, repository: 'acme/api', number: 17, state: 'ready', url: 'u' });
    assert.equal(second.inserted, true);
    assert.equal(second.link.state, 'ready');
    // The same PR cannot belong to two incidents.
    await rejectsWithCode(store.linkPullRequest({ ...link, incidentId: 'inc-2', attemptId: 'fix-2' }), 'CONFLICT');

    const at = clock.advance(1_000);
    await store.updatePullRequestState('acme/shop', 17, 'merged');
    await store.updatePullRequestState('acme/shop', 999, 'closed');
    assert.equal((await store.findPullRequestLink('acme/shop', 17))?.incidentId, 'inc-1');
    assert.equal(await store.findPullRequestLink('acme/shop', 999), undefined);
    const listed = await store.listPullRequests('inc-1');
    assert.deepEqual(
      listed.map((p) => [p.repository, p.number, p.state]),
      [
        ['acme/shop', 17, 'merged'],
        ['acme/api', 17, 'ready'],
      ],
    );
    assert.equal(listed[0]?.updatedAt, at);
    assert.equal(listed[0]?.createdAt, first.link.createdAt);
    assert.deepEqual(await store.listPullRequests('inc-2'), []);

    // A retry after a closed PR moves the incident's link to the new PR.
    await store.createFixAttempt({ id: 'fix-3', incidentId: 'inc-1', strategy: 'template' });
    const replaced = await store.replacePullRequest({ ...link, attemptId: 'fix-3', number: 21, url: 'https://github.com/acme/shop/pull/21' });
    assert.deepEqual([replaced.number, replaced.attemptId, replaced.state], [21, 'fix-3', 'draft']);
    assert.equal(await store.findPullRequestLink('acme/shop', 17), undefined);
    assert.equal((await store.findPullRequestLink('acme/shop', 21))?.incidentId, 'inc-1');
    await rejectsWithCode(store.replacePullRequest({ ...link, incidentId: 'inc-2', attemptId: 'fix-2' }), 'NOT_FOUND');
  });

  test('recordVerification inserts, then replaces by id keeping startedAt', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    await store.createIncident({ id: 'inc-1', key: 'fp', title: 'x', severity: 'error' });
    await store.createFixAttempt({ id: 'fix-1', incidentId: 'inc-1', strategy: 'revert' });

    const started = clock.iso();
    const running = await store.recordVerification({ id: 'v1', incidentId: 'inc-1', attemptId: 'fix-1', verdict: 'running', report: null });
    assert.deepEqual(running, { id: 'v1', incidentId: 'inc-1', attemptId: 'fix-1', verdict: 'running', report: null, startedAt: started, finishedAt: null });

    clock.advance(90_000);
    const report = { steps: [{ name: 'npm test', exitCode: 0, durationMs: 4200 }], replay: { reproduced: false } };
    const passed = await store.recordVerification({ id: 'v1', incidentId: 'inc-1', attemptId: 'fix-1', verdict: 'passed', report, finishedAt: clock.iso() });
    assert.equal(passed.verdict, 'passed');
    assert.deepEqual(passed.report, report);
    assert.equal(passed.startedAt, started);
    assert.equal(passed.finishedAt, clock.iso());

    clock.advance(1_000);
    await store.recordVerification({ id: 'v2', incidentId: 'inc-1', attemptId: 'fix-1', verdict: 'unverifiable', report: { reason: 'no tests' } });
    const listed = await store.listVerifications('inc-1');
    assert.deepEqual(listed.map((v) => [v.id, v.verdict]), [
      ['v1', 'passed'],
      ['v2', 'unverifiable'],
    ]);
    assert.deepEqual(listed[0], passed);
  });

  test('appendAudit numbers entries in increasing order and stamps them with the clock', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    const first = await store.appendAudit({ incidentId: 'inc-1', actor: 'triage', action: 'incident.created', detail: { alerts: ['a1'] } });
    clock.advance(1_000);
    const second = await store.appendAudit({ incidentId: null, actor: 'system', action: 'boot', detail: null });
    clock.advance(1_000);
    const third = await store.appendAudit({ incidentId: 'inc-1', actor: 'fixer', action: 'fix.drafted', detail: nested });

    assert.ok(second.seq > first.seq && third.seq > second.seq, `seq ${first.seq}, ${second.seq}, ${third.seq}`);
    assert.equal(first.at, '2025-03-01T09:00:00.000Z');
    assert.equal(third.at, '2025-03-01T09:00:02.000Z');
    assert.deepEqual(await store.listAudit(), [first, second, third]);
    assert.deepEqual(await store.listAudit({ incidentId: 'inc-1' }), [first, third]);
    assert.deepEqual(await store.listAudit({ limit: 2 }), [first, second]);
    assert.deepEqual(third.detail, nested);
  });
}

/** Contract: the ledger of accepted deliveries. */
export function defineDeliveryTests(open: OpenStore): void {
  test('deliveries: the first record wins, a repeat returns it, sources are separate', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    assert.equal(await store.findDelivery('sentry', 'req-1'), undefined);
    const first = await store.recordDelivery({ source: 'sentry', deliveryId: 'req-1', eventId: 'event-a' });
    assert.deepEqual(first, { inserted: true, delivery: { source: 'sentry', deliveryId: 'req-1', eventId: 'event-a', receivedAt: clock.iso() } });
    clock.advance(1_000);
    const repeat = await store.recordDelivery({ source: 'sentry', deliveryId: 'req-1', eventId: 'event-b' });
    assert.equal(repeat.inserted, false);
    assert.equal(repeat.delivery.eventId, 'event-a');
    assert.deepEqual(await store.findDelivery('sentry', 'req-1'), first.delivery);
    const other = await store.recordDelivery({ source: 'github', deliveryId: 'req-1', eventId: 'event-c' });
    assert.equal(other.inserted, true);
  });

  test('deliveries: concurrent records (committed together) insert each key once, and every copy gets the first event', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    await store.recordDelivery({ source: 'sentry', deliveryId: 'known', eventId: 'event-known' });
    // Three copies of each of 20 deliveries, interleaved, plus a repeat of one recorded earlier.
    const calls = [0, 1, 2].flatMap((copy) =>
      Array.from({ length: 20 }, (_, n) => ({ source: n % 2 ? 'sentry' : 'datadog', deliveryId: `req-${n}`, eventId: `event-${n}-${copy}` })),
    );
    calls.push({ source: 'sentry', deliveryId: 'known', eventId: 'event-other' });
    const results = await Promise.all(calls.map((call) => store.recordDelivery(call)));
    results.forEach((result, index) => {
      const call = calls[index]!;
      const firstEventId = call.deliveryId === 'known' ? 'event-known' : call.eventId.replace(/-[0-9]$/, '-0');
      assert.equal(result.inserted, call.eventId === firstEventId, `${call.eventId} inserted`);
      assert.equal(result.delivery.eventId, firstEventId, `${call.eventId} answered with the first event`);
      assert.equal(result.delivery.source, call.source);
    });
    for (let n = 0; n < 20; n++) {
      assert.equal((await store.findDelivery(n % 2 ? 'sentry' : 'datadog', `req-${n}`))?.eventId, `event-${n}-0`);
    }
  });

  test('deliveries: the ledger commits on its own, so inside a transaction both the tx store and the outer store refuse it', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    await store.transaction(async (tx) => {
      await rejectsWithCode(tx.recordDelivery({ source: 'sentry', deliveryId: 'in-tx', eventId: 'event-tx' }), 'STORE_USAGE');
      await rejectsWithCode(tx.findDelivery('sentry', 'in-tx'), 'STORE_USAGE');
      await rejectsWithCode(store.recordDelivery({ source: 'sentry', deliveryId: 'outer', eventId: 'event-outer' }), 'STORE_USAGE');
    });
    assert.equal(await store.findDelivery('sentry', 'in-tx'), undefined);
    assert.equal(await store.findDelivery('sentry', 'outer'), undefined);
  });
}
