import * as z from 'zod';
import { checkSafeRegex } from './check-safe-regex.js';
import { CROSS_FIELD } from './cross-field.js';

/**
 * Alert-to-agent rules and the global controls over them: which alerts Nightshift acts on and how far
 * it may go. Rules are ordered, the first match wins; `services/triage/rules` evaluates them.
 */

const nonEmpty = (what: string) => z.string().min(1).describe(what);
const whole = (min: number) => z.int().min(min).describe(`a whole number >= ${min}`);
const cross = (ctx: z.core.$RefinementCtx, path: PropertyKey[], message: string) =>
  ctx.addIssue({ code: 'custom', path, params: { [CROSS_FIELD]: true }, message });

export const SEVERITY_ORDER = ['info', 'warning', 'error', 'critical'] as const;
const severity = z.enum(SEVERITY_ORDER);
const oneOrMany = (item: z.ZodType<string>) => z.union([item, z.array(item).min(1)]).describe('a value or a list of values');

/** A regular expression (`text` or `/text/i`), refused when it could backtrack catastrophically. */
export const safeRegexSchema = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const problem = checkSafeRegex(value);
    if (problem !== undefined) cross(ctx, [], problem);
  })
  .describe('a regular expression');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const clockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/).describe('a time of day "HH:MM" (24-hour)');
const timeZone = z.string().refine(isTimeZone).describe('an IANA time zone like "Europe/Paris" or "UTC"');

/** A daily interval; `from` later than `to` wraps past midnight (22:00-06:00). */
export const timeWindowSchema = z
  .strictObject({ from: clockTime, to: clockTime, timezone: timeZone.default('UTC') })
  .superRefine((window, ctx) => {
    if (window.from === window.to) cross(ctx, ['to'], `equals from (${window.from}): the window would be empty (for all day, leave the condition out)`);
  });

const alertSource = z.enum(['sentry', 'datadog']);
const alertKind = z.enum(['error', 'issue', 'event-alert', 'metric-alert', 'monitor']);

/** Every condition is optional; a rule without any matches everything (a catch-all). */
export const ruleMatchSchema = z.strictObject({
  source: oneOrMany(alertSource).optional(),
  kind: oneOrMany(alertKind).optional(),
  service: oneOrMany(nonEmpty('a service name')).optional(),
  environment: oneOrMany(nonEmpty('an environment name')).optional(),
  /** The alert's severity is at least this. */
  minSeverity: severity.optional(),
  /** Every tag listed must be present with one of the values given ("*" for any value). */
  tags: z.record(nonEmpty('a tag name'), oneOrMany(z.string())).optional(),
  errorType: oneOrMany(nonEmpty('an error type like "TypeError"')).optional(),
  /** Searched in the error value, then the alert message. */
  message: safeRegexSchema.optional(),
  title: safeRegexSchema.optional(),
  release: safeRegexSchema.optional(),
  /** At least this many alerts of the incident within the window before its latest one. */
  count: z.strictObject({ atLeast: whole(1), withinMinutes: whole(1) }).optional(),
  /** Alerts per minute of the incident, averaged over the window before its latest one. */
  rate: z.strictObject({ perMinuteAtLeast: z.number().positive().describe('a number > 0'), withinMinutes: whole(1) }).optional(),
  /** The latest alert fired within this daily window. */
  timeOfDay: timeWindowSchema.optional(),
});

const strategy = z.enum(['revert', 'template', 'llm']);

/** How far a fix may go; the defaults are the cautious ones. Maps onto `FixPermissions`. */
export const ruleFixSchema = z.strictObject({
  strategies: z.array(strategy).min(1).default(['revert', 'template']),
  modelTier: nonEmpty('a tier name from fixer.llm.models').default('small'),
  maxTokens: whole(1).default(50_000),
  maxUsd: z.number().min(0).describe('dollars, >= 0').default(1),
  repositories: z.array(nonEmpty('a repository name')).default([]),
  paths: z.array(nonEmpty('a glob')).default([]),
  verificationProfile: nonEmpty('a profile name from verifier.profiles').nullable().default(null),
  reviewers: z.array(nonEmpty('a reviewer login')).default([]),
  labels: z.array(nonEmpty('a label')).default([]),
  requireApproval: z.boolean().default(false),
  /** When verification fails a candidate: resume the ladder on the same PR, or close the PR (a person may `/nightshift retry`). */
  onVerificationFailure: z.enum(['next-strategy', 'close']).default('next-strategy'),
});

