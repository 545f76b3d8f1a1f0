import type { NightshiftConfig } from '../../shared/config/index.js';
import { assertNever } from '../../shared/errors.js';
import { createDatadogLogSource } from './evidence/datadog/create-datadog-log-source.js';
import { createFileLogSource } from './evidence/file/create-file-log-source.js';
import type { LogSource } from './evidence/log-source.js';
import { createSentryEventSource } from './evidence/sentry/create-sentry-event-source.js';

/** The configured log backends as LogSources; credentials were checked when the config loaded. */
export function createLogSources({ triage }: NightshiftConfig): LogSource[] {
  const correlationFields = { traceId: triage.correlation.traceIdFields, requestId: triage.correlation.requestIdFields };
  return triage.logSources.map((source): LogSource => {
    switch (source.type) {
      case 'datadog':
        return createDatadogLogSource({
          apiKey: triage.datadog.apiKey ?? '',
          appKey: triage.datadog.appKey ?? '',
          site: triage.datadog.site,
          ...(triage.datadog.baseUrl ? { baseUrl: triage.datadog.baseUrl } : {}),
          correlationFields,
          maxRecords: triage.maxLogRecords,
        });
      case 'sentry':
        return createSentryEventSource({
          baseUrl: triage.sentry.baseUrl,
          token: triage.sentry.authToken ?? '',
          organization: triage.sentry.organization ?? '',
          projects: source.projects,
          maxRecords: triage.maxLogRecords,
        });
      case 'files':
        return createFileLogSource({ files: source.files, correlationFields, maxRecords: triage.maxLogRecords });
      default:
        return assertNever(source, 'log source');
    }
  });
}
