import { readFile, stat } from 'node:fs/promises';
import { scrubSecretText } from '../../../../../shared/log/scrub-secret-text.js';
import { resolveWorkspacePath } from '../resolve-workspace-path.js';
import { capText, type ToolContext } from './tool-context.js';

const MAX_BYTES = 1024 * 1024;
const MAX_LINES = 400;
const MAX_CHARS = 24_000;

/** `read_file`: a line range of a repository file, numbered, secrets scrubbed. */
export async function readWorkspaceFile(ctx: ToolContext, args: { path: string; start?: number; end?: number }): Promise<string> {
  const resolved = await resolveWorkspacePath(ctx.dir, args.path);
  if (!resolved.ok) return `error: ${resolved.reason}`;
  const info = await stat(resolved.absolute).catch(() => null);
  if (!info) return `error: ${resolved.relative} does not exist`;
  if (!info.isFile()) return `error: ${resolved.relative} is not a file`;
  if (info.size > MAX_BYTES) return `error: ${resolved.relative} is ${info.size} bytes, more than ${MAX_BYTES}; use search instead`;
  const text = await readFile(resolved.absolute, 'utf8');
  if (text.includes('\0')) return `error: ${resolved.relative} is a binary file`;
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const start = args.start ?? 1;
  const end = Math.min(args.end ?? lines.length, lines.length, start + MAX_LINES - 1);
  if (start > lines.length) return `error: ${resolved.relative} has only ${lines.length} lines`;
  const width = String(end).length;
  const body = lines
    .slice(start - 1, end)
    .map((line, i) => `${String(start + i).padStart(width)}| ${line}`)
    .join('\n');
  const more = end < lines.length ? `\n… (lines ${end + 1}-${lines.length} not shown)` : '';
  return capText(`${resolved.relative} lines ${start}-${end} of ${lines.length}:\n${scrubSecretText(body)}${more}`, MAX_CHARS);
}
