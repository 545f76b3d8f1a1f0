import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { findSuspectCommits, InvalidRepositoryRefError } from '../../services/triage/suspects/find-suspect-commits.js';
import { findSuspectsForStack } from '../../services/triage/suspects/find-suspects-for-stack.js';
import { createRunGit, type RunGit } from '../../services/triage/suspects/run-git.js';
import type { StackFrame } from '../../services/triage/suspects/stack-frame.js';
import type { SuspectRepository } from '../../services/triage/suspects/suspect-repository.js';
import { createTestGitRepo, lines, type TestGitRepo } from '../helpers/git-repo.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const firstSeen = new Date('2025-03-10T12:00:00Z');
const at = (offsetMs: number): Date => new Date(firstSeen.getTime() + offsetMs);

/** A 60-line module whose line n is `export const rate<n> = <n>;` unless overridden. */
function numbered(name: string, overrides: Record<number, string> = {}, count = 60): string {
  return lines(...Array.from({ length: count }, (_, i) => overrides[i + 1] ?? `export const ${name}${i + 1} = ${i + 1};`));
}

// Sentry order: outermost call first, the crash last (here inside Node's own code, called from price.ts:42).
const stack: StackFrame[] = [
  { absPath: '/app/src/handler.ts', function: 'handle', lineno: 17, inApp: true },
  { absPath: '/app/src/price.ts', function: 'computeTotal', lineno: 42, inApp: true },
  { filename: 'node:internal/process/task_queues', function: 'processTicksAndRejections', lineno: 95, inApp: false },
];

let repo: TestGitRepo;
let repository: SuspectRepository;
const sha = {} as Record<'root' | 'earlier' | 'guilty' | 'otherService' | 'sameService' | 'docs' | 'afterFirstSeen' | 'afterFirstSeen2', string>;

function recordingGit(): { runGit: RunGit; calls: string[][] } {
  const real = createRunGit();
  const calls: string[][] = [];
  return { calls, runGit: (args, cwd) => (calls.push([...args]), real(args, cwd)) };
}

before(async () => {
  repo = await createTestGitRepo();
  repository = { name: 'acme/shop', path: repo.path, sourceRoot: 'services/orders', pathPrefixes: ['/app/'] };
  sha.root = await repo.commit({
    message: 'Orders and inventory services',
    date: at(-20 * DAY),
    files: {
      'package.json': '{}\n',
      'services/orders/src/price.ts': numbered('rate'),
      'services/orders/src/handler.ts': numbered('step', {}, 30),
      'services/orders/src/format.ts': numbered('fmt', {}, 10),
      'services/orders/README.md': lines('# Orders'),
      'services/inventory/src/stock.ts': numbered('stock', {}, 10),
    },
  });
  await repo.git(['tag', 'v1.0']);
  sha.earlier = await repo.commit({
    message: 'Round discounts to cents',
    date: at(-5 * DAY),
    author: { name: 'Erin', email: 'erin@example.test' },
    files: { 'services/orders/src/price.ts': numbered('rate', { 10: 'export const rate10 = Math.round(10.004 * 100) / 100;' }) },
  });
  await repo.git(['tag', 'v1.1']);
  sha.guilty = await repo.commit({
    message: 'Use the 2025 tax table',
    date: at(-6 * HOUR),
    authorDate: at(-2 * DAY),
    author: { name: 'Gil', email: 'gil@example.test' },
    files: {
      'services/orders/src/price.ts': numbered('rate', {
        10: 'export const rate10 = Math.round(10.004 * 100) / 100;',
        42: 'export const rate42 = taxTable[2025].rate;',
      }),
    },
  });
  sha.otherService = await repo.commit({
    message: 'Reserve stock in batches',
    date: at(-4 * HOUR),
    files: { 'services/inventory/src/stock.ts': numbered('stock', { 3: 'export const stock3 = batch(3);' }, 10) },
  });
  await repo.git(['tag', 'v1.2']);
  sha.sameService = await repo.commit({
    message: 'Format currency with Intl',
    date: at(-3 * HOUR),
    files: { 'services/orders/src/format.ts': numbered('fmt', { 2: 'export const fmt2 = new Intl.NumberFormat();' }, 10) },
  });
  sha.docs = await repo.commit({
    message: 'Document the tax table',
    date: at(-1 * HOUR),
    files: { 'services/orders/README.md': lines('# Orders', '', 'Taxes come from taxTable.') },
  });
  sha.afterFirstSeen = await repo.commit({
    message: 'Round tax half-up',
    date: at(1 * HOUR),
    files: {
      'services/orders/src/price.ts': numbered('rate', {
        10: 'export const rate10 = Math.round(10.004 * 100) / 100;',
        42: 'export const rate42 = roundHalfUp(taxTable[2025].rate);',
      }),
    },
  });
  sha.afterFirstSeen2 = await repo.commit({
    message: 'Log the handler step',
    date: at(2 * HOUR),
    files: { 'services/orders/src/handler.ts': numbered('step', { 17: 'export const step17 = log(17);' }, 30) },
  });
});

