import type { Logger } from 'pino';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { reportLoggedErrors } from '../../shared/telemetry/report-logged-errors.js';

/**
 * Nightshift's own error reporting, when `telemetry.sentryDsn` (NIGHTSHIFT_SENTRY_DSN) is set: the
 * returned logger also sends logged errors to Sentry. A DSN naming this Nightshift's own intake is
 * refused with an error line and the process runs without reporting, rather than feeding itself.
 * The Sentry SDK (~11 MB of heap) is loaded only then.
 */
export async function openErrorReporting(config: NightshiftConfig, log: Logger): Promise<{ log: Logger; close(): Promise<void> }> {
  const dsn = config.telemetry.sentryDsn;
  const off = { log, close: async () => {} };
  if (!dsn) return off;
  const { createErrorReporter } = await import('../../shared/telemetry/create-error-reporter.js');
  const result = createErrorReporter({
    dsn,
    own: { host: config.server.host, port: config.server.port, dsnKeys: config.ingest.sentry.dsnKeys },
  });
  if (!result.ok) {
    log.error({ reason: result.reason }, `telemetry.sentryDsn refused: ${result.reason}; Nightshift's own errors are not reported`);
    return off;
  }
  log.info('Nightshift\'s own errors are reported to Sentry');
  return {
    log: reportLoggedErrors(log, result.reporter),
    async close() {
      await result.reporter.close(2_000);
    },
  };
}
