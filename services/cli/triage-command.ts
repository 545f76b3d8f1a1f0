import { Command } from 'commander';
import pino from 'pino';
import { loadConfig } from '../../shared/config/index.js';
import { createLogger } from '../../shared/log/index.js';
import type { TriageReport } from '../triage/report/triage-report.js';
import { CapturedAlertError } from '../triage/offline/read-captured-alerts.js';
import { runOfflineTriage } from '../triage/offline/run-offline-triage.js';
import { formatTriageReport } from './format-triage-report.js';
import { UsageError } from './usage-error.js';

const help = `
Alerts are raw webhook bodies and envelopes as captured: the source comes from the file name
(sentry-…, datadog-…, envelope-…) or from a {"source", "headers", "body"} wrapper. A directory is
read in file-name order. Logs and repositories come from the configuration's triage.logSources,
services and repositories, exactly as live triage uses them.

With --json, prints {"incidents":[{id, title, services, rootCause:{service, confidence, reasons},
suspectCommits:[{sha, reasons, …}], timeline, templates, …}]}.`;

/** The JSON shape of `nightshift triage --json`. */
export function toOfflineJson(reports: TriageReport[]): unknown {
  return {
    incidents: reports.map(({ incidentId, ...report }) => ({ id: incidentId, ...report })),
  };
}

/** `nightshift triage`: the triage pipeline over captured alerts. */
export function createTriageCommand(): Command {
  return new Command('triage')
    .description('triage captured alerts offline (post-mortems, rule replay, tests) and print the report')
    .requiredOption('--alerts <path>', 'a captured alert file, or a directory of them')
    .option('--config <file>', 'nightshift.yaml to read services, repositories and log sources from')
    .option('--json', 'print the reports as one JSON object')
    .addHelpText('after', help)
    .exitOverride()
    .showHelpAfterError()
    .action(async (options: { alerts: string; config?: string; json?: boolean }) => {
      const env = options.config ? { ...process.env, NIGHTSHIFT_CONFIG: options.config } : process.env;
      const { config } = await loadConfig({ env, cwd: process.cwd() });
      // Logs go to stderr so stdout stays the report.
      const log = createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level, destination: pino.destination(2), name: 'nightshift' });
      const reports = await runOfflineTriage({ config, alertsPath: options.alerts, log }).catch((error: unknown) => {
        // A captured file the receivers refuse is the user's input, not a failure of triage.
        throw error instanceof CapturedAlertError ? new UsageError(error.message) : error;
      });
      process.stdout.write(options.json ? `${JSON.stringify(toOfflineJson(reports))}\n` : formatTriageReport(reports));
    });
}
