import type { SuspectCommit } from '../report/triage-report.js';
import { checkedRef, DEFAULT_LOOKBACK_MS, DEFAULT_MAX_COMMITS, usableFrames, type FindSuspectCommitsOptions } from './find-suspect-commits.js';
import type { TrackedFilesCache } from './load-tracked-files.js';
import { mapStackFrames, type MappedStack } from './map-stack-frames.js';
import { rankSuspectCommits } from './rank-suspect-commits.js';
import { resolveSuspectRange } from './resolve-suspect-range.js';
import type { StackFrame } from './stack-frame.js';
import { normalizeSourceRoot } from './suspect-repository.js';

export interface FindSuspectsForStackOptions extends Omit<FindSuspectCommitsOptions, 'frames'> {
  /** The error's frames in Sentry's order: outermost call first, the crashing frame last. */
  frames: readonly StackFrame[];
  cache?: TrackedFilesCache;
}

/**
 * The whole step for one error: maps its frames against the files tracked at the revision deployed when it
 * began (so files renamed or deleted since still resolve), then ranks suspect commits. In-app frames that
 * could not be mapped are reported as gaps; library frames are not. `stack` is undefined when the branch has
 * no commit before the first error.
 */
export async function findSuspectsForStack(options: FindSuspectsForStackOptions): Promise<{ suspects: SuspectCommit[]; stack: MappedStack | undefined }> {
  const { repository, runGit, firstSeen, limit = 3 } = options;
  const reportGap = options.reportGap ?? (() => {});
  const ref = checkedRef(repository);
  if (Number.isNaN(firstSeen.getTime()) || limit <= 0) return { suspects: [], stack: undefined };
  const range = await resolveSuspectRange({
    runGit,
    gitDir: repository.path,
    ref,
    firstSeen,
    lastGoodRelease: options.lastGoodRelease,
    lookbackMs: options.lookbackMs ?? DEFAULT_LOOKBACK_MS,
    reportGap,
  });
  if (!range) return { suspects: [], stack: undefined };

  const stack = await mapStackFrames({ repository, frames: options.frames, runGit, revision: range.head, ...(options.cache ? { cache: options.cache } : {}) });
  for (const unmapped of stack.unmapped) if (unmapped.reason !== 'not-in-app') reportGap(unmapped.detail);
  const suspects = await rankSuspectCommits({
    repositoryName: repository.name,
    gitDir: repository.path,
    sourceRoot: normalizeSourceRoot(repository.sourceRoot),
    range,
    frames: usableFrames(stack.mapped, reportGap),
    firstSeen,
    limit,
    maxCommits: options.maxCommits ?? DEFAULT_MAX_COMMITS,
    runGit,
    reportGap,
  });
  return { suspects, stack };
}
