import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PayloadOf } from '../../shared/events/registry.js';
import { createSqliteStore } from '../../shared/store/index.js';
import { followForgeEvent } from '../../services/fixer/follow-forge-event.js';

const repositories = { shop: { path: '/srv/shop', slug: 'acme/shop', defaultBranch: 'main', pathPrefixes: [] } };
const common = { provider: 'github' as const, repository: { owner: 'Acme', name: 'shop' }, sender: 'alice' };

async function seeded() {
  const store = await createSqliteStore({ file: ':memory:', clock: () => new Date('2026-11-21T03:00:00Z') });
  await store.createIncident({ id: 'inc-1', key: 'fp', title: 'x', severity: 'error' });
  await store.createFixAttempt({ id: 'att-1', incidentId: 'inc-1', strategy: 'revert' });
  await store.linkPullRequest({ incidentId: 'inc-1', attemptId: 'att-1', repository: 'shop', number: 7, url: 'https://github.com/acme/shop/pull/7' });
  return store;
}

function pullRequestClosed(number: number, merged: boolean): PayloadOf<'forge.event.v1'> {
  return {
    ...common,
    kind: 'pull_request',
    deliveryId: `d-${number}-${merged}`,
    action: 'closed',
    pullRequest: { number, headSha: 'a'.repeat(40), headRef: 'nightshift/inc-1', baseRef: 'main', state: 'closed', merged, draft: false, url: 'u' },
  };
}

test('a merged Nightshift PR puts its incident in recovery; a PR Nightshift did not open changes nothing', async () => {
  const store = await seeded();
  assert.deepEqual(await followForgeEvent(pullRequestClosed(7, true), { store, repositories }), { kind: 'none' });
  assert.equal((await store.listPullRequests('inc-1'))[0]?.state, 'merged');
  assert.equal((await store.getIncident('inc-1'))?.status, 'recovering');
  assert.deepEqual((await store.listAudit({ incidentId: 'inc-1' })).map((e) => [e.actor, e.action]), [['alice', 'fix-merged']]);

  await followForgeEvent(pullRequestClosed(99, true), { store, repositories });
  await followForgeEvent({ ...pullRequestClosed(7, true), repository: { owner: 'other', name: 'repo' } }, { store, repositories });
  assert.equal((await store.listAudit({ incidentId: 'inc-1' })).length, 1);
});

test('a PR closed unmerged is recorded, the repository CI result lands on the timeline, and /nightshift commands become fixer commands', async () => {
  const store = await seeded();
  await followForgeEvent(pullRequestClosed(7, false), { store, repositories });
  assert.equal((await store.listPullRequests('inc-1'))[0]?.state, 'closed');
  assert.notEqual((await store.getIncident('inc-1'))?.status, 'recovering');

  await followForgeEvent(
    { ...common, kind: 'check_suite', deliveryId: 'cs', action: 'completed', check: { id: 1, headSha: 'b'.repeat(40), status: 'completed', conclusion: 'failure', pullRequests: [7, 8] } },
    { store, repositories },
  );
  const comment = (body: string, name: 'retry' | 'stop' | null): PayloadOf<'forge.event.v1'> => ({
    ...common,
    kind: 'issue_comment',
    deliveryId: `c-${body}`,
    action: 'created',
    issueNumber: 7,
    isPullRequest: true,
    comment: { id: 1, body, author: 'bob' },
    command: name ? { name, args: '' } : null,
  });
  assert.deepEqual(await followForgeEvent(comment('looks odd', null), { store, repositories }), { kind: 'none' });
  const retry = await followForgeEvent(comment('/nightshift retry', 'retry'), { store, repositories });
  assert.equal(retry.kind, 'retry');
  assert.equal(retry.kind === 'retry' ? retry.incidentId : undefined, 'inc-1');
  const stop = await followForgeEvent(comment('/nightshift stop', 'stop'), { store, repositories });
  assert.equal(stop.kind, 'stop');
  const audit = await store.listAudit({ incidentId: 'inc-1' });
  assert.deepEqual(audit.map((e) => e.action), ['fix-closed', 'repository-ci', 'fix-retried', 'fix-stopped']);
  assert.deepEqual(audit[1]?.detail, { kind: 'check_suite', conclusion: 'failure', headSha: 'b'.repeat(40), pullRequest: 7 });
});
