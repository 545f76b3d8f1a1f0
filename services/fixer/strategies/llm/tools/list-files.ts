import { stat } from 'node:fs/promises';
import { resolveWorkspacePath } from '../resolve-workspace-path.js';
import type { ToolContext } from './tool-context.js';
import { walkWorkspace } from './walk-workspace.js';

const MAX_ENTRIES = 400;

/** `list_files`: the tree under a directory, directories marked with a trailing slash. */
export async function listFiles(ctx: ToolContext, args: { dir: string }): Promise<string> {
  const resolved = await resolveWorkspacePath(ctx.dir, args.dir);
  if (!resolved.ok) return `error: ${resolved.reason}`;
  const info = await stat(resolved.absolute).catch(() => null);
  if (!info?.isDirectory()) return `error: ${resolved.relative} is not a directory`;
  const { entries, truncated } = await walkWorkspace(ctx.dir, resolved.relative, MAX_ENTRIES);
  const lines = entries.map((e) => (e.directory ? `${e.path}/` : e.path));
  if (truncated) lines.push(`… (stopped after ${MAX_ENTRIES} entries; list a subdirectory)`);
  return lines.join('\n') || '(empty directory)';
}
