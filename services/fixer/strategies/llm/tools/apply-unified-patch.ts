import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { applyPatch, parsePatch } from 'diff';
import type { ToolContext } from './tool-context.js';
import { resolveEditablePath } from './propose-edit.js';

const DEV_NULL = '/dev/null';

// git writes `a/path` and `b/path`; plain diff writes the path alone.
function stripPrefix(name: string | undefined): string | undefined {
  if (name === undefined || name === DEV_NULL) return undefined;
  return name.replace(/^[ab]\//, '');
}

/**
 * `apply_patch`: applies a unified diff with jsdiff, all files or none: every path is checked and every
 * hunk must apply before anything is written.
 */
export async function applyUnifiedPatch(ctx: ToolContext, args: { patch: string }): Promise<string> {
  let patches;
  try {
    patches = parsePatch(args.patch);
  } catch (error) {
    return `error: the patch is not a unified diff: ${(error as Error).message}`;
  }
  patches = patches.filter((p) => p.hunks.length > 0);
  if (patches.length === 0) return 'error: the patch has no hunks';
  const writes: Array<{ absolute: string; relative: string; content: string | null }> = [];
  for (const patch of patches) {
    const oldName = stripPrefix(patch.oldFileName);
    const newName = stripPrefix(patch.newFileName);
    const name = newName ?? oldName;
    if (name === undefined) return 'error: a file patch names neither an old nor a new file';
    for (const path of new Set([oldName, newName].filter((n): n is string => n !== undefined))) {
      const check = await resolveEditablePath(ctx, path);
      if (typeof check === 'string') return check;
    }
    const source = oldName === undefined ? null : await resolveEditablePath(ctx, oldName);
    const before = source && typeof source !== 'string' ? await readFile(source.absolute, 'utf8').catch(() => null) : '';
    if (before === null) return `error: ${oldName} does not exist`;
    const after = applyPatch(before, patch);
    if (after === false) return `error: the hunks for ${name} do not apply to the current file; read it again and regenerate the diff`;
    if (newName === undefined) {
      const target = source as { absolute: string; relative: string };
      writes.push({ ...target, content: null });
    } else {
      const target = await resolveEditablePath(ctx, newName);
      if (typeof target === 'string') return target;
      writes.push({ ...target, content: after });
      if (oldName !== undefined && oldName !== newName && source && typeof source !== 'string') writes.push({ ...source, content: null });
    }
  }
  for (const write of writes) {
    if (write.content === null) {
      await rm(write.absolute, { force: true });
    } else {
      await mkdir(dirname(write.absolute), { recursive: true });
      await writeFile(write.absolute, write.content);
    }
  }
  return `applied: ${writes.map((w) => `${w.content === null ? 'deleted' : 'wrote'} ${w.relative}`).join(', ')}`;
}
