export { createGithubWebhookReceiver, type GithubWebhookReceiverOptions } from './create-github-webhook-receiver.js';
export { parseNightshiftCommand, type NightshiftCommand } from './parse-nightshift-command.js';
