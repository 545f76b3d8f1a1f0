import { parsePatch } from 'diff';

/** One file's text hunks from a unified diff. */
export interface FilePatch {
  /** Repository-relative path (the new name; the old one for a deletion). */
  path: string;
  hunks: Array<{ lines: string[] }>;
}

/**
 * Splits a `git diff` into its per-file sections and parses each with jsdiff. Splitting first matters:
 * jsdiff's `parsePatch` stops understanding the rest of a diff after a `GIT binary patch` section, and
 * binary sections carry no lines the content rules read anyway.
 */
export function parseFilePatches(diff: string): FilePatch[] {
  const sections: string[][] = [];
  for (const line of diff.split('\n')) {
    // Hunk lines always start with " ", "+", "-" or "\", so this is a file header.
    if (line.startsWith('diff --git ') || sections.length === 0) sections.push([]);
    sections.at(-1)?.push(line);
  }
  const patches: FilePatch[] = [];
  for (const section of sections) {
    if (section.some((line) => line === 'GIT binary patch' || line.startsWith('Binary files '))) continue;
    const [parsed] = parsePatch(section.join('\n'));
    if (!parsed || parsed.hunks.length === 0) continue;
    const name = parsed.newFileName && parsed.newFileName !== '/dev/null' ? parsed.newFileName : parsed.oldFileName;
    if (!name) continue;
    patches.push({ path: stripPrefix(unquote(name)), hunks: parsed.hunks.map((hunk) => ({ lines: hunk.lines })) });
  }
  return patches;
}

function stripPrefix(name: string): string {
  return /^[ab]\//.test(name) ? name.slice(2) : name;
}

/** Undoes git's C-style quoting of unusual paths ("a/caf\303\251.txt"). */
function unquote(name: string): string {
  if (!(name.startsWith('"') && name.endsWith('"'))) return name;
  const bytes: number[] = [];
  const body = name.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i] ?? '';
    if (char !== '\\') {
      bytes.push(...Buffer.from(char));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
