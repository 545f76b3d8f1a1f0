import { NightshiftError } from '../../../shared/errors.js';
import type { SuspectCommit } from '../report/triage-report.js';
import { isSafeRepositoryPath } from './is-safe-repository-path.js';
import { rankSuspectCommits } from './rank-suspect-commits.js';
import { isSafeRevision } from './resolve-revision.js';
import { resolveSuspectRange } from './resolve-suspect-range.js';
import type { RunGit } from './run-git.js';
import type { SuspectFrame } from './suspect-frame.js';
import { normalizeSourceRoot, type SuspectRepository } from './suspect-repository.js';

export interface FindSuspectCommitsOptions {
  repository: SuspectRepository;
  /** Mapped in-app frames (`mapStackFrames(...).mapped`); empty falls back to recent changes under the source root. */
  frames: readonly SuspectFrame[];
  /** When the error first occurred; nothing that landed after it is a suspect. */
  firstSeen: Date;
  /** A tag or sha, or when it was deployed; commits it already contained are not suspects. */
  lastGoodRelease?: string | Date;
  /** Default 3. */
  limit?: number;
  runGit: RunGit;
  /** How far back to look when there is no usable last good release. Default 14 days. */
  lookbackMs?: number;
  /** Upper bound on commits read from history, so a huge range stays fast. Default 5000. */
  maxCommits?: number;
  /** Receives one sentence per piece of evidence that could not be gathered (for `TriageReport.gaps`). */
  reportGap?: (gap: string) => void;
}

export class InvalidRepositoryRefError extends NightshiftError {
  constructor(repository: string, ref: string) {
    super('INVALID_REPOSITORY_REF', `repository ${repository}: ${JSON.stringify(ref.slice(0, 100))} is not a usable branch or revision name`);
  }
}

export const DEFAULT_LOOKBACK_MS = 14 * 86_400_000;
export const DEFAULT_MAX_COMMITS = 5000;

/**
 * Ranks the commits that most plausibly caused an error first seen at `firstSeen`: those that changed the
 * crashing lines (found by blaming them at the revision deployed then), then those that changed the frames'
 * files, then anything under the service's source root — each weighted by how shortly before the error it
 * landed. Best first, at most `limit`. A constant number of git processes whatever the history's size.
 */
export async function findSuspectCommits(options: FindSuspectCommitsOptions): Promise<SuspectCommit[]> {
  const { repository, runGit, firstSeen, limit = 3 } = options;
  const reportGap = options.reportGap ?? (() => {});
  const ref = checkedRef(repository);
  if (Number.isNaN(firstSeen.getTime()) || limit <= 0) return [];
  const frames = usableFrames(options.frames, reportGap);
  const range = await resolveSuspectRange({
    runGit,
    gitDir: repository.path,
    ref,
    firstSeen,
    lastGoodRelease: options.lastGoodRelease,
    lookbackMs: options.lookbackMs ?? DEFAULT_LOOKBACK_MS,
    reportGap,
  });
  if (!range) return [];
  return rankSuspectCommits({
    repositoryName: repository.name,
    gitDir: repository.path,
    sourceRoot: normalizeSourceRoot(repository.sourceRoot),
    range,
    frames,
    firstSeen,
    limit,
    maxCommits: options.maxCommits ?? DEFAULT_MAX_COMMITS,
    runGit,
    reportGap,
  });
}

/** The repository's deployed ref, refused outright if it could be read as an option (it comes from config). */
export function checkedRef(repository: SuspectRepository): string {
  const ref = repository.ref ?? 'HEAD';
  if (!isSafeRevision(ref)) throw new InvalidRepositoryRefError(repository.name, ref);
  return ref;
}

/** Frames whose file could be handed to git safely and whose line is plausible; the rest become gaps. */
export function usableFrames(frames: readonly SuspectFrame[], reportGap: (gap: string) => void): SuspectFrame[] {
  const usable: SuspectFrame[] = [];
  for (const frame of frames) {
    if (!isSafeRepositoryPath(frame.file)) {
      reportGap(`frame file ${JSON.stringify(frame.file.slice(0, 120))} is not a repository path; it was ignored`);
      continue;
    }
    const line = frame.line !== undefined && Number.isInteger(frame.line) && frame.line > 0 && frame.line < 10_000_000 ? frame.line : undefined;
    const copy: SuspectFrame = { file: frame.file, depth: Number.isInteger(frame.depth) && frame.depth >= 0 ? frame.depth : usable.length };
    if (line !== undefined) copy.line = line;
    if (frame.function) copy.function = frame.function;
    usable.push(copy);
  }
  return usable;
}
