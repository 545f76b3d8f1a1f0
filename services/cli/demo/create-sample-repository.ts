import { execFile } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { SAMPLE_HISTORY, SAMPLE_REGRESSION, SAMPLE_SERVICES, type SampleCommit } from './sample-history.js';
import { SAMPLE_SYSTEM_DIR } from './sample-paths.js';

const execFileAsync = promisify(execFile);

/** The generated shop repository and what the demo and its checks need to know about it. */
export interface SampleRepository {
  /** The working tree, on branch `main`, checked out at the guilty commit. */
  repoDir: string;
  /** The latest commit: it breaks inventory for products the default warehouse does not stock. */
  guiltySha: string;
  /** Its parent, where every request answers as it should. */
  goodSha: string;
  /** Every commit, oldest first. */
  commits: Array<{ sha: string; author: string; message: string }>;
  services: typeof SAMPLE_SERVICES;
  /** The request to replay: it fails on `guiltySha` and answers `expectStatus` on `goodSha`, per service. */
  regression: typeof SAMPLE_REGRESSION;
}

export interface CreateSampleRepositoryOptions {
  /** Commit dates are set relative to this, so the bad deploy is always recent. Default: now. */
  now?: Date;
  /** The repository's directory name under `dir`. Default `shop`. */
  name?: string;
}

/** Git with the machine's configuration left out (no signing, hooks or templates from the user's setup). */
function runGit(cwd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return execFileAsync('git', args, {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...env },
  }).then(({ stdout }) => stdout.trim());
}

async function writeCommit(repoDir: string, commit: SampleCommit, now: Date): Promise<string> {
  for (const [path, template] of Object.entries(commit.files)) {
    const target = join(repoDir, path);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(SAMPLE_SYSTEM_DIR, template), target);
  }
  const date = new Date(now.getTime() - commit.minutesAgo * 60_000).toISOString();
  await runGit(repoDir, ['add', '--all'], {});
  await runGit(repoDir, ['commit', '--quiet', '--no-verify', '-m', commit.message], {
    GIT_AUTHOR_NAME: commit.author.name,
    GIT_AUTHOR_EMAIL: commit.author.email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: commit.author.name,
    GIT_COMMITTER_EMAIL: commit.author.email,
    GIT_COMMITTER_DATE: date,
  });
  return runGit(repoDir, ['rev-parse', 'HEAD']);
}

/**
 * Writes the sample shop (gateway → orders → inventory) as a git repository under `dir`, with a short
 * history by several authors whose latest commit introduces the inventory bug the demo is about.
 */
export async function createSampleRepository(dir: string, options: CreateSampleRepositoryOptions = {}): Promise<SampleRepository> {
  const now = options.now ?? new Date();
  const repoDir = join(dir, options.name ?? 'shop');
  await mkdir(repoDir, { recursive: true });
  await runGit(repoDir, ['init', '--quiet', '--initial-branch=main']);
  const commits: SampleRepository['commits'] = [];
  for (const commit of SAMPLE_HISTORY) {
    commits.push({ sha: await writeCommit(repoDir, commit, now), author: commit.author.name, message: commit.message });
  }
  const guilty = commits.at(-1)!;
  const good = commits.at(-2)!;
  return { repoDir, guiltySha: guilty.sha, goodSha: good.sha, commits, services: SAMPLE_SERVICES, regression: SAMPLE_REGRESSION };
}
