import { NightshiftError } from '../../../shared/errors.js';
import type { SuspectCommit } from '../report/triage-report.js';
import { blameFrameLines, type BlamedLine } from './blame-frame-lines.js';
import { computeLandingTimes } from './compute-landing-times.js';
import { isSafeRepositoryPath } from './is-safe-repository-path.js';
import { readCommitGraph } from './read-commit-graph.js';
import { readCommitsBySha, readCommitsTouching, type CommitInfo } from './read-commits.js';
import { isObjectId, isSafeRevision } from './resolve-revision.js';
import { resolveSuspectRange, type SuspectRange } from './resolve-suspect-range.js';
import type { RunGit } from './run-git.js';
import { scoreSuspect, type ScoringContext, type SuspectEvidence } from './score-suspect.js';
import type { FrameTouch, SuspectFrame } from './suspect-frame.js';
import { isUnderSourceRoot, normalizeSourceRoot, type SuspectRepository } from './suspect-repository.js';

export interface FindSuspectCommitsOptions {
  repository: SuspectRepository;
  /** Mapped in-app frames (`mapStackFrames(...).mapped`); empty falls back to recent changes under the source root. */
  frames: readonly SuspectFrame[];
  /** When the error first occurred; nothing that landed after it is a suspect. */
  firstSeen: Date;
  /** A tag or sha, or when it was deployed; commits it already contained are not suspects. */
  lastGoodRelease?: string | Date;
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

/** Lines blamed on each side of a frame's line: a guard removed just above a crash is as guilty as the line. */
const NEAR_LINES = 2;
/** Only the frames nearest the crash are blamed line by line; the rest count by file. */
const BLAMED_FRAMES = 5;
const MAX_FILES_REPORTED = 50;
const DAY_MS = 86_400_000;

/**
 * Ranks the commits that most plausibly caused an error first seen at `firstSeen`: those that changed the
 * crashing lines (found by blaming them at the revision deployed then), then those that changed the frames'
 * files, then anything under the service's source root — each weighted by how shortly before the error it
 * landed. Best first, at most `limit`. A constant number of git processes whatever the history's size.
 */
export async function findSuspectCommits(options: FindSuspectCommitsOptions): Promise<SuspectCommit[]> {
  const { repository, runGit, firstSeen, limit = 3, lookbackMs = 14 * DAY_MS, maxCommits = 5000 } = options;
  const reportGap = options.reportGap ?? (() => {});
  const ref = repository.ref ?? 'HEAD';
  if (!isSafeRevision(ref)) throw new InvalidRepositoryRefError(repository.name, ref);
  if (Number.isNaN(firstSeen.getTime()) || limit <= 0) return [];
  const gitDir = repository.path;
  const sourceRoot = normalizeSourceRoot(repository.sourceRoot);
  const frames = usableFrames(options.frames, reportGap);

  const range = await resolveSuspectRange({ runGit, gitDir, ref, firstSeen, lastGoodRelease: options.lastGoodRelease, lookbackMs, reportGap });
  if (!range) return [];

  const outside = [...new Set(frames.map((frame) => frame.file))].filter((file) => !isUnderSourceRoot(file, sourceRoot));
  const paths = sourceRoot === '' ? [] : [sourceRoot, ...outside];
  const [graph, touching, blamed] = await Promise.all([
    readCommitGraph(runGit, gitDir, range, maxCommits),
    readCommitsTouching(runGit, gitDir, range, paths, maxCommits),
    blameFrames(runGit, gitDir, range, frames, reportGap),
  ]);

  const commits = new Map(touching.map((commit) => [commit.sha, commit]));
  const missing = [...new Set(blamed.map((line) => line.sha))].filter((sha) => !commits.has(sha));
  const landings = computeLandingTimes(range.head, graph);
  const merges = [...new Set([...landings.values()].flatMap((landing) => (landing.mergeSha ? [landing.mergeSha] : [])))];
  const extra = await readCommitsBySha(runGit, gitDir, [...missing, ...merges.filter((sha) => !commits.has(sha))]);
  const subjects = new Map(extra.map((commit) => [commit.sha, commit.subject]));
  for (const commit of extra) if (missing.includes(commit.sha)) commits.set(commit.sha, commit);

  const context: ScoringContext = { firstSeen: firstSeen.getTime(), sourceRoot };
  if (range.lastGoodRelease) context.lastGoodRelease = describeRelease(range);
  if (frames.length === 0) context.fallback = 'No in-app stack frame could be mapped to a file';

  const suspects: Array<{ commit: CommitInfo; landedAt: number; score: number; reasons: string[] }> = [];
  for (const commit of commits.values()) {
    const landing = landings.get(commit.sha) ?? { landedAt: commit.committedAt };
    // Clock skew aside, neither can be later than the error for a commit that was deployed when it began.
    if (landing.landedAt > firstSeen.getTime() || commit.committedAt > firstSeen.getTime()) continue;
    const evidence: SuspectEvidence = {
      commit,
      landedAt: landing.landedAt,
      touches: touchesOf(commit, frames, blamed),
      touchesSourceRoot: commit.files.some((file) => isUnderSourceRoot(file, sourceRoot)),
    };
    if (evidence.touches.length === 0 && !evidence.touchesSourceRoot) continue;
    if (landing.mergeSha) {
      evidence.merge = { sha: landing.mergeSha };
      const subject = subjects.get(landing.mergeSha) ?? commits.get(landing.mergeSha)?.subject;
      if (subject) evidence.merge.subject = subject;
    }
    suspects.push({ commit, landedAt: landing.landedAt, ...scoreSuspect(evidence, context) });
  }

  suspects.sort((a, b) => b.score - a.score || b.landedAt - a.landedAt || a.commit.sha.localeCompare(b.commit.sha));
  return suspects.slice(0, limit).map(({ commit, score, reasons }) => ({
    repository: repository.name,
    sha: commit.sha,
    author: commit.author,
    committedAt: new Date(commit.committedAt).toISOString(),
    subject: commit.subject,
    files: commit.files.slice(0, MAX_FILES_REPORTED),
    score,
    reasons,
  }));
}

/** Frames whose file could be handed to git safely and whose line is plausible; the rest become gaps. */
function usableFrames(frames: readonly SuspectFrame[], reportGap: (gap: string) => void): SuspectFrame[] {
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

function describeRelease(range: SuspectRange): string {
  const label = range.lastGoodRelease ?? '';
  return isObjectId(label) ? label.slice(0, 12) : label;
}
