import { execFile, spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './wait.js';

const execFileAsync = promisify(execFile);

/** One commit to make: file contents to write (null deletes the file) with controlled dates. */
export interface TestCommit {
  message: string;
  files: Record<string, string | null>;
  /** Committer date; also the author date unless `authorDate` is given. */
  date: Date;
  authorDate?: Date;
  author?: { name: string; email: string };
}

export interface TestGitRepo {
  /** The working tree (and `.git` inside it). */
  readonly path: string;
  /** Runs git in the repository with a config isolated from the machine's, returning stdout. */
  git(args: string[], env?: Record<string, string>): Promise<string>;
  /** Writes the files and commits them on the current branch; returns the commit sha. */
  commit(commit: TestCommit): Promise<string>;
  /** Appends many commits to the current branch in one `git fast-import` run (thousands per second). */
  importCommits(commits: TestCommit[]): Promise<string[]>;
  /** A `--no-ff` merge of `branch` into the current branch at `date`; returns the merge sha. */
  merge(branch: string, options: { message: string; date: Date }): Promise<string>;
  cleanup(): Promise<void>;
}

const DEFAULT_AUTHOR = { name: 'Test Author', email: 'author@example.test' };
const COMMITTER = { name: 'Test Committer', email: 'committer@example.test' };

/** The content of a file with one line per entry, the way editors save it. */
export function lines(...content: string[]): string {
  return `${content.join('\n')}\n`;
}

function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

function dateEnv(commit: Pick<TestCommit, 'date' | 'authorDate' | 'author'>): Record<string, string> {
  const author = commit.author ?? DEFAULT_AUTHOR;
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: (commit.authorDate ?? commit.date).toISOString(),
    GIT_COMMITTER_NAME: COMMITTER.name,
    GIT_COMMITTER_EMAIL: COMMITTER.email,
    GIT_COMMITTER_DATE: commit.date.toISOString(),
  };
}

/**
 * A throwaway git repository on branch `main` whose commits carry the author and committer dates the test
 * chooses, so history-based logic ("before the first error") is deterministic.
 */
export async function createTestGitRepo(): Promise<TestGitRepo> {
  const dir = await tempDir('nightshift-git-');
  const path = dir.path;

  const git = async (args: string[], env: Record<string, string> = {}): Promise<string> => {
    const { stdout } = await execFileAsync('git', args, { cwd: path, env: isolatedEnv(env), maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  };

  await git(['init', '--quiet', '--initial-branch=main', '.']);

  const commit = async (c: TestCommit): Promise<string> => {
    for (const [file, content] of Object.entries(c.files)) {
      const target = join(path, file);
      if (content === null) {
        await rm(target, { force: true });
      } else {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
      }
    }
    await git(['add', '--all', '--', ...Object.keys(c.files)]);
    await git(['commit', '--quiet', '--allow-empty', '--no-verify', '-m', c.message], dateEnv(c));
    return (await git(['rev-parse', 'HEAD'])).trim();
  };

  const importCommits = async (commits: TestCommit[]): Promise<string[]> => {
    if (commits.length === 0) return [];
    const branch = (await git(['symbolic-ref', 'HEAD'])).trim();
    const head = (await git(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim();
    const chunks: Buffer[] = [];
    const data = (text: string): void => {
      const bytes = Buffer.from(text);
      chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
    };
    commits.forEach((c, index) => {
      const author = c.author ?? DEFAULT_AUTHOR;
      const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);
      chunks.push(Buffer.from(`commit ${branch}\nmark :${index + 1}\n`));
      chunks.push(Buffer.from(`author ${author.name} <${author.email}> ${seconds(c.authorDate ?? c.date)} +0000\n`));
      chunks.push(Buffer.from(`committer ${COMMITTER.name} <${COMMITTER.email}> ${seconds(c.date)} +0000\n`));
      data(c.message);
      if (index === 0 && head) chunks.push(Buffer.from(`from ${head}\n`));
      for (const [file, content] of Object.entries(c.files)) {
        // fast-import reads unquoted paths up to the line end; quote the odd ones C-style (JSON is close enough).
        const quoted = /[\s"\\]/.test(file) ? JSON.stringify(file) : file;
        if (content === null) chunks.push(Buffer.from(`D ${quoted}\n`));
        else {
          chunks.push(Buffer.from(`M 100644 inline ${quoted}\n`));
          data(content);
        }
      }
    });
    const marks = join(path, '.git', 'test-marks');
    await new Promise<void>((resolve, reject) => {
      const child = spawn('git', ['fast-import', '--quiet', `--export-marks=${marks}`], { cwd: path, env: isolatedEnv() });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.resume();
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import failed: ${stderr}`))));
      child.stdin.end(Buffer.concat(chunks));
    });
    // fast-import moves the branch but not the index or working tree; bring them along for later commits.
    await git(['reset', '--quiet', '--hard']);
    const byMark = new Map(
      (await readFile(marks, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string]),
    );
    return commits.map((_, index) => byMark.get(`:${index + 1}`) ?? '');
  };

  const merge = async (branch: string, options: { message: string; date: Date }): Promise<string> => {
    await git(['merge', '--quiet', '--no-ff', '--no-edit', '-m', options.message, branch], dateEnv({ date: options.date }));
    return (await git(['rev-parse', 'HEAD'])).trim();
  };

  return { path, git, commit, importCommits, merge, cleanup: dir.cleanup };
}
