import type { NightshiftConfig } from '../../shared/config/index.js';
import { createDatadogWebhookReceiver } from './datadog/create-datadog-webhook-receiver.js';
import { createGithubWebhookReceiver } from './github/create-github-webhook-receiver.js';
import type { Receiver } from './receiver.js';
import { createSentryEnvelopeReceiver } from './sentry-envelope/create-sentry-envelope-receiver.js';
import { createSentryWebhookReceiver } from './sentry/create-sentry-webhook-receiver.js';

/** Path → receiver for every source, configured from `ingest`; the HTTP thread and each receive thread build the same table. */
export function createIngestRoutes(ingest: NightshiftConfig['ingest']): [string, Receiver][] {
  const sdkIntake = createSentryEnvelopeReceiver({ dsnKeys: ingest.sentry.dsnKeys });
  return [
    [
      '/webhooks/sentry',
      createSentryWebhookReceiver({ clientSecret: ingest.sentry.clientSecret, toleranceSeconds: ingest.sentry.timestampToleranceSeconds }),
    ],
    ['/webhooks/datadog', createDatadogWebhookReceiver(ingest.datadog)],
    ['/webhooks/github', createGithubWebhookReceiver({ secret: ingest.github.webhookSecret })],
    ['/api/:projectId/envelope/', sdkIntake],
    ['/api/:projectId/store/', sdkIntake],
  ];
}
