import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The service the Sentry fixture alerts for (its `service` tag), and the repository it maps to. */
export const FIXED_SERVICE = 'checkout-api';
export const FIX_REPOSITORY = 'shop';

/**
 * Writes `<dir>/nightshift.yaml` with a rule that drafts a revert on the local forge for every incident of
 * the Sentry fixture's service, whose frames (`/app/dist/…`) map into `repositoryPath`. Limits are raised
 * so every such incident gets its fix: the run counts PRs, the gates are tested elsewhere. `extra` is
 * merged in at the top level (the Kafka bus settings).
 */
export async function writeFixConfig(dir: string, repositoryPath: string, extra: Record<string, unknown> = {}): Promise<string> {
  const config = {
    ...extra,
    services: { [FIXED_SERVICE]: { repository: FIX_REPOSITORY } },
    repositories: { [FIX_REPOSITORY]: { path: repositoryPath, defaultBranch: 'main', pathPrefixes: ['/app/dist/'] } },
    fixer: { forge: 'local' },
    rules: [
      {
        id: 'checkout-revert',
        description: 'Errors in checkout-api get the suspect commit reverted in a draft PR.',
        match: { service: FIXED_SERVICE },
        action: 'draft-fix',
        fix: { strategies: ['revert'], labels: ['incident'] },
        maxFixesPerHour: 1000,
      },
    ],
    // maxFixAttemptsPerIncident keeps its default (3): a draft cut short by kill -9 is resumed under the same
    // attempt id by the redelivery, so kills do not use up an incident's attempts.
    controls: { maxOpenPullRequestsPerRepository: 1000, maxFixesPerRulePerHour: 1000 },
  };
  const file = join(dir, 'nightshift.yaml');
  await writeFile(file, stringify(config));
  return file;
}
