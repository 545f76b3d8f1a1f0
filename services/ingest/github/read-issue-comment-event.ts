import { issueCommentEvent } from './github-payload-schemas.js';
import { parseNightshiftCommand } from './parse-nightshift-command.js';
import { forgeKey, readForgeCommon, type ForgeReading } from './read-forge-common.js';

/**
 * An `issue_comment` delivery: an event for new comments (commands are given by writing one), null
 * for edits and deletions, so editing an old command does not run it again.
 */
export function readIssueCommentEvent(body: unknown, action: string | undefined, deliveryId: string): ForgeReading {
  if (action !== 'created') return { ok: true, event: null };
  const parsed = issueCommentEvent.safeParse(body);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const { issue, comment } = parsed.data;
  const text = comment.body ?? '';
  return {
    ok: true,
    event: {
      key: forgeKey(parsed.data.repository, issue.number),
      payload: {
        ...readForgeCommon(parsed.data, deliveryId),
        kind: 'issue_comment',
        issueNumber: issue.number,
        isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
        // GitHub shows comments of deleted accounts as the `ghost` user.
        comment: { id: comment.id, body: text, author: comment.user?.login ?? 'ghost' },
        command: parseNightshiftCommand(text),
      },
    },
  };
}
