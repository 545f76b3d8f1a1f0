import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Forge } from '../../services/fixer/forge/forge.js';
import { createLocalForge } from '../../services/fixer/forge/local/create-local-forge.js';
import { createTestGitRepo, lines, type TestGitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/wait.js';

const date = new Date('2025-03-01T10:00:00Z');
const clock = () => new Date('2025-03-01T03:12:00Z');

describe('local forge: branches in a local repository, PR records under the data directory', () => {
  let origin: TestGitRepo;
  let work: TestGitRepo;
  let data: { path: string; cleanup: () => Promise<void> };
  let fixSha: string;
  const forgeAt = (dataDir: string): Forge => createLocalForge({ dataDir, repositories: { shop: { path: origin.path } }, now: clock });

  beforeEach(async () => {
    origin = await createTestGitRepo();
    await origin.commit({ message: 'base', date, files: { 'src/cart.ts': lines('export const total = 1;'), CODEOWNERS: lines('* @lead', 'src/** @alice @acme/shop') } });
    work = await createTestGitRepo();
    await work.git(['fetch', '--quiet', '--update-head-ok', origin.path, 'main:main']);
    await work.git(['reset', '--quiet', '--hard', 'main']);
    fixSha = await work.commit({ message: 'fix', date, files: { 'src/cart.ts': lines('export const total = 2;') } });
    data = await tempDir();
  });
  afterEach(async () => {
    await Promise.all([origin.cleanup(), work.cleanup(), data.cleanup()]);
  });

  it('runs the lifecycle, renders the markdown page, and survives a restart', async () => {
    const forge = forgeAt(data.path);
    await forge.pushBranch({ repository: 'shop', dir: work.path, branch: 'nightshift/inc-1', sha: fixSha });
    assert.equal((await origin.git(['rev-parse', 'refs/heads/nightshift/inc-1'])).trim(), fixSha);

    assert.equal(await forge.findPullRequest('shop', 'nightshift/inc-1'), undefined);
    const pull = await forge.openDraftPullRequest({
      repository: 'shop',
      branch: 'nightshift/inc-1',
      base: 'main',
      title: 'Guard the cart',
      body: '## Summary\nThe cart crashed.',
      labels: ['nightshift'],
      reviewers: ['@alice'],
    });
    assert.equal(pull.number, 1);
    assert.equal(pull.state, 'draft');
    assert.equal(pull.headSha, fixSha);
    const page = fileURLToPath(pull.url);
    assert.equal(page, join(data.path, 'forge', 'shop', 'pulls', '1.md'));

    await forge.comment('shop', 1, 'Seen again.');
    await forge.updatePullRequestBody('shop', 1, '## Summary\nVerified.');
    // The check runs, then completes; a second start while it runs (a redelivery after a crash) takes it over.
    const check = { repository: 'shop', headSha: fixSha, name: 'nightshift/verification', title: 'Verifying fix…', summary: 'Building and testing.' };
    const started = await forge.startCheck(check);
    assert.deepEqual([started.kind, started.resumed, started.startedAt], ['local', false, '2025-03-01T03:12:00.000Z']);
    const running = JSON.parse(await readFile(join(data.path, 'forge', 'shop', 'pulls', '1.json'), 'utf8'));
    assert.deepEqual(running.checks.map((c: { status: string; conclusion?: string; title: string }) => [c.status, c.conclusion, c.title]), [['in_progress', undefined, 'Verifying fix…']]);
    assert.match(await readFile(page, 'utf8'), /nightshift\/verification: ⏳ in progress — Verifying fix…/);
    const resumed = await forgeAt(data.path).startCheck(check);
    assert.equal(resumed.resumed, true);
    await forge.completeCheck(resumed, { conclusion: 'success', title: 'Red to green', summary: 'Replay passed.', text: 'step log' });
    await forge.markReadyForReview('shop', 1);

    // A new process: nothing in memory, everything read back from disk.
    const restarted = forgeAt(data.path);
    const found = await restarted.findPullRequest('shop', 'nightshift/inc-1');
    assert.deepEqual(found, { ...pull, state: 'ready' });
    const record = JSON.parse(await readFile(join(data.path, 'forge', 'shop', 'pulls', '1.json'), 'utf8'));
    assert.deepEqual(record.labels, ['nightshift']);
    assert.deepEqual(record.reviewers, ['alice']);
    assert.deepEqual(record.comments, [{ body: 'Seen again.', at: '2025-03-01T03:12:00.000Z' }]);
    assert.equal(record.checks.length, 1);
    assert.deepEqual([record.checks[0].status, record.checks[0].conclusion, record.checks[0].text], ['completed', 'success', 'step log']);
    assert.deepEqual([record.checks[0].startedAt, record.checks[0].completedAt], ['2025-03-01T03:12:00.000Z', '2025-03-01T03:12:00.000Z']);
    const markdown = await readFile(page, 'utf8');
    for (const expected of ['# #1 Guard the cart', 'Ready for review', 'Verified.', 'nightshift/verification: ✅ success — Red to green', 'Seen again.', '@alice']) {
      assert.ok(markdown.includes(expected), `the page shows ${expected}`);
    }

    // Redelivery: opening again returns the same PR.
    const again = await restarted.openDraftPullRequest({ repository: 'shop', branch: 'nightshift/inc-1', base: 'main', title: 'x', body: 'x', labels: ['nightshift:retry'], reviewers: [] });
    assert.equal(again.number, 1);
    assert.equal((await readdir(join(data.path, 'forge', 'shop', 'pulls'))).filter((n) => n.endsWith('.json')).length, 1);

    await restarted.closePullRequest('shop', 1);
    assert.equal((await restarted.getPullRequest('shop', 1)).state, 'closed');
    assert.equal((await restarted.findPullRequest('shop', 'nightshift/inc-1'))?.state, 'closed');
    assert.deepEqual(await restarted.codeOwners('shop', 'main', ['src/cart.ts', 'README.md']), ['alice', 'lead']);
    await assert.rejects(restarted.getPullRequest('shop', 7), { code: 'FORGE_PULL_REQUEST_NOT_FOUND' });
  });

  it('reads a PR as merged once its head reaches the base, and follows a re-pushed head', async () => {
    const forge = forgeAt(data.path);
    await forge.pushBranch({ repository: 'shop', dir: work.path, branch: 'nightshift/inc-2', sha: fixSha });
    const pull = await forge.openDraftPullRequest({ repository: 'shop', branch: 'nightshift/inc-2', base: 'main', title: 't', body: 'b', labels: [], reviewers: [] });
    const second = await work.commit({ message: 'fix, take two', date, files: { 'src/cart.ts': lines('export const total = 3;') } });
    await forge.pushBranch({ repository: 'shop', dir: work.path, branch: 'nightshift/inc-2', sha: second });
    assert.equal((await forge.getPullRequest('shop', pull.number)).headSha, second);
    await origin.git(['merge', '--quiet', '--ff-only', 'nightshift/inc-2']);
    assert.equal((await forge.getPullRequest('shop', pull.number)).state, 'merged');
  });

  it('refuses to push to a checked-out branch or to open a PR without commits', async () => {
    const forge = forgeAt(data.path);
    await assert.rejects(forge.pushBranch({ repository: 'shop', dir: work.path, branch: 'main', sha: fixSha }), { code: 'FORGE_BRANCH_CHECKED_OUT' });
    assert.notEqual((await origin.git(['rev-parse', 'main'])).trim(), fixSha);
    const base = (await origin.git(['rev-parse', 'main'])).trim();
    await forge.pushBranch({ repository: 'shop', dir: work.path, branch: 'empty', sha: base });
    await assert.rejects(forge.openDraftPullRequest({ repository: 'shop', branch: 'empty', base: 'main', title: 't', body: 'b', labels: [], reviewers: [] }), { code: 'FORGE_NOTHING_TO_MERGE' });
    await assert.rejects(forge.pushBranch({ repository: 'other', dir: work.path, branch: 'x', sha: fixSha }), { code: 'FORGE_UNKNOWN_REPOSITORY' });
  });

  it('gives concurrent openers (two forge instances, as two processes would) distinct numbers', async () => {
    const branches = Array.from({ length: 6 }, (_, i) => `nightshift/inc-c${i}`);
    for (const branch of branches) await forgeAt(data.path).pushBranch({ repository: 'shop', dir: work.path, branch, sha: fixSha });
    const forges = [forgeAt(data.path), forgeAt(data.path)];
    const opened = await Promise.all(
      branches.map((branch, i) => forges[i % 2]!.openDraftPullRequest({ repository: 'shop', branch, base: 'main', title: branch, body: 'b', labels: [], reviewers: [] })),
    );
    assert.deepEqual(opened.map((p) => p.number).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
    for (const p of opened) assert.equal(p.title, p.branch);
    // A check reported for the shared head reaches every PR on it.
    const check = await forges[0]!.startCheck({ repository: 'shop', headSha: fixSha, name: 'nightshift/verification', title: 'Verifying fix…', summary: 's' });
    await forges[1]!.completeCheck(check, { conclusion: 'failure', title: 'Tests failed', summary: 's' });
    const record = JSON.parse(await readFile(join(data.path, 'forge', 'shop', 'pulls', '4.json'), 'utf8'));
    assert.equal(record.checks[0].conclusion, 'failure');
  });
});
