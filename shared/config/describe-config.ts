import { REDACTED, scrubSecretText } from '../log/scrub-secret-text.js';
import type { NightshiftConfig } from './config-schema.js';

/**
 * A copy of `config` safe to print: the SASL password and the password in the store URL are
 * masked, and so are the webhook secrets; everything else (user names, hosts, mechanism) stays so the output can be checked.
 */
export function describeConfig(config: NightshiftConfig): NightshiftConfig {
  const copy = structuredClone(config);
  if (copy.bus.kafka.sasl) copy.bus.kafka.sasl.password = REDACTED;
  if (copy.store.url !== undefined) copy.store.url = scrubSecretText(copy.store.url);
  const { sentry, datadog, github } = copy.ingest;
  if (sentry.clientSecret) sentry.clientSecret = REDACTED;
  if (datadog.token) datadog.token = REDACTED;
  if (datadog.basicAuth) datadog.basicAuth.password = REDACTED;
  if (github.webhookSecret) github.webhookSecret = REDACTED;
  if (copy.triage.datadog.apiKey) copy.triage.datadog.apiKey = REDACTED;
  if (copy.triage.datadog.appKey) copy.triage.datadog.appKey = REDACTED;
  if (copy.triage.sentry.authToken) copy.triage.sentry.authToken = REDACTED;
  if (copy.fixer.github.token) copy.fixer.github.token = REDACTED;
  if (copy.fixer.github.privateKey) copy.fixer.github.privateKey = REDACTED;
  if (copy.fixer.llm.apiKey) copy.fixer.llm.apiKey = REDACTED;
  return copy;
}
