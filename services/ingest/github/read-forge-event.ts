import { readCheckEvent } from './read-check-event.js';
import type { ForgeReading } from './read-forge-common.js';
import { readInstallationEvent } from './read-installation-event.js';
import { readIssueCommentEvent } from './read-issue-comment-event.js';
import { readPullRequestEvent } from './read-pull-request-event.js';

/**
 * Dispatches a verified delivery on its `X-GitHub-Event`. Events and actions Nightshift does not act
 * on (`ping`, `push`, labels, …) read as null: accepted with nothing to publish. They are not
 * refused, because GitHub sends everything an App or hook subscribes to and would show each 4xx as
 * a failed delivery, burying the failures that matter.
 */
export function readForgeEvent(eventName: string, body: Record<string, unknown>, deliveryId: string): ForgeReading {
  const action = typeof body.action === 'string' ? body.action : undefined;
  switch (eventName) {
    case 'pull_request':
      return readPullRequestEvent(body, action, deliveryId);
    case 'check_suite':
    case 'check_run':
    case 'workflow_run':
      return readCheckEvent(eventName, body, action, deliveryId);
    case 'issue_comment':
      return readIssueCommentEvent(body, action, deliveryId);
    case 'installation':
      return readInstallationEvent(body, deliveryId);
    default:
      return { ok: true, event: null };
  }
}
