import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { createEvent } from '../../shared/events/create-event.js';
import type { FixOutcomePayload } from '../../shared/events/fix-outcome.js';
import { createSqliteStore } from '../../shared/store/index.js';
import { followFixOutcome, REGRESSED_LABEL } from '../../services/fixer/follow-fix-outcome.js';
import type { Forge } from '../../services/fixer/forge/forge.js';
import { createGithubForge } from '../../services/fixer/forge/github/create-github-forge.js';
import { startFakeGithub, type FakeGithub } from '../helpers/fake-github.js';
import { createTestGitRepo, lines, type TestGitRepo } from '../helpers/git-repo.js';

const SLUG = 'acme/shop';
const TOKEN = 'ghp_TESTtoken0123456789abcdefghijklmnopqrstu';
const now = () => new Date('2026-11-21T03:00:00Z');
let fake: FakeGithub;
let repo: TestGitRepo;
let forge: Forge;

before(async () => {
  fake = await startFakeGithub({ repositories: { [SLUG]: { collaborators: ['alice'] } }, token: { value: TOKEN, login: 'nightshift-bot' } });
  repo = await createTestGitRepo();
  const date = new Date('2026-11-20T10:00:00Z');
  await repo.commit({ message: 'base', date, files: { 'src/stock.js': lines('export const stock = 1;') } });
  await repo.git(['push', '--quiet', fake.repositories.get(SLUG)!.gitDir, 'main']);
  forge = createGithubForge({ config: { apiUrl: fake.url, token: TOKEN }, repositories: { shop: { slug: SLUG, path: repo.path } }, log: pino({ level: 'silent' }), rateLimits: { paced: false, retryAfterUnitMs: 10 } });
});
after(async () => {
  await fake.close();
  await repo.cleanup();
});

/** A Nightshift PR on the fake GitHub, merged there, and linked to its incident in a fresh store. */
async function mergedFix(incidentId: string) {
  await repo.git(['checkout', '--quiet', '-B', `nightshift/${incidentId}`, 'main']);
  const sha = await repo.commit({ message: `fix ${incidentId}`, date: now(), files: { 'src/stock.js': lines(`export const stock = ${incidentId.length};`, `// ${incidentId}`) } });
  await forge.pushBranch({ repository: 'shop', dir: repo.path, branch: `nightshift/${incidentId}`, sha });
  const pull = await forge.openDraftPullRequest({ repository: 'shop', branch: `nightshift/${incidentId}`, base: 'main', title: 't', body: 'b', labels: ['nightshift'], reviewers: [] });
  fake.mergePullRequest(SLUG, pull.number);
  const store = await createSqliteStore({ file: ':memory:', clock: now });
  await store.createIncident({ id: incidentId, key: `fp-${incidentId}`, title: 'boom', severity: 'error' });
  await store.createFixAttempt({ id: `att-${incidentId}`, incidentId, strategy: 'revert' });
  await store.linkPullRequest({ incidentId, attemptId: `att-${incidentId}`, repository: 'shop', number: pull.number, url: pull.url });
  await store.updatePullRequestState('shop', pull.number, 'merged');
  const fakePull = () => fake.repositories.get(SLUG)!.pulls.find((p) => p.number === pull.number)!;
  return { store, number: pull.number, fakePull };
}

const outcome = (payload: FixOutcomePayload) => createEvent('fix.outcome.v1', { key: 'fp', payload }, { now });

test('a merged fix whose incident a firing alert reopened gets a comment and the nightshift:regressed label on GitHub, once', async () => {
  const { store, number, fakePull } = await mergedFix('inc-gh-1');
  await store.updateIncident('inc-gh-1', { alertCount: 4 });
  const reopened = createEvent('incident.changed.v1', { key: 'fp-inc-gh-1', payload: { incidentId: 'inc-gh-1', change: 'reopened', key: 'fp-inc-gh-1', reopenedFrom: null, alertId: 'a-4', services: [] } }, { now });
  await followFixOutcome(reopened, { store, forge });
  await followFixOutcome(reopened, { store, forge });
  const reason = 'the alert fired again after the merge and incident inc-gh-1 is open again (4 alerts in all)';
  assert.deepEqual(fakePull().comments, [`The fix in this pull request did not hold: ${reason}. Nightshift labelled it \`nightshift:regressed\`.`]);
  assert.deepEqual(fakePull().labels, ['nightshift', REGRESSED_LABEL]);
  assert.deepEqual(
    (await store.listAudit({ incidentId: 'inc-gh-1' })).map((e) => [e.actor, e.action, e.detail]),
    [['fixer', 'fix-regressed', { repository: 'shop', pullRequest: number, reason }]],
  );
  assert.deepEqual(fake.violations, []);
});

test('a fix that held gets one comment and no label; news of another incident, or of a PR no longer merged, is ignored', async () => {
  const { store, number, fakePull } = await mergedFix('inc-gh-2');
  const held = outcome({ incidentId: 'inc-gh-2', outcome: 'held', repository: 'shop', pullRequest: number, reason: 'no alert for 30 minutes after the merge', quietMinutes: 30 });
  await followFixOutcome(held, { store, forge });
  await followFixOutcome(held, { store, forge });
  assert.deepEqual(fakePull().comments, ['Nightshift resolved incident inc-gh-2, which this pull request fixed: no alert for 30 minutes after the merge.']);
  assert.deepEqual(fakePull().labels, ['nightshift']);

  await followFixOutcome(outcome({ incidentId: 'inc-other', outcome: 'held', repository: 'shop', pullRequest: number, reason: 'r' }), { store, forge });
  await store.updatePullRequestState('shop', number, 'closed');
  await followFixOutcome(createEvent('incident.changed.v1', { key: 'fp', payload: { incidentId: 'inc-gh-2', change: 'reopened', key: 'fp', reopenedFrom: null, alertId: 'a', services: [] } }, { now }), { store, forge });
  assert.equal(fakePull().comments.length, 1);
  assert.deepEqual((await store.listAudit({ incidentId: 'inc-gh-2' })).map((e) => e.action), ['fix-held']);
});
