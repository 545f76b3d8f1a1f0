import { indexTrackedFiles, type TrackedFiles } from './index-tracked-files.js';
import { resolveRevision } from './resolve-revision.js';
import { SAFE_GIT_OPTIONS, type RunGit } from './run-git.js';
import type { SuspectRepository } from './suspect-repository.js';
import { NightshiftError } from '../../../shared/errors.js';

/** Listings of tracked files, kept per repository and commit (a commit's tree never changes). */
export interface TrackedFilesCache {
  get(key: string): TrackedFiles | undefined;
  set(key: string, value: TrackedFiles): void;
}

/** A small least-recently-used cache: a listing of a large repository is megabytes. */
export function createTrackedFilesCache({ maxEntries = 16 }: { maxEntries?: number } = {}): TrackedFilesCache {
  const entries = new Map<string, TrackedFiles>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

export class UnknownRevisionError extends NightshiftError {
  constructor(repository: string, revision: string) {
    super('UNKNOWN_REVISION', `repository ${repository} has no commit named ${JSON.stringify(revision)}`);
  }
}

/**
 * The files tracked at `revision` (default: the repository's ref), listed with one `git ls-tree` and cached.
 * `ls-tree` rather than `ls-files` so that bare mirrors work and the listing matches the revision asked for.
 */
export async function loadTrackedFiles({
  repository,
  runGit,
  revision = repository.ref ?? 'HEAD',
  cache,
}: {
  repository: SuspectRepository;
  runGit: RunGit;
  revision?: string;
  cache?: TrackedFilesCache;
}): Promise<TrackedFiles> {
  const sha = await resolveRevision(runGit, repository.path, revision);
  if (!sha) throw new UnknownRevisionError(repository.name, revision);
  const key = `${repository.path}\u0000${sha}`;
  const cached = cache?.get(key);
  if (cached) return cached;
  const output = await runGit([...SAFE_GIT_OPTIONS, 'ls-tree', '-r', '-z', '--name-only', '--full-tree', sha], repository.path);
  const tracked = indexTrackedFiles(sha, output.split('\u0000').filter((file) => file !== ''));
  cache?.set(key, tracked);
  return tracked;
}
