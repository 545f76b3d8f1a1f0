import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { RunGit } from '../../triage/suspects/run-git.js';
import type { KeyedLock } from './create-keyed-lock.js';
import { credentialEnv, sourceUrl, type RepositorySource } from './git-credentials.js';
import { WorkspaceError } from './workspace-error.js';

/** Local branches of fix attempts live here in the mirror; fetches neither touch nor prune them. */
export const ATTEMPT_BRANCH_PREFIX = 'nightshift-attempt/';

/** One bare mirror per repository, cloned on first use and fetched on demand. */
export interface Mirrors {
  /** The mirror's directory, cloning it first when missing; `created` says whether this call cloned it. */
  ensure(repository: string, source: RepositorySource): Promise<{ dir: string; created: boolean }>;
  /** `git fetch --prune`; concurrent callers share one queued fetch, so a repository fetches once at a time. */
  fetch(repository: string, source: RepositorySource): Promise<void>;
  /** The lock key that serialises every change to one mirror's refs and worktree list. */
  lockKey(repository: string): string;
  dirFor(repository: string): string;
}

export interface CreateMirrorsOptions {
  rootDir: string;
  runGit: RunGit;
  lock: KeyedLock;
  log: Logger;
}

/** Builds the mirror cache under `rootDir/mirrors/`. */
export function createMirrors({ rootDir, runGit, lock, log }: CreateMirrorsOptions): Mirrors {
  const mirrorsDir = join(rootDir, 'mirrors');
  // A fetch waiting for the lock that later callers can join instead of queueing another.
  const queuedFetches = new Map<string, Promise<void>>();

  const slugOf = (repository: string): string => {
    const readable = repository.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 80);
    return `${readable}-${createHash('sha256').update(repository).digest('hex').slice(0, 10)}`;
  };
  const dirFor = (repository: string): string => join(mirrorsDir, `${slugOf(repository)}.git`);
  const lockKey = (repository: string): string => `mirror:${dirFor(repository)}`;
  const fetchFrom = (source: RepositorySource): string => {
    const url = sourceUrl(source);
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url) ? url : resolve(url);
  };

  const exists = (path: string): Promise<boolean> =>
    stat(path).then(
      () => true,
      () => false,
    );

  const clone = async (repository: string, source: RepositorySource, dir: string): Promise<void> => {
    await mkdir(mirrorsDir, { recursive: true });
    // Leftovers of a clone interrupted by a crash; safe to remove because we hold this repository's lock.
    const prefix = `.clone-${slugOf(repository)}-`;
    for (const entry of await readdir(mirrorsDir)) {
      if (entry.startsWith(prefix)) await rm(join(mirrorsDir, entry), { recursive: true, force: true });
    }
    const staging = join(mirrorsDir, `${prefix}${randomBytes(4).toString('hex')}`);
    try {
      await runGit(['clone', '--mirror', '--quiet', '--', fetchFrom(source), staging], mirrorsDir, { env: credentialEnv(source) });
      for (const [key, value] of [
        ['gc.auto', '0'],
        ['maintenance.auto', 'false'],
        ['core.logAllRefUpdates', 'false'],
      ] as const) {
        await runGit(['config', key, value], staging);
      }
      await runGit(['config', '--add', 'remote.origin.fetch', `^refs/heads/${ATTEMPT_BRANCH_PREFIX}*`], staging);
      // Renamed into place only when complete, so a crash never leaves a half-cloned mirror behind.
      await rename(staging, dir);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw new WorkspaceError('WORKSPACE_CLONE_FAILED', `cloning ${repository} from ${sourceUrl(source)} failed: ${(error as Error).message}`, {
        retriable: true,
        cause: error,
      });
    }
  };

  const fetchNow = async (repository: string, source: RepositorySource): Promise<void> => {
    const dir = dirFor(repository);
    const url = fetchFrom(source);
    const configured = (await runGit(['config', '--get', 'remote.origin.url'], dir).catch(() => '')).trim();
    if (configured !== url) await runGit(['remote', 'set-url', 'origin', url], dir);
    const started = Date.now();
    try {
      await runGit(['fetch', '--prune', '--quiet', 'origin'], dir, { env: credentialEnv(source) });
    } catch (error) {
      throw new WorkspaceError('WORKSPACE_FETCH_FAILED', `fetching ${repository} from ${sourceUrl(source)} failed: ${(error as Error).message}`, {
        retriable: true,
        cause: error,
      });
    }
    log.debug({ repository, ms: Date.now() - started }, 'mirror fetched');
  };

  return {
    dirFor,
    lockKey,
    ensure: (repository, source) =>
      lock.run(lockKey(repository), async () => {
        const dir = dirFor(repository);
        if (await exists(join(dir, 'HEAD'))) return { dir, created: false };
        const started = Date.now();
        await clone(repository, source, dir);
        log.info({ repository, url: sourceUrl(source), ms: Date.now() - started }, 'mirror cloned');
        return { dir, created: true };
      }),
    fetch(repository, source) {
      const key = lockKey(repository);
      const queued = queuedFetches.get(key);
      if (queued) return queued;
      const fetching = lock.run(key, () => {
        queuedFetches.delete(key);
        return fetchNow(repository, source);
      });
      queuedFetches.set(key, fetching);
      return fetching;
    },
  };
}
