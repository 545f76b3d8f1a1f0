import type { SuspectCommit } from '../report/triage-report.js';
import { blameFrameLines, type BlamedLine } from './blame-frame-lines.js';
import { computeLandingTimes, type Landing } from './compute-landing-times.js';
import { readCommitGraph } from './read-commit-graph.js';
import { readCommitsBySha, readCommitsTouching, type CommitInfo } from './read-commits.js';
import { isObjectId } from './resolve-revision.js';
import type { SuspectRange } from './resolve-suspect-range.js';
import type { RunGit } from './run-git.js';
import { scoreSuspect, type ScoringContext, type SuspectEvidence } from './score-suspect.js';
import type { FrameTouch, SuspectFrame } from './suspect-frame.js';
import { isUnderSourceRoot } from './suspect-repository.js';

/** Lines blamed on each side of a frame's line: a guard removed just above a crash is as guilty as the line. */
const NEAR_LINES = 2;
/** Only the frames nearest the crash are blamed line by line; the rest count by file. */
const BLAMED_FRAMES = 5;
const MAX_FILES_REPORTED = 50;

export interface RankSuspectCommitsInput {
  repositoryName: string;
  gitDir: string;
  /** Normalised (`normalizeSourceRoot`). */
  sourceRoot: string;
  range: SuspectRange;
  /** Already checked with `isSafeRepositoryPath`. */
  frames: readonly SuspectFrame[];
  firstSeen: Date;
  limit: number;
  maxCommits: number;
  runGit: RunGit;
  reportGap: (gap: string) => void;
}

/**
 * Scores every commit in the range that touched the service or a frame's file, best first. Three git
 * processes run side by side (graph, log, one blame per frame file), plus at most two small follow-ups.
 */
export async function rankSuspectCommits(input: RankSuspectCommitsInput): Promise<SuspectCommit[]> {
  const { runGit, gitDir, range, frames, sourceRoot, firstSeen } = input;
  const outside = [...new Set(frames.map((frame) => frame.file))].filter((file) => !isUnderSourceRoot(file, sourceRoot));
  const paths = sourceRoot === '' ? [] : [sourceRoot, ...outside];
  const [graph, touching, blamed] = await Promise.all([
    readCommitGraph(runGit, gitDir, range, input.maxCommits),
    readCommitsTouching(runGit, gitDir, range, paths, input.maxCommits),
    blameFrames(runGit, gitDir, range, frames, input.reportGap),
  ]);

  const commits = new Map(touching.map((commit) => [commit.sha, commit]));
  // Blame can name a commit the log left out (history simplification, an evil merge): fetch those few.
  const missing = [...new Set(blamed.map((line) => line.sha))].filter((sha) => !commits.has(sha));
  for (const commit of await readCommitsBySha(runGit, gitDir, missing)) commits.set(commit.sha, commit);
  const landings = computeLandingTimes(range.head, graph);

  const context: ScoringContext = { firstSeen: firstSeen.getTime(), sourceRoot };
  if (range.lastGoodRelease) context.lastGoodRelease = isObjectId(range.lastGoodRelease) ? range.lastGoodRelease.slice(0, 12) : range.lastGoodRelease;
  if (frames.length === 0) context.fallback = 'No in-app stack frame could be mapped to a file';

  const scored: Array<{ evidence: SuspectEvidence; score: number; reasons: string[] }> = [];
  for (const commit of commits.values()) {
    const landing: Landing = landings.get(commit.sha) ?? { landedAt: commit.committedAt };
    // Clock skew aside, neither can be later than the error for a commit that was deployed when it began.
    if (landing.landedAt > firstSeen.getTime() || commit.committedAt > firstSeen.getTime()) continue;
    const evidence: SuspectEvidence = {
      commit,
      landedAt: landing.landedAt,
      touches: touchesOf(commit, frames, blamed),
      touchesSourceRoot: commit.files.some((file) => isUnderSourceRoot(file, sourceRoot)),
    };
    if (evidence.touches.length === 0 && !evidence.touchesSourceRoot) continue;
    if (landing.mergeSha) evidence.merge = { sha: landing.mergeSha };
    scored.push({ evidence, ...scoreSuspect(evidence, context) });
  }
  scored.sort((a, b) => b.score - a.score || b.evidence.landedAt - a.evidence.landedAt || a.evidence.commit.sha.localeCompare(b.evidence.commit.sha));
  const best = scored.slice(0, input.limit);

  // Merge subjects only change the wording, so they are read for the shortlist, not for every merge in range.
  const mergeShas = [...new Set(best.flatMap(({ evidence }) => (evidence.merge ? [evidence.merge.sha] : [])))];
  const subjects = new Map((await readCommitsBySha(runGit, gitDir, mergeShas)).map((merge) => [merge.sha, merge.subject]));
  return best.map(({ evidence, score, reasons }) => {
    const subject = evidence.merge ? subjects.get(evidence.merge.sha) : undefined;
    if (evidence.merge && subject) reasons = scoreSuspect({ ...evidence, merge: { ...evidence.merge, subject } }, context).reasons;
    const { commit } = evidence;
    return {
      repository: input.repositoryName,
      sha: commit.sha,
      author: commit.author,
      committedAt: new Date(commit.committedAt).toISOString(),
      subject: commit.subject,
      files: commit.files.slice(0, MAX_FILES_REPORTED),
      score,
      reasons,
    };
  });
}

