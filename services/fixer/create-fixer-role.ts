import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { NightshiftConfig } from '../../shared/config/index.js';
import type { FixStrategyName } from '../../shared/events/incident-triaged.js';
import type { NightshiftEvent } from '../../shared/events/registry.js';
import type { Store } from '../../shared/store/store.js';
import type { HandlerDeps } from '../runtime/bind-handler.js';
import type { Role } from '../runtime/role.js';
import { getFixRuntime } from './create-fix-runtime.js';
import { draftFix, type DraftFixDeps, type FixGateVerdict } from './draft-fix.js';
import { followForgeEvent } from './follow-forge-event.js';
import { followFixOutcome } from './follow-fix-outcome.js';
import { checkDiffPolicy } from './policy/index.js';
import { renderPullRequestBody, renderPullRequestTitle } from './render-pull-request-body.js';

export type FixGates = (input: { store: Store; incidentId: string; repository: string | null; now: Date; resuming?: string }) => Promise<FixGateVerdict>;

/** Strategies whose drafted candidates the verifier failed: the ladder resumes after them. */
async function failedStrategies(store: Store, incidentId: string): Promise<FixStrategyName[]> {
  const attempts = await store.listFixAttempts(incidentId);
  return attempts
    .filter((attempt) => attempt.status === 'failed')
    .map((attempt) => (attempt.candidate as { strategy?: FixStrategyName } | null)?.strategy)
    .filter((strategy): strategy is FixStrategyName => strategy !== undefined);
}

function createDraftFixDeps(config: NightshiftConfig, gates: FixGates, { store, now, log }: HandlerDeps): DraftFixDeps {
  const runtime = getFixRuntime(config, log);
  return {
    store,
    log,
    now,
    newId: randomUUID,
    services: config.services,
    repositories: config.repositories,
    strategies: runtime.strategies,
    openWorkspace: ({ repository, path, baseRef, incidentId, attemptId }) => runtime.workspaces.open({ repository, source: path, baseRef, incidentId, attemptId }),
    forge: runtime.forge,
    checkPolicy: (diff, permissions) => checkDiffPolicy(diff, config.fixer.policy, { paths: permissions.paths }),
    gates: ({ incidentId, repository, resuming }) => gates({ store, incidentId, repository, now: now(), ...(resuming ? { resuming } : {}) }),
    renderPullRequest: (input) => ({ title: renderPullRequestTitle(input), body: renderPullRequestBody({ ...input, verification: null }) }),
  };
}

async function handleFixerEvent(event: NightshiftEvent, deps: DraftFixDeps, config: NightshiftConfig, log: Logger): Promise<NightshiftEvent[]> {
  switch (event.type) {
    case 'incident.triaged.v1':
      return draftFix(event.payload.incidentId, { kind: 'triaged', decision: event.payload.decision }, deps, event.id);
    case 'fix.verified.v1': {
      if (event.payload.verdict === 'passed') return [];
      const failed = await failedStrategies(deps.store, event.payload.incidentId);
      return draftFix(event.payload.incidentId, { kind: 'verification-failed', failedStrategies: failed }, deps, event.id);
    }
    case 'forge.event.v1': {
      const command = await followForgeEvent(event.payload, { store: deps.store, repositories: config.repositories });
      if (command.kind !== 'retry') return [];
      log.info({ incidentId: command.incidentId, by: command.author }, '/nightshift retry');
      return draftFix(command.incidentId, { kind: 'retry' }, deps, event.id);
    }
    case 'fix.outcome.v1':
    case 'incident.changed.v1':
      await followFixOutcome(event, deps);
      return [];
    default:
      return [];
  }
}

/**
 * The fix agent: drafts a fix for each triaged incident whose rule allows one, tries the next strategy
 * when verification fails one, and follows the incident's PR on the forge. Not transactional: git, the
 * LLM and the forge are slow, and every write it makes is idempotent by the incident's one PR.
 */
export function createFixerRole(config: NightshiftConfig, gates: FixGates = async () => ({ allowed: true })): Role {
  return {
    name: 'fixer',
    handlers: [
      {
        group: 'fixer',
        topics: ['incidents', 'verifications', 'forge-events'],
        transactional: false,
        handle: async (event, handlerDeps) => {
          const emitted = await handleFixerEvent(event, createDraftFixDeps(config, gates, handlerDeps), config, handlerDeps.log);
          for (const out of emitted) {
            if (out.type !== 'fix.drafted.v1') continue;
            handlerDeps.metrics.fixes.inc({ strategy: out.payload.strategy, outcome: 'drafted' });
            handlerDeps.metrics.recordLlmUsage(out.payload.usage ?? []);
          }
          return emitted;
        },
      },
    ],
  };
}
