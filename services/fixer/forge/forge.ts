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

/** Where a check starts: shown as running (GitHub's amber dot) until it is completed. */
export interface CheckStart {
  repository: string;
  headSha: string;
  /** "nightshift/verification" */
  name: string;
  /** e.g. "Verifying fix…" */
  title: string;
  /** Markdown. */
  summary: string;
}

/**
 * A started check, as the forge knows it: plain JSON, so the verifier keeps it with the verification run.
 * `check-run`: a GitHub check run (`id` is its id); `commit-status`: a pending commit status (GitHub without
 * check permissions; no id, the context names it); `local`: a record in the local forge.
 */
export interface CheckHandle {
  repository: string;
  headSha: string;
  name: string;
  kind: 'check-run' | 'commit-status' | 'local';
  id: number | null;
  /** True when the forge found this check already running (a crash before completion) and took it over. */
  resumed: boolean;
  startedAt: string;
}

/** How a started check ends. */
export interface CheckCompletion {
  conclusion: CheckConclusion;
  title: string;
  /** Markdown; forges cap it (GitHub: 65535 characters). */
  summary: string;
  /** Markdown details (step logs); capped like the summary, with a note when cut. */
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
  /**
   * Shows `name` as running on `headSha`: a check run `in_progress` on GitHub (a `pending` commit status where
   * check runs are refused), a record on `local`. A check of that name still running on that commit (left
   * by a crash) is taken over instead of starting a second one.
   */
  startCheck(start: CheckStart): Promise<CheckHandle>;
  /** Completes a started check with its conclusion, summary and details. */
  completeCheck(check: CheckHandle, completion: CheckCompletion): Promise<void>;
  /** Owners of `paths` from the repository's CODEOWNERS at `ref`, as reviewer logins (teams excluded). */
  codeOwners(repository: string, ref: string, paths: string[]): Promise<string[]>;
}
