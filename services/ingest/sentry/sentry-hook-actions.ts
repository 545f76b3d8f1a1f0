/**
 * The Sentry-Hook-Resource values Nightshift handles and the body `action`s of each. `ignored` and
 * `archived` are both listed: Sentry renamed ignored to archived in its UI and docs, and older
 * installations still send `issue.ignored`.
 */
export const sentryHookActions = {
  issue: ['created', 'resolved', 'assigned', 'ignored', 'archived', 'unresolved'],
  event_alert: ['triggered'],
  metric_alert: ['critical', 'warning', 'resolved'],
  error: ['created'],
  installation: ['created', 'deleted'],
} as const satisfies Record<string, readonly string[]>;

export type SentryHookResource = keyof typeof sentryHookActions;

/** Whether a Sentry-Hook-Resource header names a resource this receiver handles. */
export function isSentryHookResource(value: string): value is SentryHookResource {
  return Object.hasOwn(sentryHookActions, value);
}

/** Whether `action` is one the resource sends. */
export function isSentryHookAction(resource: SentryHookResource, action: string): boolean {
  return (sentryHookActions[resource] as readonly string[]).includes(action);
}
