import { z } from 'zod';

/** A variable Datadog left as is (unknown to it, or not set up in the integration tile). */
const UNSUBSTITUTED = /^\$[A-Z][A-Z0-9_]*$/;

/**
 * One substituted variable: a string when quoted in the template, a number when not; empty and
 * unsubstituted values mean "absent", since Datadog fills every variable of a template, set or not.
 */
const variable = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value) => {
    if (value === null || value === undefined) return undefined;
    const text = String(value).trim();
    return text === '' || UNSUBSTITUTED.test(text) ? undefined : text;
  });

/**
 * The Datadog webhook body, from Nightshift's template or Datadog's default one: every field
 * optional, unknown fields ignored (users add their own).
 */
export const datadogWebhookPayload = z.object({
  id: variable,
  alert_id: variable,
  aggreg_key: variable,
  alert_cycle_key: variable,
  alert_transition: variable,
  alert_type: variable,
  alert_priority: variable,
  alert_status: variable,
  event_type: variable,
  title: variable,
  body: variable,
  date: variable,
  last_updated: variable,
  /** `$TAGS`: "key:value, key:value"; a list is taken too. */
  tags: z.union([variable, z.array(z.string())]),
  hostname: variable,
  link: variable,
  snapshot: variable,
  /** `$LOGS_SAMPLE`: JSON, or a string holding JSON when quoted; read leniently, it is only evidence. */
  logs_sample: z.unknown().optional(),
  org: z.object({ id: variable, name: variable }).nullish(),
});

export type DatadogWebhookPayload = z.infer<typeof datadogWebhookPayload>;
