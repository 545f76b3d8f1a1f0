import picomatch from 'picomatch';

/** Owners of a set of paths: user logins (without `@`) and teams (`org/team`), each once, in file order. */
export interface CodeOwners {
  users: string[];
  teams: string[];
}

/** Where GitHub looks for CODEOWNERS, in the order it looks; the first one present is used. */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

interface Rule {
  matches: (path: string) => boolean;
  owners: string[];
}

/**
 * One CODEOWNERS pattern as a matcher, with GitHub's gitignore-style rules: a leading or inner `/` anchors
 * the pattern at the root, otherwise it matches at any depth; a pattern naming a directory covers
 * everything below it, except `dir/*`, which GitHub documents as not matching nested files.
 */
function compilePattern(pattern: string): (path: string) => boolean {
  const unescaped = pattern.replace(/\\(.)/g, '$1');
  const directoryOnly = unescaped.endsWith('/');
  const body = unescaped.replace(/^\/+/, '').replace(/\/+$/, '');
  const anchored = unescaped.startsWith('/') || body.includes('/');
  const base = anchored ? body : `**/${body}`;
  const lastSegment = body.split('/').pop();
  const globs = directoryOnly ? [`${base}/**`] : lastSegment === '*' ? [base] : [base, `${base}/**`];
  return picomatch(globs, { dot: true });
}

function parseRules(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const line of text.split(/\r?\n/)) {
    // `#` starts a comment unless escaped; GitHub allows trailing comments after owners.
    const content = line.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (content === '') continue;
    const [pattern, ...owners] = content.split(/(?<!\\)\s+/);
    // CODEOWNERS has no negation or character ranges; GitHub skips such lines, and so do we.
    if (!pattern || pattern.startsWith('!') || pattern.includes('[')) continue;
    rules.push({ matches: compilePattern(pattern), owners });
  }
  return rules;
}

/**
 * The owners of `paths` under a CODEOWNERS file: for each path the last matching line wins (a matching
 * line with no owners leaves the path unowned); the union is returned. Email owners are skipped (they
 * cannot be requested as reviewers by login).
 */
export function resolveCodeOwners(text: string, paths: readonly string[]): CodeOwners {
  const rules = parseRules(text);
  const users = new Set<string>();
  const teams = new Set<string>();
  for (const raw of paths) {
    const path = raw.replace(/^\/+/, '');
    const rule = rules.findLast((r) => r.matches(path));
    for (const owner of rule?.owners ?? []) {
      if (!owner.startsWith('@')) continue;
      const name = owner.slice(1);
      (name.includes('/') ? teams : users).add(name);
    }
  }
  return { users: [...users], teams: [...teams] };
}
