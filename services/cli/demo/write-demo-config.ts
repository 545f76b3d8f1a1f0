import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { DsnKey } from '../../../shared/config/config-schema.js';
import { SAMPLE_SERVICES, type SampleServiceName } from './sample-history.js';

export interface DemoConfigInput {
  workDir: string;
  port: number;
  repoDir: string;
  logFiles: Record<SampleServiceName, string>;
  datadogToken: string;
  dsnKey: DsnKey;
}

/** The repository's name in the demo configuration. */
export const DEMO_REPOSITORY = 'shop';

/**
 * Writes `<workDir>/nightshift.yaml` for the demo: embedded bus and SQLite under the work directory, the
 * webhook secrets and DSN key of this run, the three services with their calls and code, the sample
 * repository, and the services' pino files as triage's log source. With --keep, `nightshift start` runs
 * from it as is.
 */
export async function writeDemoConfig(input: DemoConfigInput): Promise<string> {
  const names = Object.keys(SAMPLE_SERVICES) as SampleServiceName[];
  const config = {
    server: { host: '127.0.0.1', port: input.port },
    dataDir: join(input.workDir, 'nightshift-data'),
    log: { level: 'info' },
    bus: { kind: 'embedded' },
    store: { kind: 'sqlite' },
    ingest: { sentry: { dsnKeys: [input.dsnKey] }, datadog: { token: input.datadogToken } },
    services: Object.fromEntries(
      names.map((name) => {
        const service = SAMPLE_SERVICES[name];
        return [name, { repository: DEMO_REPOSITORY, sourceRoot: service.sourceRoot, calls: service.calls ? [service.calls] : [] }];
      }),
    ),
    // Stack frames carry the absolute path the services ran from.
    repositories: { [DEMO_REPOSITORY]: { path: input.repoDir, defaultBranch: 'main', pathPrefixes: [`${input.repoDir}/`] } },
    triage: {
      logSources: [{ type: 'files', files: names.map((name) => ({ path: input.logFiles[name], service: name, format: 'pino' })) }],
    },
  };
  const file = join(input.workDir, 'nightshift.yaml');
  await writeFile(file, `# Written by \`nightshift demo\`.\n${stringify(config)}`, { mode: 0o600 });
  return file;
}
