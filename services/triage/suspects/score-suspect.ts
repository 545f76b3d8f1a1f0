import { describeLeadTime } from './describe-lead-time.js';
import { isTestOrDocFile } from './is-test-or-doc-file.js';
import type { CommitInfo } from './read-commits.js';
import type { FrameTouch, SuspectFrame } from './suspect-frame.js';

export interface SuspectEvidence {
  commit: CommitInfo;
  landedAt: number;
  /** The merge that brought the commit onto the deployed branch, when it came from a side branch. */
  merge?: { sha: string; subject?: string };
  /** At most one touch per frame, the strongest. */
  touches: FrameTouch[];
  touchesSourceRoot: boolean;
}

export interface ScoringContext {
  /** Epoch ms of the first occurrence. */
  firstSeen: number;
  /** Normalised; "" for the whole repository. */
  sourceRoot: string;
  /** How the last good release was named, when the search started after it. */
  lastGoodRelease?: string;
  /** Set when there were no frames to go on; says why, as the start of a sentence. */
  fallback?: string;
}

// Points out of ~100; the score is points / 100. Kept as a table so the weighting can be read at a glance.
const TOUCH_POINTS: Record<FrameTouch['kind'], { top: number; other: number }> = {
  line: { top: 60, other: 40 },
  'near-line': { top: 35, other: 25 },
  file: { top: 22, other: 15 },
};
const SOURCE_ROOT_POINTS = 5;
const RECENCY_POINTS = 15;
const RECENCY_HALF_LIFE_MS = 24 * 60 * 60 * 1000;
const AFTER_RELEASE_POINTS = 5;
const EXTRA_FRAMES_SHARE = 0.25;
const EXTRA_FRAMES_CAP = 15;
const TESTS_OR_DOCS_FACTOR = 0.25;

/** A 0..1 score and the sentences that justify it, strongest evidence first. */
export function scoreSuspect(evidence: SuspectEvidence, context: ScoringContext): { score: number; reasons: string[] } {
  const lead = describeLeadTime(Math.max(0, context.firstSeen - evidence.landedAt));
  const before = `${lead} before the first error`;
  const root = context.sourceRoot === '' ? 'the repository' : context.sourceRoot;
  const reasons: string[] = [];

  const touches = [...evidence.touches].sort((a, b) => pointsFor(b) - pointsFor(a) || a.frame.depth - b.frame.depth);
  const [strongest, ...others] = touches;
  let points: number;
  if (strongest) {
    points = pointsFor(strongest);
    points += Math.min(EXTRA_FRAMES_CAP, EXTRA_FRAMES_SHARE * others.reduce((sum, touch) => sum + pointsFor(touch), 0));
    reasons.push(describeTouch(strongest, before));
    for (const touch of others.slice(0, 3)) reasons.push(`Also ${lowerFirst(describeTouch(touch))}`);
  } else if (context.fallback) {
    points = SOURCE_ROOT_POINTS;
    reasons.push(`${context.fallback}, so this is only a recent change under ${root}, ${before}.`);
  } else {
    points = SOURCE_ROOT_POINTS;
    reasons.push(`Changed ${root} (the service's code) but no file in the stack trace, ${before}.`);
  }

  points += RECENCY_POINTS * 0.5 ** (Math.max(0, context.firstSeen - evidence.landedAt) / RECENCY_HALF_LIFE_MS);
  if (context.lastGoodRelease) points += AFTER_RELEASE_POINTS;

  const files = evidence.commit.files;
  if (files.length > 0 && files.every(isTestOrDocFile)) {
    points *= TESTS_OR_DOCS_FACTOR;
    reasons.push('Only changed tests or docs, which do not change what runs in production.');
  }
  if (evidence.merge) {
    const subject = evidence.merge.subject ? ` ("${evidence.merge.subject}")` : '';
    const written = evidence.landedAt - evidence.commit.committedAt;
    const age = written >= 60_000 ? `; the commit itself was made ${describeLeadTime(written)} before it landed` : '';
    reasons.push(`Landed with merge ${evidence.merge.sha.slice(0, 12)}${subject}${age}.`);
  }
  if (context.lastGoodRelease) reasons.push(`Landed after the last good release ${context.lastGoodRelease}.`);

  return { score: Math.round(Math.min(100, points) * 10) / 1000, reasons };
}

function pointsFor(touch: FrameTouch): number {
  const table = TOUCH_POINTS[touch.kind];
  return touch.frame.depth === 0 ? table.top : table.other;
}

function describeFrame(frame: SuspectFrame): string {
  const which = frame.depth === 0 ? 'top in-app frame' : `in-app frame ${frame.depth + 1} from the top`;
  return frame.function ? `${which}, ${frame.function}` : which;
}

/** One sentence; `when` ("14 min before the first error") is appended for the strongest touch only. */
function describeTouch(touch: FrameTouch, when?: string): string {
  const { frame } = touch;
  const tail = when ? ` ${when}.` : '.';
  switch (touch.kind) {
    case 'line':
      return `Changed line ${frame.line} of ${frame.file} (${describeFrame(frame)})${tail}`;
    case 'near-line':
      return `Changed line ${touch.changedLine} of ${frame.file}, near line ${frame.line} (${describeFrame(frame)})${when ? `, ${when}.` : '.'}`;
    case 'file': {
      const notLines = frame.line === undefined ? '' : `, though not the last change near line ${frame.line}`;
      return `Changed ${frame.file} (file of the ${describeFrame(frame)})${notLines}${when ? `, ${when}.` : '.'}`;
    }
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
