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
  /** OPENAI_API_KEY or OPENAI_BASE_URL is set: the LLM rung joins the ladder. */
  llm: boolean;
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
    rules: [
      {
        id: 'inventory-errors',
        description: 'Errors in inventory get a drafted fix: a revert of the suspect first, then a template, then the LLM.',
        match: { service: 'inventory', minSeverity: 'error' },
        action: 'draft-fix',
        fix: { strategies: input.llm ? ['revert', 'template', 'llm'] : ['revert', 'template'], reviewers: ['on-call'], labels: ['incident'] },
      },
    ],
    // How the shop is verified: its tests, and the inventory service started for the replay.
    verifier: {
      profiles: {
        shop: {
          test: ['node', '--test'],
          service: { command: ['node', 'services/inventory/server.js'], port: 4700, healthPath: '/healthz', env: { PORT: '4700' } },
          timeouts: { stepMs: 60_000 },
          memoryMb: 1024,
        },
      },
      repositories: { [DEMO_REPOSITORY]: 'shop' },
    },
  };
  const file = join(input.workDir, 'nightshift.yaml');
  await writeFile(file, `# Written by \`nightshift demo\`.\n${stringify(config)}`, { mode: 0o600 });
  return file;
}
