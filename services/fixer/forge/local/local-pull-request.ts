import type { CheckConclusion, ForgePullRequestState } from '../forge.js';

/** A PR on the local forge, as stored in `<dataDir>/forge/<repository>/pulls/<number>.json`. */
export interface LocalPullRequest {
  version: 1;
  number: number;
  repository: string;
  title: string;
  /** Markdown. */
  body: string;
  branch: string;
  base: string;
  /** The branch's commit when last seen. */
  headSha: string;
  state: ForgePullRequestState;
  labels: string[];
  reviewers: string[];
  comments: Array<{ body: string; at: string }>;
  /** The latest report per check name and head commit. */
  checks: LocalCheck[];
  createdAt: string;
  updatedAt: string;
}

export interface LocalCheck {
  name: string;
  headSha: string;
  /** Records written before the check lifecycle have no status: they were completed. */
  status?: 'in_progress' | 'completed';
  /** Set once completed. */
  conclusion?: CheckConclusion;
  title: string;
  summary: string;
  text?: string;
  startedAt?: string;
  completedAt?: string;
  /** When the record last changed. */
  at: string;
}

const STATE_TEXT: Record<ForgePullRequestState, string> = {
  draft: 'Draft',
  ready: 'Ready for review',
  merged: 'Merged',
  closed: 'Closed',
};

const CONCLUSION_TEXT: Record<CheckConclusion, string> = { success: '✅ success', failure: '❌ failure', neutral: '⚪ neutral' };

/** The human-readable page of a local PR: what an engineer opens from the `file://` URL. */
export function renderLocalPullRequest(pull: LocalPullRequest): string {
  const lines = [
    `# #${pull.number} ${pull.title}`,
    '',
    `**${STATE_TEXT[pull.state]}** · \`${pull.branch}\` → \`${pull.base}\` · head \`${pull.headSha.slice(0, 12)}\``,
    `Labels: ${pull.labels.length > 0 ? pull.labels.map((l) => `\`${l}\``).join(', ') : 'none'} · ` +
      `Reviewers: ${pull.reviewers.length > 0 ? pull.reviewers.map((r) => `@${r}`).join(', ') : 'none'}`,
    `Opened ${pull.createdAt} · updated ${pull.updatedAt}`,
    '',
    '---',
    '',
    pull.body,
    '',
  ];
  if (pull.checks.length > 0) {
    lines.push('## Checks', '');
    for (const check of pull.checks) {
      const state = check.status === 'in_progress' || check.conclusion === undefined ? '⏳ in progress' : CONCLUSION_TEXT[check.conclusion];
      lines.push(`### ${check.name}: ${state} — ${check.title}`, '', `On \`${check.headSha.slice(0, 12)}\` at ${check.at}`, '', check.summary, '');
      if (check.text) lines.push('<details><summary>Details</summary>', '', check.text, '', '</details>', '');
    }
  }
  if (pull.comments.length > 0) {
    lines.push('## Comments', '');
    for (const comment of pull.comments) lines.push(`**${comment.at}**`, '', comment.body, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
