import type { RepositoryConfig, ServiceConfig } from '../../shared/config/triage-schema.js';
import type { FixPermissions } from '../../shared/events/incident-triaged.js';
import type { TriageReport } from '../triage/report/triage-report.js';

export type RepositoryChoice = { ok: true; name: string; repository: RepositoryConfig } | { ok: false; reason: string };

/**
 * The repository a fix goes to: the suspect commit's, else the one the crash mapped into, else the
 * root-cause service's — and only one the rule allows.
 */
export function chooseFixRepository(
  report: TriageReport,
  permissions: FixPermissions,
  config: { services: Record<string, ServiceConfig>; repositories: Record<string, RepositoryConfig> },
): RepositoryChoice {
  const rootService = report.rootCause?.service;
  const name =
    report.suspectCommits[0]?.repository ?? report.crash?.repository ?? (rootService ? config.services[rootService]?.repository : undefined);
  if (!name) {
    return { ok: false, reason: `no repository is known for ${rootService ? `service ${rootService}` : 'this incident'} (services.<name>.repository)` };
  }
  const repository = config.repositories[name];
  if (!repository) return { ok: false, reason: `repository ${name} is not in the configuration` };
  if (permissions.repositories.length > 0 && !permissions.repositories.includes(name)) {
    return { ok: false, reason: `the rule allows fixes only in ${permissions.repositories.join(', ')}, not in ${name}` };
  }
  return { ok: true, name, repository };
}
