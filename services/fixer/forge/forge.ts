/**
 * Where fixes are proposed: GitHub through @octokit/rest, or `local` (a branch in a local repository and
 * a PR record under the data directory) for the embedded default. Repositories are named as in the
 * configuration; each forge maps the name to its own address (the slug on GitHub).
 */

export type ForgePullRequestState = 'draft' | 'ready' | 'merged' | 'closed';

export interface ForgePullRequest {
  number: number;
  url: string;
  state: ForgePullRequestState;
  branch: string;
  headSha: string;
  title: string;
}

export interface PullRequestDraft {
  repository: string;
  /** The branch holding the fix; already pushed. */
  branch: string;
  /** The branch the PR merges into. */
  base: string;
  title: string;
  /** Markdown. */
  body: string;
  labels: string[];
  reviewers: string[];
}

export type CheckConclusion = 'success' | 'failure' | 'neutral';

export interface CheckReport {
  repository: string;
  headSha: string;
  /** "nightshift/verification" */
  name: string;
  conclusion: CheckConclusion;
  title: string;
  /** Markdown; forges cap it (GitHub: 65535 characters). */
  summary: string;
  text?: string;
}

export interface Forge {
  readonly kind: 'github' | 'local';
  /** Pushes `sha` from the local repository `dir` to `branch` on the forge (force: the branch is Nightshift's). */
  pushBranch(input: { repository: string; dir: string; branch: string; sha: string }): Promise<void>;
  /** The open or closed PR whose head is `branch`, if any: how a redelivery finds the PR it opened. */
  findPullRequest(repository: string, branch: string): Promise<ForgePullRequest | undefined>;
  getPullRequest(repository: string, number: number): Promise<ForgePullRequest>;
  openDraftPullRequest(draft: PullRequestDraft): Promise<ForgePullRequest>;
  /** Replaces the PR's body (the verification status in it changes). */
  updatePullRequestBody(repository: string, number: number, body: string): Promise<void>;
  comment(repository: string, number: number, body: string): Promise<void>;
  addLabels(repository: string, number: number, labels: string[]): Promise<void>;
  /** Removes one label; a label the PR does not carry is no error. */
  removeLabel(repository: string, number: number, label: string): Promise<void>;
  requestReviewers(repository: string, number: number, reviewers: string[]): Promise<void>;
  markReadyForReview(repository: string, number: number): Promise<void>;
  closePullRequest(repository: string, number: number): Promise<void>;
  /** A check run on GitHub (a commit status where checks are unavailable); a record on `local`. */
  reportCheck(check: CheckReport): Promise<void>;
  /** Owners of `paths` from the repository's CODEOWNERS at `ref`, as reviewer logins (teams excluded). */
  codeOwners(repository: string, ref: string, paths: string[]): Promise<string[]>;
}
