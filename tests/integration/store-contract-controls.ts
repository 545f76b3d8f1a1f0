import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OpenStore } from './store-contract-helpers.js';

/** Contract: runtime controls and the open pull request count the fix gates read. */
export function defineControlTests(open: OpenStore): void {
  test('controls: absent until set, then replaced in place with who and when', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store, clock } = s;
    assert.equal(await store.getControl('kill-switch'), undefined);
    const first = await store.setControl({ name: 'kill-switch', value: { enabled: true, reason: 'bad deploy' }, updatedBy: 'cli:alice' });
    assert.deepEqual(first, { name: 'kill-switch', value: { enabled: true, reason: 'bad deploy' }, updatedBy: 'cli:alice', updatedAt: clock.iso() });
    assert.deepEqual(await store.getControl('kill-switch'), first);
    const at = clock.advance(60_000);
    await store.setControl({ name: 'kill-switch', value: { enabled: false }, updatedBy: 'api' });
    assert.deepEqual(await store.getControl('kill-switch'), { name: 'kill-switch', value: { enabled: false }, updatedBy: 'api', updatedAt: at });
  });

  test('countOpenPullRequests counts draft and ready PRs of one repository across incidents', async (t) => {
    const s = await open(t);
    if (!s) return;
    const { store } = s;
    for (const n of [1, 2, 3]) {
      await store.createIncident({ id: `inc-${n}`, key: `fp${n}`, title: 'x', severity: 'error' });
      await store.createFixAttempt({ id: `fix-${n}`, incidentId: `inc-${n}`, strategy: 'revert' });
      await store.linkPullRequest({ incidentId: `inc-${n}`, attemptId: `fix-${n}`, repository: 'acme/shop', number: n, url: `https://x/${n}` });
    }
    await store.linkPullRequest({ incidentId: 'inc-1', attemptId: 'fix-1', repository: 'acme/other', number: 9, url: 'https://x/9' });
    await store.updatePullRequestState('acme/shop', 2, 'ready');
    await store.updatePullRequestState('acme/shop', 3, 'merged');
    assert.equal(await store.countOpenPullRequests('acme/shop'), 2);
    assert.equal(await store.countOpenPullRequests('acme/other'), 1);
    assert.equal(await store.countOpenPullRequests('acme/none'), 0);
  });
}
