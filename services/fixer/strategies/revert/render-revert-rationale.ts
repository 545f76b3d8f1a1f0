import type { SuspectCommit } from '../../../triage/report/triage-report.js';

/** What a revert took back: the whole commit, or its changes to some files only. */
export type RevertScope =
  | { kind: 'whole'; files: string[] }
  | { kind: 'partial'; files: string[]; kept: string[]; why: 'conflict' | 'unrelated' };

export interface RevertRationaleInput {
  suspect: SuspectCommit;
  /** The full sha the revert used. */
  sha: string;
  isMerge: boolean;
  scope: RevertScope;
  confidence: number;
  /** How the confidence was derived, in one sentence. */
  confidenceReason: string;
}

// Commit subjects, author names and paths come from the repository: keep them inert in markdown.
const code = (text: string): string => `\`${text.replace(/[`\r\n]/g, ' ')}\``;
const plain = (text: string): string => text.replace(/[\r\n]+/g, ' ').replace(/([\\`*_[\]<>|#])/g, '\\$1');

function listFiles(files: string[], limit = 8): string {
  const shown = files.slice(0, limit).map(code).join(', ');
  return files.length > limit ? `${shown} and ${files.length - limit} more` : shown;
}

/** The markdown the PR body shows for a revert: which commit, why it is the suspect, what is taken back. */
export function renderRevertRationale({ suspect, sha, isMerge, scope, confidence, confidenceReason }: RevertRationaleInput): string {
  const out: string[] = [];
  out.push(
    `Reverts ${isMerge ? 'merge ' : ''}commit ${code(sha.slice(0, 12))} "${plain(suspect.subject)}" by ${plain(suspect.author)}, ` +
      `the top suspect commit (score ${suspect.score.toFixed(2)}).`,
  );
  if (suspect.reasons.length > 0) {
    out.push('', 'Why this commit:', ...suspect.reasons.slice(0, 5).map((reason) => `- ${plain(reason)}`));
  }
  out.push('');
  if (scope.kind === 'whole') {
    out.push(`**What is reverted:** the whole commit (${scope.files.length} file${scope.files.length === 1 ? '' : 's'}: ${listFiles(scope.files)}).`);
  } else {
    const because =
      scope.why === 'conflict'
        ? 'the whole commit does not revert cleanly on the base (later commits changed the same lines)'
        : `the commit also touches ${scope.kept.length} files unrelated to the crash`;
    out.push(
      `**What is reverted:** only its changes to ${listFiles(scope.files)}, the files of the crashing stack frames, because ${because}. ` +
        `Its changes to ${listFiles(scope.kept)} are kept.`,
    );
  }
  if (isMerge) out.push('', 'The merge is reverted against its first parent, so everything the merged branch brought in is taken back.');
  out.push('', `Confidence ${confidence.toFixed(2)}: ${confidenceReason}`);
  return out.join('\n');
}