after(async () => {
  await repo.cleanup();
});

test('the commit that changed the crashing line is found among innocent ones, with reasons an engineer can check', async () => {
  const { runGit, calls } = recordingGit();
  const gaps: string[] = [];
  const { suspects, stack: mapped } = await findSuspectsForStack({ repository, frames: stack, firstSeen, runGit, reportGap: (gap) => gaps.push(gap) });

  assert.deepEqual(mapped?.mapped.map((frame) => [frame.file, frame.line, frame.depth]), [
    ['services/orders/src/price.ts', 42, 0],
    ['services/orders/src/handler.ts', 17, 1],
  ]);
  assert.deepEqual(gaps, []);
  assert.deepEqual(suspects.map((suspect) => suspect.sha), [sha.guilty, sha.earlier, sha.sameService]);

  const [guilty, earlier, sameService] = suspects;
  assert.equal(guilty!.repository, 'acme/shop');
  assert.equal(guilty!.subject, 'Use the 2025 tax table');
  assert.equal(guilty!.author, 'Gil <gil@example.test>');
  assert.equal(guilty!.committedAt, at(-6 * HOUR).toISOString(), 'the committer date, not the older author date');
  assert.deepEqual(guilty!.files, ['services/orders/src/price.ts']);
  assert.equal(guilty!.reasons[0], 'Changed line 42 of services/orders/src/price.ts (top in-app frame, computeTotal) 6 h before the first error.');
  assert.equal(earlier!.reasons[0], 'Changed services/orders/src/price.ts (file of the top in-app frame, computeTotal), though not the last change near line 42, 5 days before the first error.');
  assert.match(sameService!.reasons[0]!, /^Changed services\/orders \(the service's code\) but no file in the stack trace, 3 h before the first error\.$/);
  assert.ok(guilty!.score > earlier!.score && earlier!.score > sameService!.score);
  assert.ok(guilty!.score >= 0.6, `the exact-line suspect is confident (${guilty!.score})`);

  assert.ok(calls.length <= 12, `a constant handful of git processes, not one per commit (${calls.length})`);
});

test('docs-only commits rank low; commits outside the service, after the first error, or before the window never appear', async () => {
  const suspects = await findSuspectsForStack({ repository, frames: stack, firstSeen, runGit: createRunGit(), limit: 10 }).then((r) => r.suspects);
  const shas = suspects.map((suspect) => suspect.sha);
  assert.deepEqual(shas, [sha.guilty, sha.earlier, sha.sameService, sha.docs]);
  for (const excluded of [sha.afterFirstSeen, sha.afterFirstSeen2, sha.otherService, sha.root]) assert.ok(!shas.includes(excluded));
  const docs = suspects[3]!;
  assert.ok(docs.reasons.includes('Only changed tests or docs, which do not change what runs in production.'));
  assert.ok(docs.score < 0.1);
});

test('the last good release bounds the search by tag, by sha and by date', async () => {
  const runGit = createRunGit();
  const byTag = await findSuspectsForStack({ repository, frames: stack, firstSeen, runGit, lastGoodRelease: 'v1.1', limit: 10 });
  assert.deepEqual(byTag.suspects.map((s) => s.sha), [sha.guilty, sha.sameService, sha.docs], 'the commit already in v1.1 is not a suspect');
  assert.ok(byTag.suspects.every((s) => s.reasons.includes('Landed after the last good release v1.1.')));

  const afterGuilty = await findSuspectsForStack({ repository, frames: stack, firstSeen, runGit, lastGoodRelease: sha.otherService, limit: 10 });
  assert.deepEqual(afterGuilty.suspects.map((s) => s.sha), [sha.sameService, sha.docs]);
  assert.ok(afterGuilty.suspects[0]!.reasons.includes(`Landed after the last good release ${sha.otherService.slice(0, 12)}.`));
  assert.ok(afterGuilty.suspects.every((s) => !s.reasons.some((reason) => reason.includes('line 42'))), 'blame stops at the release');

  const byDate = await findSuspectsForStack({ repository, frames: stack, firstSeen, runGit, lastGoodRelease: at(-2 * DAY), limit: 10 });
  assert.deepEqual(byDate.suspects.map((s) => s.sha), [sha.guilty, sha.sameService, sha.docs]);
  assert.match(byDate.suspects[0]!.reasons.at(-1)!, /^Landed after the last good release deployed at 2025-03-08T12:00:00\.000Z\.$/);
});

test('an unknown or hostile last good release is a gap, not an error, and never reaches git', async () => {
  for (const release of ['v9.9', '--output=/tmp/nightshift-pwned', 'HEAD:services/orders/src/price.ts', 'main..HEAD']) {
    const { runGit, calls } = recordingGit();
    const gaps: string[] = [];
    const { suspects } = await findSuspectsForStack({ repository, frames: stack, firstSeen, runGit, lastGoodRelease: release, reportGap: (gap) => gaps.push(gap) });
    assert.equal(suspects[0]?.sha, sha.guilty, release);
    assert.equal(gaps.length, 1, release);
    assert.match(gaps[0]!, /is not a commit in the repository; searched the 14 days before the first error instead/);
    if (release !== 'v9.9') assert.ok(calls.every((args) => args.every((arg) => !arg.includes(release))), `${release} was passed to git`);
  }
});

test('every spelling of the frame path finds the same culprit; a compiled frame still finds it by file', async () => {
  const runGit = createRunGit();
  const spellings: StackFrame[] = [
    { absPath: 'app:///src/price.ts' },
    { absPath: 'webpack:///./src/price.ts' },
    { absPath: 'file:///app/src/price.ts' },
    { absPath: '/srv/releases/42/src/price.ts' },
    { filename: 'src/price.ts' },
  ];
  for (const spelling of spellings) {
    const { suspects } = await findSuspectsForStack({ repository, frames: [{ ...spelling, lineno: 42, function: 'computeTotal' }], firstSeen, runGit });
    assert.equal(suspects[0]?.sha, sha.guilty, JSON.stringify(spelling));
    assert.match(suspects[0]!.reasons[0]!, /^Changed line 42 of services\/orders\/src\/price\.ts/);
  }
  const compiled = await findSuspectsForStack({ repository, frames: [{ absPath: '/app/dist/price.js', lineno: 1183, function: 'computeTotal' }], firstSeen, runGit });
  assert.equal(compiled.stack?.mapped[0]?.match.kind, 'compiled-source');
  assert.equal(compiled.suspects[0]?.sha, sha.guilty);
  assert.equal(compiled.suspects[0]!.reasons[0], 'Changed services/orders/src/price.ts (file of the top in-app frame, computeTotal), 6 h before the first error.');
});

test('hostile frame paths are refused before git sees them, and the search falls back', async () => {
  const hostile = ['--output=/tmp/nightshift-pwned', '-L1,1:/etc/passwd', ':(glob)**', '../../../etc/passwd', 'src/price.ts\n--exec=sh'];
  const { runGit, calls } = recordingGit();
  const gaps: string[] = [];
  const { suspects } = await findSuspectsForStack({
    repository,
    frames: hostile.map((path, index) => (index % 2 ? { absPath: path, lineno: 1 } : { filename: path, lineno: 1 })),
    firstSeen,
    runGit,
    reportGap: (gap) => gaps.push(gap),
  });
  assert.equal(gaps.length, hostile.length);
  assert.ok(gaps.every((gap) => gap.includes('was rejected')));
  assert.ok(suspects.length > 0 && suspects.every((s) => s.reasons[0]!.startsWith('No in-app stack frame could be mapped to a file')));
  for (const args of calls) for (const arg of args) for (const path of hostile) assert.ok(!arg.includes(path), `${path} reached git`);

  const direct: string[] = [];
  const viaFrames = await findSuspectCommits({
    repository,
    frames: [{ file: '--output=/tmp/nightshift-pwned', line: 1, depth: 0 }, { file: 'services/orders/../../etc/passwd', depth: 1 }],
    firstSeen,
    runGit,
    reportGap: (gap) => direct.push(gap),
  });
  assert.equal(direct.length, 2);
  assert.ok(viaFrames.length > 0);
  await assert.rejects(
    findSuspectCommits({ repository: { ...repository, ref: '--upload-pack=touch /tmp/x' }, frames: [], firstSeen, runGit }),
    InvalidRepositoryRefError,
  );
});

test('without frames, recent changes under the source root are offered with a low score, saying so', async () => {
  const suspects = await findSuspectCommits({ repository, frames: [], firstSeen, runGit: createRunGit(), limit: 10 });
  assert.deepEqual(suspects.map((s) => s.sha), [sha.sameService, sha.guilty, sha.earlier, sha.docs]);
  assert.ok(suspects.every((s) => s.score <= 0.2));
  assert.equal(suspects[0]!.reasons[0], 'No in-app stack frame could be mapped to a file, so this is only a recent change under services/orders, 3 h before the first error.');
});

test('a bare mirror answers the same, and an error before the first commit has no suspects', async () => {
  const mirror = `${repo.path}-mirror.git`;
  await repo.git(['clone', '--quiet', '--mirror', repo.path, mirror]);
  try {
    const runGit = createRunGit();
    const { suspects } = await findSuspectsForStack({ repository: { ...repository, path: mirror }, frames: stack, firstSeen, runGit });
    assert.deepEqual(suspects.map((s) => s.sha), [sha.guilty, sha.earlier, sha.sameService]);
    const early = await findSuspectsForStack({ repository: { ...repository, path: mirror }, frames: stack, firstSeen: at(-30 * DAY), runGit });
    assert.deepEqual(early.suspects, []);
  } finally {
    await rm(mirror, { recursive: true, force: true });
  }
});
