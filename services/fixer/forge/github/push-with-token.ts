import type { RunGit } from '../../../triage/suspects/run-git.js';
import { ForgeError } from '../forge-error.js';

/**
 * Force-pushes `sha` to `branch` on `remote`, authenticating over HTTPS with the token as a per-command
 * `http.<origin>/.extraHeader` (scoped to the remote's origin so a redirect elsewhere never gets it).
 * The token never enters a URL, a config file or an error: git's failure is rethrown with it scrubbed and
 * without the original error, whose arguments carry the header.
 */
export async function pushWithToken(input: {
  runGit: RunGit;
  dir: string;
  remote: string;
  branch: string;
  sha: string;
  token: string;
}): Promise<void> {
  const { runGit, dir, remote, branch, sha, token } = input;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  const auth: string[] = [];
  if (/^https?:\/\//i.test(remote)) {
    const origin = new URL(remote).origin;
    auth.push('-c', `http.${origin}/.extraHeader=AUTHORIZATION: basic ${basic}`);
  }
  // No credential helper: it could offer a stored password instead of, or in addition to, the token.
  const args = [...auth, '-c', 'credential.helper=', 'push', '--force', '--quiet', '--no-verify', remote, `${sha}:refs/heads/${branch}`];
  try {
    await runGit(args, dir);
  } catch (error) {
    const raw = error instanceof Error ? ((error as { stderr?: string }).stderr ?? error.message) : String(error);
    const scrubbed = raw.replaceAll(token, '[REDACTED]').replaceAll(basic, '[REDACTED]').trim().slice(0, 500);
    const retriable = error instanceof Error && (error as { retriable?: boolean }).retriable === true;
    throw new ForgeError('FORGE_PUSH_FAILED', `git push of ${sha.slice(0, 12)} to ${branch} failed: ${scrubbed}`, { retriable });
  }
}
