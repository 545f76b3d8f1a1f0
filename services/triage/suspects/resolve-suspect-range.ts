import { findRevisionAt, resolveRevision } from './resolve-revision.js';
import type { RunGit } from './run-git.js';

/** The commits suspect search looks at: reachable from `head` and not from `base`. */
export interface SuspectRange {
  /** What was deployed when the error first appeared: the newest first-parent commit at or before firstSeen. */
  head: string;
  /** Exclusive lower bound; absent when the search reaches the first commit. */
  base?: string;
  /** How the last good release was named, when it bounds the range. */
  lastGoodRelease?: string;
}

/**
 * Bounds the search by graph, not by date: a branch written last month but merged an hour before the error
 * lies inside `lastGood..head`, while a `--since` filter would drop it. Without a usable last good release
 * the bound is whatever was deployed `lookbackMs` before the first error. `undefined` when the branch has no
 * commit before the first error at all.
 */
export async function resolveSuspectRange({
  runGit,
  gitDir,
  ref,
  firstSeen,
  lastGoodRelease,
  lookbackMs,
  reportGap,
}: {
  runGit: RunGit;
  gitDir: string;
  ref: string;
  firstSeen: Date;
  lastGoodRelease: string | Date | undefined;
  lookbackMs: number;
  reportGap: (gap: string) => void;
}): Promise<SuspectRange | undefined> {
  const tip = await resolveRevision(runGit, gitDir, ref);
  if (!tip) {
    reportGap(`the repository has no ${JSON.stringify(ref)} to look for suspect commits on`);
    return undefined;
  }
  const head = await findRevisionAt(runGit, gitDir, tip, firstSeen);
  if (!head) return undefined;

  if (typeof lastGoodRelease === 'string') {
    const base = await resolveRevision(runGit, gitDir, lastGoodRelease);
    if (base) return { head, base, lastGoodRelease };
    reportGap(`the last good release ${JSON.stringify(lastGoodRelease.slice(0, 100))} is not a commit in the repository; searched the ${describeDays(lookbackMs)} before the first error instead`);
  } else if (lastGoodRelease instanceof Date && !Number.isNaN(lastGoodRelease.getTime())) {
    if (lastGoodRelease.getTime() <= firstSeen.getTime()) {
      const base = await findRevisionAt(runGit, gitDir, head, lastGoodRelease);
      const label = `deployed at ${lastGoodRelease.toISOString()}`;
      return base ? { head, base, lastGoodRelease: label } : { head, lastGoodRelease: label };
    }
    reportGap(`the last good release (${lastGoodRelease.toISOString()}) is after the first error; searched the ${describeDays(lookbackMs)} before the first error instead`);
  }

  const base = await findRevisionAt(runGit, gitDir, head, new Date(firstSeen.getTime() - lookbackMs));
  return base ? { head, base } : { head };
}

function describeDays(ms: number): string {
  const days = Math.round(ms / 86_400_000);
  return days === 1 ? 'day' : `${days} days`;
}
