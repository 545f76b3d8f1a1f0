import { WorkspaceError } from './workspace-error.js';

/**
 * Where a repository is fetched from: a local path, or a URL with an optional token. The token is sent as
 * an HTTP header for one command at a time and never stored in the mirror's config.
 */
export type RepositorySource = string | { url: string; token?: string };

/** The URL or path git fetches from, refusing credentials embedded in a URL (git would store them). */
export function sourceUrl(source: RepositorySource): string {
  const url = typeof source === 'string' ? source : source.url;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
      throw new WorkspaceError('WORKSPACE_CREDENTIALS_IN_URL', `the repository URL ${parsed.toString()} carries credentials; pass the token as source.token instead`);
    }
  }
  return url;
}

/**
 * Environment that adds `http.extraHeader` for one git command. `GIT_CONFIG_COUNT` keeps the secret out of
 * argv (visible in `ps` and in GitCommandError messages) and out of every config file. GitHub accepts a
 * token as the password of Basic auth with the user `x-access-token`.
 */
export function credentialEnv(source: RepositorySource): Record<string, string> {
  if (typeof source === 'string' || !source.token) return {};
  const basic = Buffer.from(`x-access-token:${source.token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}