const FIXING_ACTIONS = new Set(['draft-fix', 'auto-revert']);

export const ruleSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/).describe('a rule id of letters, digits, ".", "_" and "-"'),
    description: z.string().optional(),
    match: ruleMatchSchema.default({}),
    action: z.enum(['ignore', 'notify', 'triage', 'draft-fix', 'auto-revert']),
    fix: ruleFixSchema.optional(),
    /** Fixes this rule may start per hour; default `controls.maxFixesPerRulePerHour`. */
    maxFixesPerHour: whole(0).optional(),
  })
  .superRefine((rule, ctx) => {
    const fixing = FIXING_ACTIONS.has(rule.action);
    if (!fixing && rule.fix !== undefined) {
      cross(ctx, ['fix'], `is given but action is "${rule.action}", which drafts no fix (remove fix, or use action draft-fix or auto-revert)`);
    }
    if (!fixing && rule.maxFixesPerHour !== undefined) {
      cross(ctx, ['maxFixesPerHour'], `is given but action is "${rule.action}", which drafts no fix (remove it)`);
    }
    const fix = rule.fix;
    if (rule.action === 'auto-revert' && fix && !fix.strategies.includes('revert')) {
      cross(ctx, ['fix', 'strategies'], `leaves out "revert" but action is auto-revert (add revert, or use action draft-fix)`);
    }
    if (fix?.strategies.includes('llm') && fix.maxUsd === 0) {
      cross(ctx, ['fix', 'maxUsd'], 'is 0 but strategies include "llm", which can never run without a budget (raise maxUsd or drop llm)');
    }
    if (fixing && rule.maxFixesPerHour === 0) {
      cross(ctx, ['maxFixesPerHour'], `is 0, so action "${rule.action}" can never draft a fix (use action triage instead)`);
    }
    const { count, rate } = rule.match;
    if (rate && rate.perMinuteAtLeast * rate.withinMinutes < 1) {
      cross(ctx, ['match', 'rate', 'perMinuteAtLeast'], `times withinMinutes is below one alert, so every incident passes (raise it or drop the condition)`);
    }
    if (count && rate && count.withinMinutes === rate.withinMinutes && count.atLeast < rate.perMinuteAtLeast * rate.withinMinutes) {
      cross(ctx, ['match', 'count'], 'is implied by match.rate over the same window (drop one of them)');
    }
  });

export const controlsSchema = z
  .strictObject({
    /** No fix is drafted while true (the runtime switch, `nightshift kill-switch on`, adds to it). */
    killSwitch: z.boolean(),
    maxOpenPullRequestsPerRepository: whole(1),
    maxFixAttemptsPerIncident: whole(1),
    /** For rules without their own `maxFixesPerHour`. */
    maxFixesPerRulePerHour: whole(1),
    /** No fix is drafted in this daily window: draft-fix and auto-revert become triage. */
    quietHours: timeWindowSchema.optional(),
    /** Incidents of these severities wait for a person's approval before any fix starts. */
    approvalSeverities: z.array(severity),
    /** When set, `PUT /api/controls/kill-switch` requires `Authorization: Bearer <token>`. */
    apiToken: nonEmpty('a bearer token').optional(),
  })
  .superRefine((controls, ctx) => {
    const seen = new Set<string>();
    controls.approvalSeverities.forEach((level, index) => {
      if (seen.has(level)) cross(ctx, ['approvalSeverities', index], `lists "${level}" twice (remove one)`);
      seen.add(level);
    });
  });

export type Rule = z.infer<typeof ruleSchema>;
export type RuleMatch = z.infer<typeof ruleMatchSchema>;
export type RuleFix = z.infer<typeof ruleFixSchema>;
export type TimeWindow = z.infer<typeof timeWindowSchema>;
export type ControlsConfig = z.infer<typeof controlsSchema>;
export type Severity = (typeof SEVERITY_ORDER)[number];

export const DEFAULT_CONTROLS: ControlsConfig = {
  killSwitch: false,
  maxOpenPullRequestsPerRepository: 5,
  maxFixAttemptsPerIncident: 3,
  maxFixesPerRulePerHour: 10,
  approvalSeverities: [],
};

/** A file of rules (`rules/*.yaml`): the rules list and nothing else. */
export const ruleFileSchema = z.strictObject({ rules: z.array(ruleSchema) });
