/**
 * The HTTPS clone URL of `slug` on the GitHub that serves `apiUrl`: api.github.com → github.com, a GitHub
 * Enterprise Server's `https://HOST/api/v3` → `https://HOST`; any other API root is taken to serve git
 * at its own origin.
 */
export function deriveGitRemote(apiUrl: string, slug: string): string {
  const url = new URL(apiUrl);
  const path = url.pathname.replace(/\/+$/, '');
  let origin = url.origin;
  if (url.hostname.startsWith('api.') && path === '') origin = `${url.protocol}//${url.host.slice('api.'.length)}`;
  else if (path.endsWith('/api/v3')) origin = `${url.origin}${path.slice(0, -'/api/v3'.length)}`;
  return `${origin}/${slug}.git`;
}
