import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuspectCommit } from '../../../triage/report/triage-report.js';
import { createRunGit, GitCommandError, SAFE_GIT_OPTIONS, type RunGit } from '../../../triage/suspects/run-git.js';
import type { StrategyOutcome } from '../../fix-candidate.js';
import type { FixContext, FixStrategy } from '../fix-strategy.js';
import { renderRevertRationale, type RevertScope } from './render-revert-rationale.js';

export interface CreateRevertStrategyOptions {
  runGit?: RunGit;
  /**
   * A commit touching more files than this outside the crash's files is reverted only in the crash's files:
   * taking back a large unrelated change to fix one crash is not the smallest credible fix. Default 3.
   */
  maxUnrelatedFiles?: number;
}

// A partial revert is less certain than a whole one: the rest of the commit may be part of the cause.
const PARTIAL_FLOOR = 0.6;
const MAX_CONFIDENCE = 0.95;

/**
 * The `revert` rung: takes back the top suspect commit, whole when it reverts cleanly on the base and is not
 * mostly unrelated to the crash, otherwise only its hunks in the files of the in-app stack frames. Leaves
 * the workspace clean whenever it answers `ok: false`.
 */
export function createRevertStrategy({ runGit = createRunGit(), maxUnrelatedFiles = 3 }: CreateRevertStrategyOptions = {}): FixStrategy {
  return {
    name: 'revert',
    async propose(ctx: FixContext): Promise<StrategyOutcome> {
      const fail = (reason: string): StrategyOutcome => ({ ok: false, strategy: 'revert', reason, usage: [] });
      const ws = ctx.workspace;
      const git = (args: string[]): Promise<string> => runGit([...SAFE_GIT_OPTIONS, ...args], ws.dir);
      const suspect = ctx.report.suspectCommits[0];
      if (!suspect) return fail('triage named no suspect commit to revert');
      const label = `commit ${suspect.sha.slice(0, 12)} ("${suspect.subject.slice(0, 80)}")`;
      if (suspect.repository !== ws.repository) return fail(`the suspect ${label} is in ${suspect.repository}, not in ${ws.repository}`);

      const sha = (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${suspect.sha}^{commit}`]).catch(() => '')).trim();
      if (!sha) return fail(`the suspect ${label} is not in ${ws.repository}'s history`);
      const [, ...parents] = (await git(['rev-list', '--parents', '-n', '1', sha])).trim().split(' ');
      const parent = parents[0];
      if (!parent) return fail(`the suspect ${label} is the repository's first commit; reverting it would remove everything`);
      const inBase = await git(['merge-base', '--is-ancestor', sha, ws.baseSha]).then(
        () => true,
        (error: unknown) => {
          if (error instanceof GitCommandError && error.exitCode === 1) return false;
          throw error;
        },
      );
      if (!inBase) return fail(`the suspect ${label} is not in the base ${ws.baseSha.slice(0, 12)}: the code that crashed does not contain it`);

      const commitFiles = splitZ(await git(['diff', '--name-only', '--no-renames', '-z', parent, sha, '--']));
      const crashFiles = inAppFiles(ctx, ws.repository);
      const targets = commitFiles.filter((file) => crashFiles.has(file));
      const unrelated = commitFiles.filter((file) => !crashFiles.has(file));
      const mostlyUnrelated = crashFiles.size > 0 && unrelated.length > maxUnrelatedFiles;
      const isMerge = parents.length > 1;

      if (ctx.signal.aborted) return fail('the attempt was cancelled');
      let wholeConflicted = false;
      if (!mostlyUnrelated) {
        const reverted = await git(['revert', '--no-commit', ...(isMerge ? ['-m', '1'] : []), sha]).then(
          () => true,
          () => false,
        );
        // --no-commit leaves REVERT_HEAD behind; the fixer commits the change itself.
        await git(['revert', '--quit']).catch(() => undefined);
        if (reverted) return candidate(ctx, { suspect, sha, isMerge, scope: { kind: 'whole', files: commitFiles } }, fail);
        wholeConflicted = true;
        await ws.reset();
      }

      const why = wholeConflicted ? `reverting the whole ${label} conflicts with later changes on the base` : `${label} touches ${unrelated.length} files unrelated to the crash`;
      if (targets.length === 0) {
        const where = crashFiles.size === 0 ? 'triage mapped no in-app stack frame to a file' : `it changed none of the crash's files (${[...crashFiles].join(', ')})`;
        return fail(`${why}, and no partial revert is possible: ${where}`);
      }
      if (ctx.signal.aborted) return fail('the attempt was cancelled');
      const patch = await git(['diff', '--binary', '--full-index', '--no-renames', '--no-ext-diff', '--no-textconv', sha, parent, '--', ...targets]);
      const applied = await applyPatch(runGit, ws.dir, patch);
      if (!applied) {
        await ws.reset();
        return fail(`${why}, and its changes to ${targets.join(', ')} do not revert cleanly either`);
      }
      return candidate(
        ctx,
        { suspect, sha, isMerge, scope: { kind: 'partial', files: targets, kept: unrelated, why: wholeConflicted ? 'conflict' : 'unrelated' } },
        fail,
      );
    },
  };
}

async function candidate(
  ctx: FixContext,
  input: { suspect: SuspectCommit; sha: string; isMerge: boolean; scope: RevertScope },
  fail: (reason: string) => StrategyOutcome,
): Promise<StrategyOutcome> {
  const diff = await ctx.workspace.diff();
  if (diff.files.length === 0) {
    await ctx.workspace.reset();
    return fail(`reverting commit ${input.sha.slice(0, 12)} changes nothing: the base already undoes it`);
  }
  const score = Math.min(1, Math.max(0, input.suspect.score));
  const { scope } = input;
  const share = scope.kind === 'whole' ? 1 : scope.files.length / (scope.files.length + scope.kept.length);
  const factor = scope.kind === 'whole' ? 1 : PARTIAL_FLOOR + (1 - PARTIAL_FLOOR) * share;
  const confidence = Math.round(Math.min(MAX_CONFIDENCE, score * factor) * 100) / 100;
  const confidenceReason =
    scope.kind === 'whole'
      ? `the suspect's score, as the whole commit is reverted.`
      : `the suspect's score ${score.toFixed(2)} × ${factor.toFixed(2)}, as ${scope.files.length} of the commit's ${scope.files.length + scope.kept.length} files are reverted.`;
  ctx.log.info({ sha: input.sha, scope: scope.kind, files: scope.files.length, confidence }, 'revert candidate ready');
  return {
    ok: true,
    candidate: {
      ...diff,
      strategy: 'revert',
      rationale: renderRevertRationale({ ...input, confidence, confidenceReason }),
      confidence,
      usage: [],
    },
  };
}

/** Repository-relative files of the crash frame and its in-app callers, when they are in this repository. */
function inAppFiles(ctx: FixContext, repository: string): Set<string> {
  const crash = ctx.report.crash;
  if (!crash || crash.repository !== repository) return new Set();
  return new Set([crash.file, ...crash.callers.map((caller) => caller.file)].filter(Boolean));
}

/** `git apply --3way`: clean application or nothing (the caller resets on failure). */
async function applyPatch(runGit: RunGit, dir: string, patch: string): Promise<boolean> {
  if (!patch) return false;
  const scratch = await mkdtemp(join(tmpdir(), 'nightshift-revert-'));
  try {
    const file = join(scratch, 'revert.patch');
    await writeFile(file, patch);
    return await runGit(['apply', '--3way', '--whitespace=nowarn', file], dir).then(
      () => true,
      () => false,
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function splitZ(out: string): string[] {
  return out.split('\0').filter(Boolean);
}
