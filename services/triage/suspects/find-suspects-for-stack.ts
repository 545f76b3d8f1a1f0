import type { SuspectCommit } from '../report/triage-report.js';
import { findSuspectCommits, InvalidRepositoryRefError, type FindSuspectCommitsOptions } from './find-suspect-commits.js';
import type { TrackedFilesCache } from './load-tracked-files.js';
import { mapStackFrames, type MappedStack } from './map-stack-frames.js';
import { findRevisionAt, isSafeRevision, resolveRevision } from './resolve-revision.js';
import type { StackFrame } from './stack-frame.js';

export interface FindSuspectsForStackOptions extends Omit<FindSuspectCommitsOptions, 'frames'> {
  /** The error's frames in Sentry's order: outermost call first, the crashing frame last. */
  frames: readonly StackFrame[];
  cache?: TrackedFilesCache;
}

/**
 * The whole step for one error: maps its frames against the files tracked at the revision deployed when it
 * began (so renamed or deleted files still resolve), then ranks suspect commits. In-app frames that could
 * not be mapped are reported as gaps; library frames are not.
 */
export async function findSuspectsForStack(options: FindSuspectsForStackOptions): Promise<{ suspects: SuspectCommit[]; stack: MappedStack | undefined }> {
  const { repository, runGit, firstSeen, frames, cache, ...rest } = options;
  const reportGap = options.reportGap ?? (() => {});
  const ref = repository.ref ?? 'HEAD';
  if (!isSafeRevision(ref)) throw new InvalidRepositoryRefError(repository.name, ref);

  const tip = await resolveRevision(runGit, repository.path, ref);
  const deployed = tip && !Number.isNaN(firstSeen.getTime()) ? await findRevisionAt(runGit, repository.path, tip, firstSeen) : undefined;
  let stack: MappedStack | undefined;
  if (deployed && frames.length > 0) {
    stack = await mapStackFrames({ repository, frames, runGit, revision: deployed, ...(cache ? { cache } : {}) });
    for (const unmapped of stack.unmapped) if (unmapped.reason !== 'not-in-app') reportGap(unmapped.detail);
  }
  const suspects = await findSuspectCommits({ ...rest, repository, runGit, firstSeen, reportGap, frames: stack?.mapped ?? [] });
  return { suspects, stack };
}
