export { createDatadogWebhookReceiver } from './create-datadog-webhook-receiver.js';
export type { DatadogCredentials } from './check-datadog-credentials.js';
export { DATADOG_CUSTOM_HEADERS_TEMPLATE, DATADOG_PAYLOAD_TEMPLATE } from './datadog-payload-template.js';
