import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunGit, type RunGit } from '../triage/suspects/run-git.js';
import type { Workspace } from '../fixer/workspace/workspace.js';

/**
 * Applies a drafted candidate's diff to a checkout of its base. The verifier rebuilds the fix from the
 * stored diff rather than fetching the pushed branch, so it works the same on every forge.
 */
export async function applyCandidateDiff(workspace: Workspace, diff: string, runGit: RunGit = createRunGit()): Promise<void> {
  if (diff.trim() === '') throw new Error('the candidate has an empty diff');
  const dir = await mkdtemp(join(tmpdir(), 'nightshift-diff-'));
  try {
    const file = join(dir, 'candidate.diff');
    await writeFile(file, diff.endsWith('\n') ? diff : `${diff}\n`);
    await runGit(['apply', '--binary', '--whitespace=nowarn', file], workspace.dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
