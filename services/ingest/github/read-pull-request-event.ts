import { pullRequestEvent } from './github-payload-schemas.js';
import { forgeKey, readForgeCommon, type ForgeReading } from './read-forge-common.js';

/** The pull request actions Nightshift acts on: a PR appears, gets new commits, or is merged or closed. */
const HANDLED = new Set(['opened', 'closed', 'synchronize']);

/** A `pull_request` delivery: an event for the handled actions, null for the others (labels, edits, …). */
export function readPullRequestEvent(body: unknown, action: string | undefined, deliveryId: string): ForgeReading {
  if (!action || !HANDLED.has(action)) return { ok: true, event: null };
  const parsed = pullRequestEvent.safeParse(body);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const pr = parsed.data.pull_request;
  return {
    ok: true,
    event: {
      key: forgeKey(parsed.data.repository, pr.number),
      payload: {
        ...readForgeCommon(parsed.data, deliveryId),
        kind: 'pull_request',
        pullRequest: {
          number: pr.number,
          headSha: pr.head.sha,
          headRef: pr.head.ref,
          baseRef: pr.base.ref,
          state: pr.state,
          // Older payloads lack `merged`; a merge time says the same.
          merged: pr.merged ?? Boolean(pr.merged_at),
          draft: pr.draft ?? false,
          url: pr.html_url,
        },
      },
    },
  };
}
