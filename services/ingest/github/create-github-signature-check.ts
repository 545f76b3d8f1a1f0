import { Webhooks } from '@octokit/webhooks';

/** Checks `X-Hub-Signature-256` against the body; false (never a throw) for a missing or wrong one. */
export type GithubSignatureCheck = (body: Buffer, signature: string | undefined) => Promise<boolean>;

/**
 * A signature check bound to the webhook secret, using @octokit/webhooks (HMAC-SHA256, compared in
 * constant time). It signs the body as a UTF-8 string, which is byte-exact for GitHub's JSON.
 */
export function createGithubSignatureCheck(secret: string): GithubSignatureCheck {
  const webhooks = new Webhooks({ secret });
  return async (body, signature) => {
    // octokit throws on an empty payload or signature; for us both are simply not authentic.
    if (!signature || body.length === 0) return false;
    try {
      return await webhooks.verify(body.toString('utf8'), signature);
    } catch {
      return false;
    }
  };
}
