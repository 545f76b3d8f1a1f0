import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, describeConfig, loadConfig } from '../../shared/config/index.js';
import { NightshiftError } from '../../shared/errors.js';
import { createLogger } from '../../shared/log/index.js';
import { roleNames } from '../runtime/role.js';
import { createDemoCommand } from './demo/demo-command.js';
import { createKillSwitchCommand } from './kill-switch-command.js';
import { createLogsCommand } from './logs-command.js';
import { createRulesCommand } from './rules-command.js';
import { parseRoles, parseWorkers, runStart } from './start-command.js';
import { superviseWorkers } from './supervise-workers.js';
import { createTriageCommand } from './triage-command.js';
import { UsageError } from './usage-error.js';

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Turns known failures into a message and an exit code; only a bug shows a stack trace. */
function fail(error: unknown): never {
  if (error instanceof ConfigError || error instanceof UsageError) {
    process.stderr.write(`nightshift: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof NightshiftError) {
    process.stderr.write(`nightshift: ${error.message} [${error.code}]\n`);
    process.exit(1);
  }
  process.stderr.write(`nightshift: unexpected error\n${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}

async function load() {
  return loadConfig({ env: process.env, cwd: process.cwd() });
}

const program = new Command()
  .name('nightshift')
  .description('Turns Sentry and Datadog alerts into verified fix pull requests.')
  .version(packageJson.version)
  .showHelpAfterError()
  .exitOverride();

program
  .command('start')
  .description('run Nightshift: every role in one process by default, or only the roles given')
  .addOption(new Option('--role <role...>', `roles to run (${roleNames.join(', ')}); repeat or separate with commas`))
  .addOption(new Option('--workers <count>', 'with --role ingest only: processes serving the webhooks on the one port (default 1)'))
  .action(async (options: { role?: string[]; workers?: string }) => {
    const roles = parseRoles(options.role);
    const workers = parseWorkers(options.workers, roles);
    const { config, file } = await load();
    const log = createLogger({ level: config.log.level, name: 'nightshift' });
    if (workers > 1 && cluster.isPrimary) return superviseWorkers({ count: workers, log });
    await runStart({ config, roles, log, configFile: file });
  });

program
  .command('config')
  .description('validate the configuration and print it with secrets masked')
  .action(async () => {
    const { config, file } = await load();
    process.stdout.write(`${JSON.stringify({ file, config: describeConfig(config) }, null, 2)}\n`);
  });

program.addCommand(createLogsCommand());
program.addCommand(createTriageCommand());
program.addCommand(createDemoCommand());
program.addCommand(createRulesCommand());
program.addCommand(createKillSwitchCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  fail(error);
}
