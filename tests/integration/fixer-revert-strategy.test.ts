import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import pino from 'pino';
import { checkDiffPolicy } from '../../services/fixer/policy/check-diff-policy.js';
import { createRevertStrategy } from '../../services/fixer/strategies/revert/create-revert-strategy.js';
import type { FixContext } from '../../services/fixer/strategies/fix-strategy.js';
import { createWorkspaceManager } from '../../services/fixer/workspace/create-workspace-manager.js';
import type { Workspace } from '../../services/fixer/workspace/workspace.js';
import type { CrashSite, SuspectCommit, TriageReport } from '../../services/triage/report/triage-report.js';
import { createRunGit } from '../../services/triage/suspects/run-git.js';
import { DEFAULT_FIXER_CONFIG } from '../../shared/config/fixer-schema.js';
import { createTestGitRepo, lines, type TestGitRepo } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/wait.js';

const quietLog = pino({ level: 'silent' });
const runGit = createRunGit();
const date = new Date('2025-03-10T12:00:00Z');
const dev = { name: 'Dana Dev', email: 'dana@example.test' };
const roots: Array<{ cleanup(): Promise<void> }> = [];
after(async () => Promise.all(roots.map((r) => r.cleanup())));

const GOOD_PRICE = lines('export function total(items) {', '  return items.reduce((sum, item) => sum + item.price * item.qty, 0);', '}');
const BAD_PRICE = lines('export function total(items) {', '  return items.reduce((sum, item) => sum + item.price * item.qty * item.discount, 0);', '}');
// The bug's reproduction: exits 1 while total() is wrong.
const CHECK = lines(
  "import { total } from './src/price.mjs';",
  'const got = total([{ price: 2, qty: 3 }]);',
  "if (got !== 6) { console.error(`expected 6, got ${got}`); process.exit(1); }",
);

async function passes(dir: string): Promise<boolean> {
  return promisify(execFile)(process.execPath, ['check.mjs'], { cwd: dir }).then(() => true, () => false);
}

async function baseRepo(): Promise<TestGitRepo> {
  const repo = await createTestGitRepo();
  roots.push(repo);
  await repo.commit({ message: 'Shop', date, files: { 'src/price.mjs': GOOD_PRICE, 'check.mjs': CHECK, 'README.md': lines('# Shop', 'Prices in cents.'), 'docs/a.md': 'a\n', 'docs/b.md': 'b\n', 'docs/c.md': 'c\n', 'docs/d.md': 'd\n' } });
  return repo;
}

function suspectOf(sha: string, subject: string, score = 0.8): SuspectCommit {
  return { repository: 'acme/shop', sha, author: dev.name, committedAt: date.toISOString(), subject, files: [], score, reasons: ['Changed line 2 of src/price.mjs (top in-app frame, total) 30 min before the first error.'] };
}

const crash: CrashSite = { repository: 'acme/shop', file: 'src/price.mjs', line: 2, function: 'total', errorType: 'Error', callers: [{ file: 'src/cart.mjs', line: 9 }] };

function contextFor(workspace: Workspace, suspectCommits: SuspectCommit[]): FixContext {
  const report = { incidentId: 'inc-1', title: 'Totals are NaN', services: ['shop'], suspectCommits, crash, rootCause: null, ranking: [], templates: [], timeline: [], callGraph: [], gaps: [], window: { from: 0, to: 1, baselineFrom: 0 } } satisfies TriageReport;
  return {
    incident: { id: 'inc-1' } as FixContext['incident'],
    report,
    permissions: { strategies: ['revert'], modelTier: 'small', maxTokens: 1, maxUsd: 0, repositories: [], paths: [], verificationProfile: null, reviewers: [], labels: [], requireApproval: false },
    workspace,
    alerts: [],
    log: quietLog,
    signal: new AbortController().signal,
  };
}

async function open(repo: TestGitRepo, attemptId: string, baseRef?: string): Promise<Workspace> {
  const root = await tempDir('nightshift-revert-');
  roots.push(root);
  const manager = createWorkspaceManager({ rootDir: root.path, author: { name: 'Nightshift', email: 'n@n.test' }, log: quietLog });
  return manager.open({ repository: 'acme/shop', source: repo.path, incidentId: 'inc-1', attemptId, ...(baseRef ? { baseRef } : {}) });
}

