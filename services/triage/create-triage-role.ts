import type { NightshiftConfig } from '../../shared/config/index.js';
import { createEvent } from '../../shared/events/create-event.js';
import type { Role } from '../runtime/role.js';
import { createLogSources } from './create-log-sources.js';
import { createCallPaths } from './grouping/create-call-paths.js';
import { groupAlert, type GroupingOptions } from './grouping/group-alert.js';
import { reportIncident } from './report-incident.js';
import { startResolutionSweep } from './resolution/start-resolution-sweep.js';
import { createRuleBook } from './rules/create-rule-book.js';
import { loadRuleSet, rulesDirBeside } from './rules/load-rule-set.js';
import { watchRuleSet } from './rules/watch-rule-set.js';
import { createRunGit, createTrackedFilesCache } from './suspects/index.js';
import type { TriageDeps } from './triage-incident.js';

/** The grouping settings from configuration: declared calls make the call paths. */
export function createGroupingOptions(config: NightshiftConfig): GroupingOptions {
  const calls = Object.fromEntries(Object.entries(config.services).map(([name, service]) => [name, service.calls]));
  return { callPaths: createCallPaths(calls), correlationWindowMs: config.triage.correlationWindowSeconds * 1000 };
}

/** What triageIncident needs besides the store and the log, built once per process. */
export function createTriageDeps(config: NightshiftConfig): Omit<TriageDeps, 'store' | 'log'> {
  return {
    logSources: createLogSources(config),
    services: config.services,
    repositories: config.repositories,
    settings: config.triage,
    callPaths: createGroupingOptions(config).callPaths,
    runGit: createRunGit(),
    trackedFiles: createTrackedFilesCache(),
  };
}

/**
 * Triage: group `triage` groups alerts into incidents and announces each one opened or joined by a
 * new service; group `triage-report` triages them (logs, templates, traces, ranking, suspects) outside any
 * transaction and emits `incident.triaged.v1`.
 */
export function createTriageRole(config: NightshiftConfig, { configFile = null }: { configFile?: string | null } = {}): Role {
  const grouping = createGroupingOptions(config);
  const deps = createTriageDeps(config);
  // The rule book is read here, at the edge: `rules:` in the file plus rules/*.yaml beside it, reloaded on change.
  const sources = configFile ? { configFile, rulesDir: rulesDirBeside(configFile), modelTiers: Object.keys(config.fixer.llm.models) } : undefined;
  const ruleBook = createRuleBook(sources ? loadRuleSet(sources) : { rules: config.rules, controls: config.controls });
  return {
    name: 'triage',
    start: ({ log, store, bus, now, metrics }) => {
      const sweep = startResolutionSweep({ store, publish: (events) => bus.publish(events), now, log, metrics, quietMinutes: config.triage.resolveAfterQuietMinutes });
      const watcher = sources && watchRuleSet({ book: ruleBook, sources, log });
      return () => {
        sweep.stop();
        watcher?.close();
      };
    },
    handlers: [
      {
        group: 'triage',
        topics: ['alerts'],
        // A storm's alerts are grouped many to one transaction: one fsync per batch, not per alert.
        batchSize: 100,
        handle: async (event, { store, now, log, metrics }) => {
          if (event.type !== 'alert.received.v1') return [];
          const outcome = await groupAlert(event, store, grouping);
          if (outcome?.opened) {
            metrics.incidentsOpened.inc({ reason: outcome.reason });
            log.info({ incidentId: outcome.incident.id, reason: outcome.reason, alertId: event.id }, 'incident opened');
          }
          // News for triage (a new incident, a service it did not have) or for the fixer (out of recovery: a merged fix did not hold).
          if (!outcome || (!outcome.opened && outcome.joinedServices.length === 0 && !outcome.reopened)) return [];
          const { incident } = outcome;
          const change = outcome.reason === 'recurrence' ? 'recurrence' : outcome.opened ? 'opened' : outcome.reopened ? 'reopened' : 'service-joined';
          return [
            createEvent(
              'incident.changed.v1',
              {
                key: incident.key,
                payload: { incidentId: incident.id, change, key: incident.key, reopenedFrom: incident.reopenedFrom, alertId: event.id, services: outcome.joinedServices },
              },
              { now },
            ),
          ];
        },
      },
      {
        group: 'triage-report',
        topics: ['incidents'],
        transactional: false,
        handle: async (event, { store, now, log }) => {
          if (event.type !== 'incident.changed.v1') return [];
          // Reopened by the same failure: nothing new to read, unless the alert also brought a service.
          if (event.payload.change === 'reopened' && event.payload.services.length === 0) return [];
          // Every line triage writes about this incident carries its id, so logs can be filtered by it.
          return reportIncident(event.payload.incidentId, { ...deps, store, log: log.child({ incidentId: event.payload.incidentId }) }, now, ruleBook);
        },
      },
    ],
  };
}
