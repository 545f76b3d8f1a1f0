import { isObjectId } from './resolve-revision.js';
import { GitCommandError, SAFE_GIT_OPTIONS, type RunGit } from './run-git.js';

/** The commit that last changed one line, as of the revision blamed. */
export interface BlamedLine {
  file: string;
  line: number;
  sha: string;
}

/**
 * Blames the given lines of one file at `head` in one `git blame` (several `-L`), ignoring whitespace-only
 * changes. Lines last changed before `base` (or in the root commit, when `base` is given) come back without
 * a commit: nothing inside the range touched them. Lines past the end of the file are dropped.
 */
export async function blameFrameLines(
  runGit: RunGit,
  gitDir: string,
  range: { head: string; base?: string },
  file: string,
  lines: readonly number[],
): Promise<BlamedLine[]> {
  let wanted = [...new Set(lines)].filter((line) => Number.isInteger(line) && line > 0).sort((a, b) => a - b);
  for (let attempt = 0; attempt < 2 && wanted.length > 0; attempt++) {
    try {
      return parseBlame(await runGit(blameArgs(range, file, wanted), gitDir), file);
    } catch (error) {
      // The deployed file is shorter than the frame claims (stale source maps): keep the lines that exist.
      const length = error instanceof GitCommandError ? /has only (\d+) lines?/.exec(error.stderr)?.[1] : undefined;
      if (length === undefined) throw error;
      wanted = wanted.filter((line) => line <= Number(length));
    }
  }
  return [];
}

function blameArgs(range: { head: string; base?: string }, file: string, lines: readonly number[]): string[] {
  const args = [...SAFE_GIT_OPTIONS, 'blame', '--porcelain', '-w'];
  for (const [start, end] of toRanges(lines)) args.push('-L', `${start},${end}`);
  if (range.base) args.push(`${range.base}..${range.head}`);
  else args.push('--root', range.head);
  args.push('--', file);
  return args;
}

function toRanges(lines: readonly number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const line of lines) {
    const last = ranges[ranges.length - 1];
    if (last && line === last[1] + 1) last[1] = line;
    else ranges.push([line, line]);
  }
  return ranges;
}

function parseBlame(output: string, file: string): BlamedLine[] {
  const blamed: BlamedLine[] = [];
  const boundaries = new Set<string>();
  let current: { sha: string; line: number } | undefined;
  for (const text of output.split('\n')) {
    if (text.startsWith('\t')) {
      if (current) blamed.push({ file, line: current.line, sha: current.sha });
      current = undefined;
      continue;
    }
    const header = /^([0-9a-f]{40,64}) \d+ (\d+)/.exec(text);
    if (header && isObjectId(header[1]!)) current = { sha: header[1]!, line: Number(header[2]) };
    else if (text === 'boundary' && current) boundaries.add(current.sha);
  }
  // Porcelain says "boundary" only the first time a commit appears, so filter once everything is read.
  return blamed.filter((line) => !boundaries.has(line.sha));
}