async function assertClean(ws: Workspace): Promise<void> {
  assert.equal((await ws.diff()).files.length, 0);
  assert.equal((await runGit(['status', '--porcelain'], ws.dir)).trim(), '');
  await assert.rejects(runGit(['rev-parse', '--verify', '--quiet', 'REVERT_HEAD'], ws.dir));
}

test('the whole suspect commit is reverted when it applies cleanly, and the reproduction passes again', async () => {
  const repo = await baseRepo();
  const bad = await repo.commit({ message: 'Apply discounts', author: dev, date, files: { 'src/price.mjs': BAD_PRICE, 'CHANGELOG.md': lines('- discounts') } });
  await repo.commit({ message: 'Docs', date, files: { 'README.md': lines('# Shop', 'Prices in cents, always.') } });
  const ws = await open(repo, 'whole');
  assert.equal(await passes(ws.dir), false);

  const outcome = await createRevertStrategy().propose(contextFor(ws, [suspectOf(bad, 'Apply discounts')]));
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.equal(await passes(ws.dir), true);
  assert.deepEqual([...outcome.candidate.files].sort(), ['CHANGELOG.md', 'src/price.mjs']);
  assert.deepEqual(outcome.candidate.deleted, ['CHANGELOG.md']);
  assert.equal(outcome.candidate.strategy, 'revert');
  assert.equal(outcome.candidate.confidence, 0.8);
  assert.match(outcome.candidate.rationale, new RegExp(`commit \`${bad.slice(0, 12)}\` "Apply discounts" by Dana Dev`));
  assert.match(outcome.candidate.rationale, /the whole commit \(2 files: `CHANGELOG\.md`, `src\/price\.mjs`\)/);
  await assert.rejects(runGit(['rev-parse', '--verify', '--quiet', 'REVERT_HEAD'], ws.dir), 'no revert left in progress');
  assert.deepEqual(checkDiffPolicy(outcome.candidate, DEFAULT_FIXER_CONFIG.policy, { paths: ['src/**'] }), {
    ok: false,
    violations: [{ rule: 'outside-permitted-paths', file: 'CHANGELOG.md', message: "CHANGELOG.md is outside the paths this incident's rule allows (src/**): limit the change to those paths" }],
  });
  assert.deepEqual(checkDiffPolicy(outcome.candidate, DEFAULT_FIXER_CONFIG.policy), { ok: true });
  await ws.commit('Revert "Apply discounts"');
  await ws.dispose();
});

test('a commit mostly unrelated to the crash is reverted only in the crash files', async () => {
  const repo = await baseRepo();
  const docs = { 'docs/a.md': 'A\n', 'docs/b.md': 'B\n', 'docs/c.md': 'C\n', 'docs/d.md': 'D\n' };
  const bad = await repo.commit({ message: 'Discounts and docs', author: dev, date, files: { 'src/price.mjs': BAD_PRICE, ...docs } });
  const ws = await open(repo, 'unrelated');
  const outcome = await createRevertStrategy().propose(contextFor(ws, [suspectOf(bad, 'Discounts and docs', 0.9)]));
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual(outcome.candidate.files, ['src/price.mjs']);
  assert.equal(await passes(ws.dir), true);
  assert.equal(await readFile(join(ws.dir, 'docs/a.md'), 'utf8'), 'A\n', 'the unrelated change stays');
  assert.match(outcome.candidate.rationale, /only its changes to `src\/price\.mjs`.*touches 4 files unrelated to the crash/);
  // 0.9 × (0.6 + 0.4 × 1/5)
  assert.equal(outcome.candidate.confidence, 0.61);
  await ws.dispose();
});

