import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRunGit, GitCommandError, type RunGit } from '../../../triage/suspects/run-git.js';
import type { CheckHandle, Forge, ForgePullRequest } from '../forge.js';
import { ForgeError } from '../forge-error.js';
import { CODEOWNERS_LOCATIONS, resolveCodeOwners } from '../resolve-code-owners.js';
import type { LocalCheck, LocalPullRequest } from './local-pull-request.js';
import { createPullRequestFile, listPullRequestFiles, pullRequestMarkdownPath, readPullRequestFile, writePullRequestFile } from './pull-request-files.js';

export interface CreateLocalForgeOptions {
  /** PR records go under `<dataDir>/forge/<repository>/pulls/`. */
  dataDir: string;
  /** Repository name in the configuration → the local repository fix branches are pushed into. */
  repositories: Record<string, { path: string }>;
  runGit?: RunGit;
  now?: () => Date;
}

const isOpen = (pull: LocalPullRequest) => pull.state === 'draft' || pull.state === 'ready';

/**
 * The `local` forge, the embedded default: fix branches are pushed into the configured local repository and
 * each PR is a JSON record plus a rendered markdown page under the data directory. All state is on disk,
 * so a restarted process finds the PRs it opened. A PR whose head commit has reached its base branch
 * (someone merged it locally) reads as merged.
 */
