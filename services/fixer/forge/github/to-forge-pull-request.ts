import type { ForgePullRequest, ForgePullRequestState } from '../forge.js';

/** The fields of GitHub's `pull-request` and `pull-request-simple` shapes the forge reads. */
export interface GithubPullRequestFields {
  number: number;
  html_url: string;
  state: string;
  draft?: boolean;
  merged_at: string | null;
  title: string;
  head: { ref: string; sha: string };
}

/** Merged wins over closed (a merged PR is also closed); an open PR is a draft or ready. */
export function githubPullRequestState(pull: GithubPullRequestFields): ForgePullRequestState {
  if (pull.merged_at !== null) return 'merged';
  if (pull.state === 'closed') return 'closed';
  return pull.draft ? 'draft' : 'ready';
}

export function toForgePullRequest(pull: GithubPullRequestFields): ForgePullRequest {
  return {
    number: pull.number,
    url: pull.html_url,
    state: githubPullRequestState(pull),
    branch: pull.head.ref,
    headSha: pull.head.sha,
    title: pull.title,
  };
}