async function blameFrames(
  runGit: RunGit,
  gitDir: string,
  range: SuspectRange,
  frames: readonly SuspectFrame[],
  reportGap: (gap: string) => void,
): Promise<BlamedLine[]> {
  const linesByFile = new Map<string, number[]>();
  const nearest = [...frames].filter((frame) => frame.line !== undefined).sort((a, b) => a.depth - b.depth).slice(0, BLAMED_FRAMES);
  for (const frame of nearest) {
    const lines = linesByFile.get(frame.file) ?? [];
    for (let line = frame.line! - NEAR_LINES; line <= frame.line! + NEAR_LINES; line++) if (line > 0) lines.push(line);
    linesByFile.set(frame.file, lines);
  }
  const results = await Promise.all(
    [...linesByFile].map(([file, lines]) =>
      blameFrameLines(runGit, gitDir, range, file, lines).catch((error: unknown) => {
        reportGap(`could not blame ${file} at ${range.head.slice(0, 12)}: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }),
    ),
  );
  return results.flat();
}

/** The strongest relation of `commit` to each frame: it last changed the frame's line, a line near it, or its file. */
function touchesOf(commit: CommitInfo, frames: readonly SuspectFrame[], blamed: readonly BlamedLine[]): FrameTouch[] {
  const mine = blamed.filter((line) => line.sha === commit.sha);
  const touches: FrameTouch[] = [];
  // A file changed once is one piece of evidence, however many frames run through it.
  const filesCounted = new Set<string>();
  for (const frame of [...frames].sort((a, b) => a.depth - b.depth)) {
    const inFile = mine.filter((line) => line.file === frame.file);
    if (frame.line !== undefined && inFile.some((line) => line.line === frame.line)) {
      touches.push({ kind: 'line', frame });
      filesCounted.add(frame.file);
      continue;
    }
    const near = frame.line === undefined ? [] : inFile.filter((line) => Math.abs(line.line - frame.line!) <= NEAR_LINES);
    near.sort((a, b) => Math.abs(a.line - frame.line!) - Math.abs(b.line - frame.line!));
    if (near[0]) {
      touches.push({ kind: 'near-line', frame, changedLine: near[0].line });
      filesCounted.add(frame.file);
    } else if ((inFile.length > 0 || commit.files.includes(frame.file)) && !filesCounted.has(frame.file)) {
      touches.push({ kind: 'file', frame });
      filesCounted.add(frame.file);
    }
  }
  return touches;
}
