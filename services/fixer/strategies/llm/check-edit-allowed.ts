import picomatch from 'picomatch';

/** Which repository paths the model may edit: the rule's globs and the diff policy's forbidden ones. */
export interface EditScope {
  /** From `FixPermissions.paths`; empty allows any path the policy allows. */
  allowed: string[];
  /** From the diff policy's `forbiddenPaths`. */
  forbidden: string[];
}

/** A predicate answering, for a repository-relative path, null when editing it is allowed or why not. */
export type EditCheck = (relativePath: string) => string | null;

/** Compiles the scope once; every edit tool asks it before writing anything. */
export function createEditCheck(scope: EditScope): EditCheck {
  const options = { dot: true };
  const forbidden = scope.forbidden.map((glob) => ({ glob, test: picomatch(glob, options) }));
  const allowed = scope.allowed.length === 0 ? null : picomatch(scope.allowed, options);
  return (path) => {
    const hit = forbidden.find((f) => f.test(path));
    if (hit) return `refused: ${path} matches the diff policy's forbidden path "${hit.glob}"; Nightshift never edits it`;
    if (allowed && !allowed(path)) {
      return `refused: ${path} is outside the paths this incident's rule allows (${scope.allowed.join(', ')})`;
    }
    return null;
  };
}
