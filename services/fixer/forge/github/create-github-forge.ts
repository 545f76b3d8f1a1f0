import type { Logger } from 'pino';
import type { GithubForgeConfig } from '../../../../shared/config/fixer-schema.js';
import { createRunGit, type RunGit } from '../../../triage/suspects/run-git.js';
import type { Forge, ForgePullRequest, PullRequestDraft } from '../forge.js';
import { ForgeError } from '../forge-error.js';
import { CODEOWNERS_LOCATIONS, resolveCodeOwners } from '../resolve-code-owners.js';
import { createGithubClient, readGithubToken, type GithubClient, type GithubRateLimitOptions } from './create-github-client.js';
import { deriveGitRemote } from './derive-git-remote.js';
import { createGithubChecks } from './github-checks.js';
import { pushWithToken } from './push-with-token.js';
import { toForgePullRequest } from './to-forge-pull-request.js';

export { CHECK_OUTPUT_LIMIT } from './github-checks.js';

export interface GithubForgeRepository {
  /** `owner/name` on GitHub. */
  slug: string;
  /** The local clone, if any (the workspace knows it; kept for symmetry with the local forge). */
  path?: string;
}

export interface CreateGithubForgeOptions {
  config: GithubForgeConfig;
  /** Repository name in the configuration → where it lives on GitHub. */
  repositories: Record<string, GithubForgeRepository>;
  /** The git remote to push to; default `https://<host>/<slug>.git` derived from `config.apiUrl`. */
  remoteUrlFor?: (repository: string) => string;
  runGit?: RunGit;
  log: Logger;
  rateLimits?: GithubRateLimitOptions;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The `github` forge: pushes over HTTPS with the token in a per-command header and talks to the REST and
 * GraphQL APIs through @octokit/rest (retry and throttling plugins), as a GitHub App installation or with
 * a token. Errors GitHub answers become `ForgeError`s (`FORGE_REQUEST_FAILED`, retriable for 5xx/429).
 */
export function createGithubForge(options: CreateGithubForgeOptions): Forge {
  const { config, repositories, log } = options;
  const runGit = options.runGit ?? createRunGit({ timeoutMs: 300_000 });
  const client: GithubClient = createGithubClient(config, log, options.rateLimits);
  const checks = createGithubChecks({ client, log, ...(config.appId !== undefined ? { appId: config.appId } : {}) });

  const locate = (repository: string) => {
    const entry = repositories[repository];
    if (!entry) throw new ForgeError('FORGE_UNKNOWN_REPOSITORY', `repository "${repository}" is not configured for the github forge`);
    const [owner, repo] = entry.slug.split('/');
    if (!owner || !repo) throw new ForgeError('FORGE_UNKNOWN_REPOSITORY', `repository "${repository}" has slug "${entry.slug}", expected owner/name`);
    return { owner, repo, slug: entry.slug };
  };

  const toForgeError = (what: string, error: unknown): ForgeError => {
    if (error instanceof ForgeError) return error;
    const status = statusOf(error);
    // A rate limit still standing after throttling's retries passes; a network error may too.
    const retriable = status === undefined || status >= 500 || status === 429 || /rate limit/i.test(messageOf(error));
    return new ForgeError('FORGE_REQUEST_FAILED', `GitHub ${what} failed${status ? ` (${status})` : ''}: ${messageOf(error)}`, { retriable, cause: error });
  };

  const call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw toForgeError(what, error);
    }
  };

  const getPull = async (repository: string, number: number) => {
    const { owner, repo } = locate(repository);
    try {
      return (await client.rest.pulls.get({ owner, repo, pull_number: number })).data;
    } catch (error) {
      if (statusOf(error) === 404) throw new ForgeError('FORGE_PULL_REQUEST_NOT_FOUND', `${repository}#${number} does not exist on GitHub`);
      throw error;
    }
  };

  const findPullRequest = (repository: string, branch: string) =>
    call(`search for the PR of ${branch}`, async () => {
      const { owner, repo } = locate(repository);
      const pulls = await client.paginate(client.rest.pulls.list, { owner, repo, head: `${owner}:${branch}`, state: 'all', per_page: 100 });
      const open = pulls.filter((p) => p.state === 'open');
      const chosen = (open.length > 0 ? open : pulls).sort((a, b) => b.number - a.number)[0];
      return chosen ? toForgePullRequest(chosen) : undefined;
    });

  const addLabels = async (repository: string, number: number, labels: string[]) => {
    if (labels.length === 0) return;
    const { owner, repo } = locate(repository);
    await call(`labelling ${repository}#${number}`, () => client.rest.issues.addLabels({ owner, repo, issue_number: number, labels }));
  };

  /** GitHub refuses the whole request when one reviewer is the author or no collaborator; ask one by one then. */
  const requestReviewers = async (repository: string, number: number, reviewers: string[]) => {
    const { owner, repo } = locate(repository);
    const unique = [...new Set(reviewers.map((r) => r.replace(/^@/, '')))];
    const users = unique.filter((r) => !r.includes('/'));
    const teams = unique.filter((r) => r.includes('/')).map((t) => t.split('/')[1]!);
    if (users.length === 0 && teams.length === 0) return;
    const ask = (batch: { reviewers: string[]; team_reviewers: string[] }) =>
      client.rest.pulls.requestReviewers({ owner, repo, pull_number: number, ...batch });
    try {
      await ask({ reviewers: users, team_reviewers: teams });
      return;
    } catch (error) {
      if (statusOf(error) !== 422) throw toForgeError(`requesting reviewers on ${repository}#${number}`, error);
    }
    const single = [...users.map((u) => ({ reviewers: [u], team_reviewers: [] })), ...teams.map((t) => ({ reviewers: [], team_reviewers: [t] }))];
    for (const batch of single) {
      const who = batch.reviewers[0] ?? `team ${batch.team_reviewers[0]}`;
      try {
        await ask(batch);
      } catch (error) {
        if (statusOf(error) !== 422) throw toForgeError(`requesting reviewer ${who} on ${repository}#${number}`, error);
        log.warn({ repository, number, reviewer: who, reason: messageOf(error) }, 'GitHub refused a reviewer; skipped');
      }
    }
  };

  const readCodeOwnersFile = async (owner: string, repo: string, ref: string): Promise<string | undefined> => {
    for (const path of CODEOWNERS_LOCATIONS) {
      try {
        const { data } = await client.rest.repos.getContent({ owner, repo, path, ref });
        if (!Array.isArray(data) && data.type === 'file' && 'content' in data) return Buffer.from(data.content, 'base64').toString('utf8');
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    }
    return undefined;
  };

  return {
    kind: 'github',

    async pushBranch({ repository, dir, branch, sha }) {
      const { slug } = locate(repository);
      const remote = options.remoteUrlFor?.(repository) ?? deriveGitRemote(config.apiUrl, slug);
      const token = await call('authentication', () => readGithubToken(client));
      await pushWithToken({ runGit, dir, remote, branch, sha, token });
      log.info({ repository, branch, sha }, 'pushed the fix branch');
    },

    findPullRequest,

    getPullRequest: (repository, number) => call(`reading ${repository}#${number}`, async () => toForgePullRequest(await getPull(repository, number))),

    async openDraftPullRequest(draft: PullRequestDraft): Promise<ForgePullRequest> {
      const { owner, repo } = locate(draft.repository);
      let opened: ForgePullRequest;
      try {
        const { data } = await client.rest.pulls.create({ owner, repo, head: draft.branch, base: draft.base, title: draft.title, body: draft.body, draft: true });
        opened = toForgePullRequest(data);
      } catch (error) {
        // A redelivery racing the first delivery: GitHub allows one open PR per head and base.
        const existing = statusOf(error) === 422 ? await findPullRequest(draft.repository, draft.branch) : undefined;
        if (!existing) throw toForgeError(`opening a PR for ${draft.branch}`, error);
        log.info({ repository: draft.repository, number: existing.number }, 'a PR for this branch already exists; using it');
        opened = existing;
      }
      await addLabels(draft.repository, opened.number, draft.labels);
      await requestReviewers(draft.repository, opened.number, draft.reviewers);
      log.info({ repository: draft.repository, number: opened.number, url: opened.url }, 'opened a draft PR');
      return opened;
    },

    async updatePullRequestBody(repository, number, body) {
      const { owner, repo } = locate(repository);
      await call(`updating ${repository}#${number}`, () => client.rest.pulls.update({ owner, repo, pull_number: number, body }));
    },

    async comment(repository, number, body) {
      const { owner, repo } = locate(repository);
      await call(`commenting on ${repository}#${number}`, () => client.rest.issues.createComment({ owner, repo, issue_number: number, body }));
    },

    addLabels,

    async removeLabel(repository, number, label) {
      const { owner, repo } = locate(repository);
      try {
        await client.rest.issues.removeLabel({ owner, repo, issue_number: number, name: label });
      } catch (error) {
        // GitHub answers 404 for a label the PR does not carry.
        if (statusOf(error) !== 404) throw toForgeError(`removing label ${label} from ${repository}#${number}`, error);
      }
    },

    requestReviewers,

    async markReadyForReview(repository, number) {
      const pull = await call(`reading ${repository}#${number}`, () => getPull(repository, number));
      if (!pull.draft) return;
      await call(`marking ${repository}#${number} ready for review`, () =>
        client.graphql(
          `mutation ($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }`,
          { id: pull.node_id },
        ),
      );
    },

    async closePullRequest(repository, number) {
      const { owner, repo } = locate(repository);
      await call(`closing ${repository}#${number}`, () => client.rest.pulls.update({ owner, repo, pull_number: number, state: 'closed' }));
    },

    startCheck: (start) => call(`starting check ${start.name} on ${start.headSha.slice(0, 12)}`, () => checks.start(locate(start.repository), start)),

    completeCheck: (check, completion) =>
      call(`completing check ${check.name} on ${check.headSha.slice(0, 12)}`, () => checks.complete(locate(check.repository), check, completion)),

    async codeOwners(repository, ref, paths) {
      const { owner, repo } = locate(repository);
      const text = await call(`reading CODEOWNERS of ${repository}`, () => readCodeOwnersFile(owner, repo, ref));
      return text === undefined ? [] : resolveCodeOwners(text, paths).users;
    },
  };
}
