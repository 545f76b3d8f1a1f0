import type { NightshiftConfig } from '../../shared/config/index.js';
import type { Role } from '../runtime/role.js';
import { createIngestRouter } from './create-ingest-router.js';
import { createDatadogWebhookReceiver } from './datadog/create-datadog-webhook-receiver.js';
import { createGithubWebhookReceiver } from './github/create-github-webhook-receiver.js';
import type { Receiver } from './receiver.js';
import { createSentryEnvelopeReceiver } from './sentry-envelope/create-sentry-envelope-receiver.js';
import { createSentryWebhookReceiver } from './sentry/create-sentry-webhook-receiver.js';

/** Path → receiver for every source, configured from `ingest`. */
function createRoutes({ ingest }: NightshiftConfig): [string, Receiver][] {
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

/** The webhook receivers and the Sentry SDK intake. */
export function createIngestRole(): Role {
  return {
    name: 'ingest',
    handlers: [],
    router: ({ bus, store, metrics, log, now, config }) =>
      createIngestRouter({ bus, store, metrics, log: log.child({ role: 'ingest' }), now, maxBodyBytes: config.ingest.maxBodyBytes, routes: createRoutes(config) }),
  };
}
