import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isSymlink, resolveWorkspacePath } from '../resolve-workspace-path.js';
import type { ToolContext } from './tool-context.js';

function countOccurrences(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + search.length)) count++;
  return count;
}

/** Resolves a path the model wants to write and asks the edit scope; a string is the refusal. */
export async function resolveEditablePath(ctx: ToolContext, path: string): Promise<{ absolute: string; relative: string } | string> {
  const resolved = await resolveWorkspacePath(ctx.dir, path);
  if (!resolved.ok) return `refused: ${resolved.reason}`;
  const refusal = ctx.checkEdit(resolved.relative);
  if (refusal) return refusal;
  if (await isSymlink(resolved.absolute)) return `refused: ${resolved.relative} is a symlink; edit the file it points to`;
  return resolved;
}

/** `propose_edit`: replaces one exact occurrence, or creates a file when `search` is empty and it does not exist. */
export async function proposeEdit(ctx: ToolContext, args: { path: string; search: string; replace: string }): Promise<string> {
  const target = await resolveEditablePath(ctx, args.path);
  if (typeof target === 'string') return target;
  const current = await readFile(target.absolute, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (current === null) {
    if (args.search !== '') return `error: ${target.relative} does not exist; to create it, give an empty search`;
    await mkdir(dirname(target.absolute), { recursive: true });
    await writeFile(target.absolute, args.replace);
    return `created ${target.relative}`;
  }
  if (args.search === '') return `error: ${target.relative} exists; give the exact text to replace`;
  const count = countOccurrences(current, args.search);
  if (count === 0) return `error: the search text does not occur in ${target.relative}; read the file and copy the text exactly`;
  if (count > 1) return `error: the search text occurs ${count} times in ${target.relative}; include more surrounding lines so it is unique`;
  const at = current.indexOf(args.search);
  await writeFile(target.absolute, current.slice(0, at) + args.replace + current.slice(at + args.search.length));
  return `edited ${target.relative}`;
}
