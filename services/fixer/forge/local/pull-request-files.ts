import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ForgeError } from '../forge-error.js';
import { renderLocalPullRequest, type LocalPullRequest } from './local-pull-request.js';

/**
 * The local forge's PR files: `<n>.json` (the record, the only state) and `<n>.md` (rendered from it).
 * Every write goes to a temporary file first and is then renamed (or, for a new number, hard-linked)
 * into place, so a reader never sees half a record and a crash never leaves one.
 */

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

export function pullRequestJsonPath(dir: string, number: number): string {
  return join(dir, `${number}.json`);
}

export function pullRequestMarkdownPath(dir: string, number: number): string {
  return join(dir, `${number}.md`);
}

async function existingNumbers(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
  return names.flatMap((name) => {
    const match = /^(\d+)\.json$/.exec(name);
    return match ? [Number(match[1])] : [];
  });
}

/**
 * Stores a new PR under the next free number. `link` fails if the name exists, so two writers (threads
 * or processes) never get the same number; the loser takes the next one.
 */
export async function createPullRequestFile(dir: string, build: (number: number) => LocalPullRequest): Promise<LocalPullRequest> {
  await mkdir(dir, { recursive: true });
  let number = Math.max(0, ...(await existingNumbers(dir))) + 1;
  for (;;) {
    const pull = build(number);
    const temporary = join(dir, `.new-${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(temporary, `${JSON.stringify(pull, null, 2)}\n`);
    try {
      await link(temporary, pullRequestJsonPath(dir, number));
      await writeAtomically(pullRequestMarkdownPath(dir, number), renderLocalPullRequest(pull));
      return pull;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      number++;
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }
}

export async function readPullRequestFile(dir: string, repository: string, number: number): Promise<LocalPullRequest> {
  try {
    return JSON.parse(await readFile(pullRequestJsonPath(dir, number), 'utf8')) as LocalPullRequest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ForgeError('FORGE_PULL_REQUEST_NOT_FOUND', `${repository}#${number} does not exist on the local forge`);
    throw error;
  }
}

export async function listPullRequestFiles(dir: string, repository: string): Promise<LocalPullRequest[]> {
  const numbers = await existingNumbers(dir);
  return Promise.all(numbers.map((n) => readPullRequestFile(dir, repository, n)));
}

/** Replaces the record and re-renders its page. */
export async function writePullRequestFile(dir: string, pull: LocalPullRequest): Promise<void> {
  await writeAtomically(pullRequestJsonPath(dir, pull.number), `${JSON.stringify(pull, null, 2)}\n`);
  await writeAtomically(pullRequestMarkdownPath(dir, pull.number), renderLocalPullRequest(pull));
}
