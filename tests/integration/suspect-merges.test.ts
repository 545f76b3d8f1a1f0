import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findSuspectsForStack } from '../../services/triage/suspects/find-suspects-for-stack.js';
import { createRunGit } from '../../services/triage/suspects/run-git.js';
import { createTestGitRepo, lines } from '../helpers/git-repo.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const firstSeen = new Date('2025-03-10T12:00:00Z');
const at = (offsetMs: number): Date => new Date(firstSeen.getTime() + offsetMs);

function price(overrides: Record<number, string> = {}): string {
  return lines(...Array.from({ length: 50 }, (_, i) => overrides[i + 1] ?? `export const rate${i + 1} = ${i + 1};`));
}

test('a side-branch commit is dated by the merge that landed it; the merge itself is not a suspect', async () => {
  const repo = await createTestGitRepo();
  try {
    const root = await repo.commit({
      message: 'Orders service',
      date: at(-10 * DAY),
      files: { 'services/orders/src/price.ts': price(), 'services/orders/src/format.ts': lines('export const f = 1;'), 'services/orders/README.md': lines('# Orders') },
    });
    await repo.git(['checkout', '--quiet', '-b', 'tax-service']);
    const branchCommit = await repo.commit({
      message: 'Ask the tax service for rates',
      date: at(-4 * DAY),
      author: { name: 'Tam', email: 'tam@example.test' },
      files: { 'services/orders/src/price.ts': price({ 42: 'export const rate42 = await taxService.rate();' }) },
    });
    await repo.git(['checkout', '--quiet', 'main']);
    const mainline = await repo.commit({
      message: 'Tidy formatting',
      date: at(-2 * DAY),
      files: { 'services/orders/src/format.ts': lines('export const f = 2;') },
    });
    const merge = await repo.merge('tax-service', { message: 'Merge pull request #7 from acme/tax-service', date: at(-30 * MIN) });
    const docs = await repo.commit({ message: 'Notes', date: at(-10 * MIN), files: { 'services/orders/README.md': lines('# Orders', 'Taxes: see the tax service.') } });
    await repo.commit({
      message: 'Cache tax rates',
      date: at(20 * MIN),
      files: { 'services/orders/src/price.ts': price({ 42: 'export const rate42 = await cachedRate();' }) },
    });

    const repository = { name: 'acme/shop', path: repo.path, sourceRoot: 'services/orders', pathPrefixes: ['/app/'] };
    const frames = [{ absPath: 'app:///src/price.ts', lineno: 42, function: 'computeTotal' }];
    const runGit = createRunGit();

    const { suspects } = await findSuspectsForStack({ repository, frames, firstSeen, runGit, limit: 10 });
    const [top] = suspects;
    assert.equal(top?.sha, branchCommit);
    assert.equal(top.committedAt, at(-4 * DAY).toISOString());
    assert.equal(top.reasons[0], 'Changed line 42 of services/orders/src/price.ts (top in-app frame, computeTotal) 30 min before the first error.');
    assert.ok(top.reasons.includes(`Landed with merge ${merge.slice(0, 12)} ("Merge pull request #7 from acme/tax-service"); the commit itself was made 3 days before it landed.`));
    assert.ok(!suspects.some((s) => s.sha === merge), 'a merge carries no change of its own');
    // The history is younger than the 14-day window, so its first commit is a (weak) candidate too.
    assert.deepEqual(new Set(suspects.map((s) => s.sha)), new Set([branchCommit, mainline, docs, root]));

    // The bound is the graph, not the calendar: a commit written before the release date but merged after it is inside.
    const bounded = await findSuspectsForStack({ repository, frames, firstSeen, runGit, lastGoodRelease: at(-1 * DAY), limit: 10 });
    assert.equal(bounded.suspects[0]?.sha, branchCommit);
    assert.ok(!bounded.suspects.some((s) => s.sha === mainline), 'the main-line commit deployed before the release date is out');
  } finally {
    await repo.cleanup();
  }
});

test('tracked files with option-like or pathspec-like names are handled as plain names', async () => {
  const repo = await createTestGitRepo();
  try {
    const odd = ['services/orders/src/-rf.ts', 'services/orders/src/:(glob)*.ts', 'services/orders/src/[id].ts'];
    await repo.commit({ message: 'Odd names', date: at(-3 * DAY), files: Object.fromEntries(odd.map((file) => [file, price()])) });
    const culprits: string[] = [];
    for (const file of odd) {
      culprits.push(await repo.commit({ message: `Change ${file}`, date: at(-2 * HOUR + culprits.length * MIN), files: { [file]: price({ 7: 'export const rate7 = boom();' }) } }));
    }
    const repository = { name: 'acme/shop', path: repo.path, sourceRoot: 'services/orders', pathPrefixes: ['/app/'] };
    const runGit = createRunGit();
    for (const [index, file] of odd.entries()) {
      const gaps: string[] = [];
      const frame = { absPath: `/app/${file.slice('services/orders/'.length)}`, lineno: 7 };
      const { suspects } = await findSuspectsForStack({ repository, frames: [frame], firstSeen, runGit, reportGap: (gap) => gaps.push(gap) });
      assert.deepEqual(gaps, [], file);
      assert.equal(suspects[0]?.sha, culprits[index], file);
      assert.equal(suspects[0]!.reasons[0]!.startsWith(`Changed line 7 of ${file} `), true, suspects[0]!.reasons[0]);
    }
  } finally {
    await repo.cleanup();
  }
});
