/** Where a service's code lives: triage reads this from configuration, once per service. */
export interface SuspectRepository {
  /** The repository's name as reported in `SuspectCommit.repository` (e.g. "acme/shop"). */
  name: string;
  /** A local clone or mirror (bare is fine) that git can read. */
  path: string;
  /** The service's directory inside the repository ("services/orders"); "" or "." for the whole repository. */
  sourceRoot: string;
  /** Deployment prefixes to strip from frame paths before matching ("/app/", "/srv/www/"). */
  pathPrefixes?: string[];
  /** The branch that is deployed; "HEAD" when not given. */
  ref?: string;
}

/** The source root without "./" or slashes at the ends; "" for the whole repository. */
export function normalizeSourceRoot(sourceRoot: string): string {
  const trimmed = sourceRoot.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+|\/+$/g, '');
  return trimmed === '.' ? '' : trimmed;
}

/** Whether `file` (repository-relative) is inside the normalised `sourceRoot`. */
export function isUnderSourceRoot(file: string, sourceRoot: string): boolean {
  return sourceRoot === '' || file === sourceRoot || file.startsWith(`${sourceRoot}/`);
}