test('when the whole revert conflicts, the crash files alone are reverted', async () => {
  const repo = await baseRepo();
  const bad = await repo.commit({ message: 'Discounts', author: dev, date, files: { 'src/price.mjs': BAD_PRICE, 'README.md': lines('# Shop', 'Prices in cents, discounted.') } });
  await repo.commit({ message: 'Rewrite the readme', date, files: { 'README.md': lines('# Shop', 'Prices are integers of cents.') } });
  const ws = await open(repo, 'conflict-partial');
  const outcome = await createRevertStrategy().propose(contextFor(ws, [suspectOf(bad, 'Discounts')]));
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual(outcome.candidate.files, ['src/price.mjs']);
  assert.equal(await passes(ws.dir), true);
  assert.equal(await readFile(join(ws.dir, 'README.md'), 'utf8'), lines('# Shop', 'Prices are integers of cents.'));
  assert.match(outcome.candidate.rationale, /does not revert cleanly on the base/);
  await ws.dispose();
});

test('a suspect whose lines were rewritten since is refused, leaving the workspace clean', async () => {
  const repo = await baseRepo();
  const bad = await repo.commit({ message: 'Discounts', author: dev, date, files: { 'src/price.mjs': BAD_PRICE } });
  await repo.commit({ message: 'Round', date, files: { 'src/price.mjs': BAD_PRICE.replace('item.discount', 'Math.round(item.discount)') } });
  const ws = await open(repo, 'conflict');
  const outcome = await createRevertStrategy().propose(contextFor(ws, [suspectOf(bad, 'Discounts')]));
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok);
  assert.match(outcome.reason, /conflicts with later changes.*src\/price\.mjs do not revert cleanly either/);
  await assertClean(ws);
  await ws.dispose();
});

test('a merge commit as the suspect is reverted against its first parent', async () => {
  const repo = await baseRepo();
  await repo.git(['checkout', '--quiet', '-b', 'discounts']);
  await repo.commit({ message: 'Apply discounts', author: dev, date, files: { 'src/price.mjs': BAD_PRICE } });
  await repo.git(['checkout', '--quiet', 'main']);
  await repo.commit({ message: 'Docs', date, files: { 'docs/a.md': 'mainline\n' } });
  const merge = await repo.merge('discounts', { message: 'Merge pull request #12 from acme/discounts', date });
  const ws = await open(repo, 'merge');
  assert.equal(await passes(ws.dir), false);
  const outcome = await createRevertStrategy().propose(contextFor(ws, [suspectOf(merge, 'Merge pull request #12 from acme/discounts')]));
  assert.ok(outcome.ok, JSON.stringify(outcome));
  assert.deepEqual(outcome.candidate.files, ['src/price.mjs']);
  assert.equal(await passes(ws.dir), true);
  assert.equal(await readFile(join(ws.dir, 'docs/a.md'), 'utf8'), 'mainline\n', 'the mainline change stays');
  assert.match(outcome.candidate.rationale, /Reverts merge commit .*against its first parent/s);
  await ws.dispose();
});

test('no suspect, a suspect in another repository, or one newer than the base: a reason, not a candidate', async () => {
  const repo = await baseRepo();
  const base = (await repo.git(['rev-parse', 'HEAD'])).trim();
  const bad = await repo.commit({ message: 'Discounts', author: dev, date, files: { 'src/price.mjs': BAD_PRICE } });
  const ws = await open(repo, 'refusals', base);
  const strategy = createRevertStrategy();
  const reasons: string[] = [];
  for (const suspects of [[], [{ ...suspectOf(bad, 'Discounts'), repository: 'acme/other' }], [suspectOf(bad, 'Discounts')], [suspectOf('0123456789abcdef0123456789abcdef01234567', 'Gone')]]) {
    const outcome = await strategy.propose(contextFor(ws, suspects));
    assert.ok(!outcome.ok);
    reasons.push(outcome.reason);
  }
  assert.match(reasons[0] ?? '', /no suspect commit/);
  assert.match(reasons[1] ?? '', /is in acme\/other, not in acme\/shop/);
  assert.match(reasons[2] ?? '', /is not in the base/);
  assert.match(reasons[3] ?? '', /not in acme\/shop's history/);
  await assertClean(ws);
  await ws.dispose();
});
