import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { check } from 'recheck';
import { scrubSecretText } from '../../../../../shared/log/scrub-secret-text.js';
import type { ToolContext } from './tool-context.js';
import { walkWorkspace } from './walk-workspace.js';

const MAX_FILES = 5000;
const MAX_FILE_BYTES = 1024 * 1024;
const MAX_MATCHES = 100;
// Long lines (minified bundles) are matched only in part, which also bounds regex work per line.
const MAX_LINE_CHARS = 2000;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// A model-written regex runs over the whole repository in this process: only ones a ReDoS checker
// proves safe are accepted.
async function compile(pattern: string, regex: boolean, signal: AbortSignal): Promise<RegExp | string> {
  if (!regex) return new RegExp(escapeRegExp(pattern));
  try {
    new RegExp(pattern);
  } catch (error) {
    return `error: invalid regular expression: ${(error as Error).message}`;
  }
  const diagnostics = await check(pattern, '', { timeout: 5000, signal });
  if (diagnostics.status !== 'safe') {
    return `error: the regular expression was refused (${diagnostics.status === 'vulnerable' ? 'it can backtrack catastrophically' : 'it could not be proven safe'}); simplify it or search literally`;
  }
  return new RegExp(pattern);
}

/** `search`: matching lines (`path:line: text`) across the files a glob selects. */
export async function searchWorkspace(ctx: ToolContext, args: { pattern: string; regex: boolean; path: string }): Promise<string> {
  const matcher = await compile(args.pattern, args.regex, ctx.signal);
  if (typeof matcher === 'string') return matcher;
  const selects = picomatch(args.path, { dot: true });
  const { entries } = await walkWorkspace(ctx.dir, '.', MAX_FILES);
  const hits: string[] = [];
  for (const entry of entries) {
    if (entry.directory || entry.size > MAX_FILE_BYTES || !selects(entry.path)) continue;
    const text = await readFile(join(ctx.dir, entry.path), 'utf8');
    if (text.includes('\0')) continue;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = (lines[i] as string).slice(0, MAX_LINE_CHARS);
      if (!matcher.test(line)) continue;
      hits.push(`${entry.path}:${i + 1}: ${scrubSecretText(line.trim().slice(0, 200))}`);
      if (hits.length >= MAX_MATCHES) return `${hits.join('\n')}\n… (stopped after ${MAX_MATCHES} matches; narrow the pattern or the path)`;
    }
  }
  return hits.join('\n') || 'no matches';
}
