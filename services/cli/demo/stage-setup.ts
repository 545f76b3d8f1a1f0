import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../../shared/config/index.js';
import { createLogger } from '../../../shared/log/index.js';
import { startNightshift } from '../../runtime/start-nightshift.js';
import type { RoleName } from '../../runtime/role.js';
import { createSampleRepository } from './create-sample-repository.js';
import type { DemoContext } from './demo-context.js';
import type { DemoStage } from './run-demo-stages.js';
import { findFreePort } from './find-free-port.js';
import { SAMPLE_SERVICES, type SampleServiceName } from './sample-history.js';
import { startSampleSystem } from './start-sample-system.js';
import { watchIncidents } from './watch-incidents.js';
import { writeDemoConfig } from './write-demo-config.js';

/**
 * Setup: the sample repository, a configuration for it, Nightshift in this process (the given roles) and
 * the three services as children reporting to it. Both start at once; each is stopped on cleanup.
 */
export function createSetupStage(roles: readonly RoleName[]): DemoStage<DemoContext> {
  return {
    name: 'setup',
    title: 'setup',
    async run(ctx) {
      const sample = await createSampleRepository(ctx.workDir);
      ctx.sample = sample;
      const names = Object.keys(SAMPLE_SERVICES) as SampleServiceName[];
      const logDir = join(ctx.workDir, 'logs');
      const logFiles = Object.fromEntries(names.map((name) => [name, join(logDir, `${name}.log`)])) as Record<SampleServiceName, string>;
      const port = await findFreePort();
      ctx.configFile = await writeDemoConfig({ workDir: ctx.workDir, port, repoDir: sample.repoDir, logFiles, datadogToken: ctx.secrets.datadogToken, dsnKey: ctx.secrets.dsnKey, llm: ctx.env.OPENAI_API_KEY !== undefined || ctx.env.OPENAI_BASE_URL !== undefined });
      const { config } = await loadConfig({ env: { ...ctx.env, NIGHTSHIFT_CONFIG: ctx.configFile }, cwd: ctx.workDir });
      ctx.config = config;
      const log = createLogger({ level: config.log.level, name: 'nightshift', destination: pino.destination({ dest: join(ctx.workDir, 'nightshift.log'), sync: true }) });
      ctx.log = log;

      const { dsnKey } = ctx.secrets;
      const [nightshift, system] = await Promise.allSettled([
        startNightshift({ config, roles: [...roles], log, configFile: ctx.configFile }),
        startSampleSystem({ repoDir: sample.repoDir, logDir, sentryDsn: `http://${dsnKey.publicKey}@127.0.0.1:${port}/${dsnKey.projectId}`, release: sample.guiltySha.slice(0, 12) }),
      ]);
      if (nightshift.status === 'fulfilled') {
        ctx.nightshift = nightshift.value;
        ctx.cleanup.add('stop Nightshift', () => nightshift.value.stop());
      }
      if (system.status === 'fulfilled') {
        ctx.system = system.value;
        ctx.cleanup.add('stop the sample services', () => system.value.stop());
      }
      if (nightshift.status === 'rejected') throw nightshift.reason;
      if (system.status === 'rejected') throw system.reason;
      const watch = watchIncidents(nightshift.value.url);
      ctx.watch = watch;
      ctx.cleanup.add('stop watching incidents', () => watch.stop());

      const guilty = sample.commits.at(-1)!;
      return `shop repository with ${sample.commits.length} commits, the latest ${sample.guiltySha.slice(0, 7)} "${guilty.message}" by ${guilty.author}; Nightshift on ${nightshift.value.url}; gateway, orders and inventory up`;
    },
  };
}