export function createLocalForge(options: CreateLocalForgeOptions): Forge {
  const runGit = options.runGit ?? createRunGit();
  const now = () => (options.now ?? (() => new Date()))().toISOString();
  const forgeDir = join(resolve(options.dataDir), 'forge');
  // Read-modify-write of one PR is serialised within the process; numbers are safe across processes.
  const locks = new Map<string, Promise<unknown>>();

  const repositoryPath = (repository: string): string => {
    const entry = options.repositories[repository];
    if (!entry) throw new ForgeError('FORGE_UNKNOWN_REPOSITORY', `repository "${repository}" is not configured for the local forge`);
    return entry.path;
  };
  const pullsDir = (repository: string) => {
    repositoryPath(repository);
    return join(forgeDir, encodeURIComponent(repository), 'pulls');
  };
  const pendingChecksPath = (repository: string, sha: string) => join(forgeDir, encodeURIComponent(repository), 'checks', `${sha}.json`);

  const withLock = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = locks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    locks.set(key, next.catch(() => undefined));
    return next;
  };

  const branchSha = async (repository: string, branch: string): Promise<string | undefined> => {
    try {
      return (await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], repositoryPath(repository))).trim();
    } catch {
      return undefined;
    }
  };

  const isAncestor = async (repository: string, sha: string, branch: string): Promise<boolean> => {
    try {
      await runGit(['merge-base', '--is-ancestor', sha, `refs/heads/${branch}`], repositoryPath(repository));
      return true;
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode === 1) return false;
      throw error;
    }
  };

  /** Brings the record up to date with the repository: the branch's head, and merged if the base has it. */
  const refresh = async (pull: LocalPullRequest): Promise<LocalPullRequest> => {
    if (!isOpen(pull)) return pull;
    const head = (await branchSha(pull.repository, pull.branch)) ?? pull.headSha;
    const merged = await isAncestor(pull.repository, head, pull.base).catch(() => false);
    if (head === pull.headSha && !merged) return pull;
    const updated: LocalPullRequest = { ...pull, headSha: head, state: merged ? 'merged' : pull.state, updatedAt: now() };
    await writePullRequestFile(pullsDir(pull.repository), updated);
    return updated;
  };

  const toForge = (pull: LocalPullRequest): ForgePullRequest => ({
    number: pull.number,
    url: pathToFileURL(pullRequestMarkdownPath(pullsDir(pull.repository), pull.number)).href,
    state: pull.state,
    branch: pull.branch,
    headSha: pull.headSha,
    title: pull.title,
  });

  const update = (repository: string, number: number, change: (pull: LocalPullRequest) => LocalPullRequest | undefined) =>
    withLock(`${repository}#${number}`, async () => {
      const dir = pullsDir(repository);
      const pull = await refresh(await readPullRequestFile(dir, repository, number));
      const changed = change(pull);
      if (changed) await writePullRequestFile(dir, { ...changed, updatedAt: now() });
    });

  const findPullRequest = async (repository: string, branch: string) => {
    const pulls = (await listPullRequestFiles(pullsDir(repository), repository)).filter((p) => p.branch === branch);
    const open = pulls.filter(isOpen);
    const chosen = (open.length > 0 ? open : pulls).sort((a, b) => b.number - a.number)[0];
    return chosen ? toForge(await refresh(chosen)) : undefined;
  };

  const getPullRequest = async (repository: string, number: number) =>
    toForge(await withLock(`${repository}#${number}`, async () => refresh(await readPullRequestFile(pullsDir(repository), repository, number))));

  const addLabels = (repository: string, number: number, labels: string[]) =>
    update(repository, number, (pull) => ({ ...pull, labels: [...new Set([...pull.labels, ...labels])] }));

  const requestReviewers = (repository: string, number: number, reviewers: string[]) =>
    update(repository, number, (pull) => ({ ...pull, reviewers: [...new Set([...pull.reviewers, ...reviewers.map((r) => r.replace(/^@/, ''))])] }));

  const readPendingChecks = async (repository: string, sha: string): Promise<LocalCheck[]> => {
    try {
      return JSON.parse(await readFile(pendingChecksPath(repository, sha), 'utf8')) as LocalCheck[];
    } catch {
      return [];
    }
  };

  const withCheck = (checks: LocalCheck[], check: LocalCheck) => [...checks.filter((c) => c.name !== check.name || c.headSha !== check.headSha), check];

  /** The check's latest state, on every PR whose head is its commit and by commit (for a PR opened later). */
  const recordCheck = async (repository: string, recorded: LocalCheck) => {
    const pulls = await listPullRequestFiles(pullsDir(repository), repository);
    for (const pull of pulls) {
      const current = await refresh(pull);
      if (current.headSha !== recorded.headSha) continue;
      await update(repository, pull.number, (p) => ({ ...p, checks: withCheck(p.checks, recorded) }));
    }
    // Also kept by commit: a check reported before its PR opens is picked up when it does; a redelivery finds a running one.
    const pending = pendingChecksPath(repository, recorded.headSha);
    await mkdir(join(pending, '..'), { recursive: true });
    const temporary = `${pending}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, JSON.stringify(withCheck(await readPendingChecks(repository, recorded.headSha), recorded), null, 2));
    await rename(temporary, pending);
  };

  return {
    kind: 'local',

    async pushBranch({ repository, dir, branch, sha }) {
      const target = repositoryPath(repository);
      const worktrees = await runGit(['worktree', 'list', '--porcelain'], target).catch(() => '');
      if (worktrees.split('\n').includes(`branch refs/heads/${branch}`)) {
        throw new ForgeError('FORGE_BRANCH_CHECKED_OUT', `branch ${branch} is checked out in ${target}; the local forge will not move it under someone's working tree`);
      }
      try {
        await runGit(['push', '--force', '--quiet', '--no-verify', target, `${sha}:refs/heads/${branch}`], dir);
      } catch (error) {
        throw new ForgeError('FORGE_PUSH_FAILED', `pushing ${sha.slice(0, 12)} to ${branch} in ${target} failed: ${error instanceof GitCommandError ? error.stderr.trim() : String(error)}`, { cause: error });
      }
    },

    findPullRequest,

    getPullRequest,

    async openDraftPullRequest(draft) {
      const existing = await findPullRequest(draft.repository, draft.branch);
      let number: number;
      if (existing && (existing.state === 'draft' || existing.state === 'ready')) {
        number = existing.number;
      } else {
        const headSha = await branchSha(draft.repository, draft.branch);
        if (!headSha) throw new ForgeError('FORGE_PUSH_FAILED', `branch ${draft.branch} does not exist in ${repositoryPath(draft.repository)}; push it first`);
        if (!(await branchSha(draft.repository, draft.base))) throw new ForgeError('FORGE_UNKNOWN_REPOSITORY', `base branch ${draft.base} does not exist in ${repositoryPath(draft.repository)}`);
        if (await isAncestor(draft.repository, headSha, draft.base)) {
          throw new ForgeError('FORGE_NOTHING_TO_MERGE', `${draft.branch} has no commits that ${draft.base} lacks`);
        }
        const checks = await readPendingChecks(draft.repository, headSha);
        const at = now();
        const created = await createPullRequestFile(pullsDir(draft.repository), (n) => ({
          version: 1,
          number: n,
          repository: draft.repository,
          title: draft.title,
          body: draft.body,
          branch: draft.branch,
          base: draft.base,
          headSha,
          state: 'draft',
          labels: [],
          reviewers: [],
          comments: [],
          checks,
          createdAt: at,
          updatedAt: at,
        }));
        number = created.number;
      }
      if (draft.labels.length > 0) await addLabels(draft.repository, number, draft.labels);
      if (draft.reviewers.length > 0) await requestReviewers(draft.repository, number, draft.reviewers);
      return getPullRequest(draft.repository, number);
    },

    updatePullRequestBody: (repository, number, body) => update(repository, number, (pull) => ({ ...pull, body })),

    comment: (repository, number, body) => update(repository, number, (pull) => ({ ...pull, comments: [...pull.comments, { body, at: now() }] })),

    addLabels,
    removeLabel: (repository, number, label) =>
      update(repository, number, (pull) => (pull.labels.includes(label) ? { ...pull, labels: pull.labels.filter((l) => l !== label) } : undefined)),
    requestReviewers,

    markReadyForReview: (repository, number) => update(repository, number, (pull) => (pull.state === 'draft' ? { ...pull, state: 'ready' } : undefined)),

    closePullRequest: (repository, number) => update(repository, number, (pull) => (isOpen(pull) ? { ...pull, state: 'closed' } : undefined)),

    async startCheck(start) {
      const base = { repository: start.repository, headSha: start.headSha, name: start.name, kind: 'local' as const, id: null };
      const running = (await readPendingChecks(start.repository, start.headSha)).find((c) => c.name === start.name && c.status === 'in_progress');
      if (running) return { ...base, resumed: true, startedAt: running.startedAt ?? running.at };
      const at = now();
      await recordCheck(start.repository, { name: start.name, headSha: start.headSha, status: 'in_progress', title: start.title, summary: start.summary, startedAt: at, at });
      return { ...base, resumed: false, startedAt: at };
    },

    async completeCheck(check: CheckHandle, completion) {
      const at = now();
      const recorded: LocalCheck = {
        name: check.name,
        headSha: check.headSha,
        status: 'completed',
        conclusion: completion.conclusion,
        title: completion.title,
        summary: completion.summary,
        startedAt: check.startedAt,
        completedAt: at,
        at,
      };
      if (completion.text !== undefined) recorded.text = completion.text;
      await recordCheck(check.repository, recorded);
    },

    async codeOwners(repository, ref, paths) {
      for (const location of CODEOWNERS_LOCATIONS) {
        let text: string;
        try {
          text = await runGit(['show', `${ref}:${location}`], repositoryPath(repository));
        } catch {
          continue;
        }
        return resolveCodeOwners(text, paths).users;
      }
      return [];
    },
  };
}
