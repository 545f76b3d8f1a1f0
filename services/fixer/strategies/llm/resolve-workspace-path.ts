import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, sep } from 'node:path';

/** A path the model named, checked to lie inside the workspace. */
export type ResolvedPath =
  | { ok: true; absolute: string; relative: string }
  | { ok: false; reason: string };

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

// The deepest ancestor that exists, resolved through symlinks: a new file is as safe as its directory.
async function realExistingAncestor(path: string): Promise<string> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return await realpath(current);
    } catch {
      if (dirname(current) === current) throw new Error(`nothing of ${path} exists`);
    }
  }
}

/**
 * Confines a model-supplied path to the workspace: relative, no `..` segment, nothing under `.git`
 * (hooks there would run commands), and no symlink leading out of the worktree. Returns the
 * absolute path and the repository-relative POSIX path the policy globs match against.
 */
export async function resolveWorkspacePath(workspaceDir: string, requested: string): Promise<ResolvedPath> {
  const raw = requested.trim().replaceAll('\\', '/');
  if (raw.includes('\0')) return { ok: false, reason: 'the path contains a NUL byte' };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || isAbsolute(requested)) {
    return { ok: false, reason: `"${requested}" is absolute; give a path relative to the repository root` };
  }
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { ok: false, reason: `"${requested}" contains "..": paths must stay inside the repository` };
  if (segments[0] === '.git') return { ok: false, reason: 'the .git directory is off limits' };
  const rel = posix.join(...(segments.length === 0 ? ['.'] : segments));
  const root = await realpath(workspaceDir);
  const absolute = join(root, ...segments);
  const real = await realExistingAncestor(absolute);
  if (!inside(root, real)) return { ok: false, reason: `"${requested}" leads outside the repository through a symlink` };
  const realRel = relative(root, real).split(sep)[0];
  if (realRel === '.git') return { ok: false, reason: 'the .git directory is off limits' };
  return { ok: true, absolute, relative: rel };
}

/** Whether `absolute` is itself a symlink (edits never write through one). */
export async function isSymlink(absolute: string): Promise<boolean> {
  try {
    return (await lstat(absolute)).isSymbolicLink();
  } catch {
    return false;
  }
}
