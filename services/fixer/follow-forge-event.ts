import type { RepositoryConfig } from '../../shared/config/triage-schema.js';
import type { PayloadOf } from '../../shared/events/registry.js';
import type { PullRequestLink, Store } from '../../shared/store/store.js';

type ForgeEvent = PayloadOf<'forge.event.v1'>;

/** The configured repository a GitHub event is about, by its `owner/name` slug. */
export function repositoryOfForgeEvent(event: ForgeEvent, repositories: Record<string, RepositoryConfig>): string | undefined {
  if (!event.repository) return undefined;
  const slug = `${event.repository.owner}/${event.repository.name}`.toLowerCase();
  return Object.entries(repositories).find(([, repository]) => repository.slug?.toLowerCase() === slug)?.[0];
}

/** What a forge event asks of the fixer: nothing, or a command on an incident's PR. */
export type ForgeCommand = { kind: 'none' } | { kind: 'retry' | 'stop'; incidentId: string; link: PullRequestLink; author: string };

/**
 * Closes the loop from GitHub: a merged or closed Nightshift PR updates its incident, the repository's
 * own CI result is recorded on the incident's timeline, and `/nightshift retry|stop` comments become
 * commands for the fixer.
 */
export async function followForgeEvent(event: ForgeEvent, deps: { store: Store; repositories: Record<string, RepositoryConfig> }): Promise<ForgeCommand> {
  const repository = repositoryOfForgeEvent(event, deps.repositories);
  if (!repository) return { kind: 'none' };
  const { store } = deps;
  switch (event.kind) {
    case 'pull_request': {
      if (event.action !== 'closed') return { kind: 'none' };
      const link = await store.findPullRequestLink(repository, event.pullRequest.number);
      if (!link) return { kind: 'none' };
      const merged = event.pullRequest.merged;
      // Merged: the fix is out; the incident recovers, and triage resolves it once its alert stays quiet.
      // Recovery first: a merged PR on an incident still open reads as a fix that regressed.
      if (merged) await store.updateIncident(link.incidentId, { status: 'recovering' });
      await store.updatePullRequestState(repository, link.number, merged ? 'merged' : 'closed');
      await store.appendAudit({
        incidentId: link.incidentId,
        actor: event.sender ?? 'github',
        action: merged ? 'fix-merged' : 'fix-closed',
        detail: { repository, pullRequest: link.number },
      });
      return { kind: 'none' };
    }
    case 'check_suite':
    case 'workflow_run': {
      for (const number of event.check.pullRequests) {
        const link = await store.findPullRequestLink(repository, number);
        if (!link) continue;
        await store.appendAudit({
          incidentId: link.incidentId,
          actor: 'github',
          action: 'repository-ci',
          detail: { kind: event.kind, conclusion: event.check.conclusion, headSha: event.check.headSha, pullRequest: number },
        });
      }
      return { kind: 'none' };
    }
    case 'issue_comment': {
      if (!event.isPullRequest || !event.command || event.action !== 'created') return { kind: 'none' };
      const link = await store.findPullRequestLink(repository, event.issueNumber);
      if (!link) return { kind: 'none' };
      const kind = event.command.name;
      await store.appendAudit({ incidentId: link.incidentId, actor: event.comment.author, action: kind === 'retry' ? 'fix-retried' : 'fix-stopped', detail: { pullRequest: link.number } });
      return { kind, incidentId: link.incidentId, link, author: event.comment.author };
    }
    default:
      return { kind: 'none' };
  }
}
