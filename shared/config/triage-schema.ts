import * as z from 'zod';
import { CROSS_FIELD } from './cross-field.js';

/**
 * What triage needs to know about the system it watches: services (where their code lives, whom they
 * call), repositories, and where their logs are. Record entries carry their own defaults because the
 * default configuration cannot know their names.
 */

const nonEmpty = (what: string) => z.string().min(1).describe(what);
const seconds = (min: number) => z.int().min(min).describe(`a whole number of seconds >= ${min}`);
const httpUrl = z
  .string()
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  })
  .describe('an http(s) URL');

export const serviceSchema = z.strictObject({
  /** A name from `repositories`. */
  repository: nonEmpty('a repository name from repositories').optional(),
  /** The service's code inside the repository ("" for the whole repository). */
  sourceRoot: z.string().default(''),
  /** Services this one calls: call paths group alerts and guide root-cause ranking. */
  calls: z.array(nonEmpty('a service name')).default([]),
});

export const repositorySchema = z.strictObject({
  /** A local clone or mirror that git can read. */
  path: nonEmpty('a path to a local git repository'),
  /** `owner/name` on the forge, for pull requests. */
  slug: z.string().regex(/^[\w.-]+\/[\w.-]+$/).describe('an "owner/name" repository slug').optional(),
  defaultBranch: nonEmpty('a branch name').default('main'),
  /** Prefixes stack frames carry that the repository does not (`/app/`, `/srv/app/`). */
  pathPrefixes: z.array(z.string()).default([]),
});

const logFileSchema = z.strictObject({
  path: nonEmpty('a log file path'),
  service: nonEmpty('a service name').optional(),
  format: z.enum(['auto', 'pino', 'bunyan', 'otel', 'text']).default('auto'),
  /** For plain text: a regex with named groups timestamp, level, service, message. */
  headerPattern: nonEmpty('a regular expression').optional(),
});

export const logSourceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('datadog') }),
  z.strictObject({
    type: z.literal('sentry'),
    /** Service → Sentry project slug. */
    projects: z.record(z.string(), nonEmpty('a Sentry project slug')),
  }),
  z.strictObject({ type: z.literal('files'), files: z.array(logFileSchema).min(1) }),
]);

const triageSettings = z.strictObject({
  /** Logs are read from this long before the first alert … */
  windowBeforeSeconds: seconds(0),
  /** … to this long after the last one. */
  windowAfterSeconds: seconds(0),
  /** The window just before the incident that templates are compared against. */
  baselineSeconds: seconds(1),
  /** Alerts from services on one call path join an incident active this recently. */
  correlationWindowSeconds: seconds(1),
  /** An incident in recovery (fix merged, or the alert source said resolved) with no alert this long is resolved. */
  resolveAfterQuietMinutes: z.int().min(1).max(10_080).describe('a whole number of minutes from 1 to 10080 (a week)'),
  /** Upper bound on log records read per incident, across sources. */
  maxLogRecords: z.int().min(1000).describe('a whole number >= 1000'),
  correlation: z.strictObject({
    traceIdFields: z.array(nonEmpty('a field name')),
    requestIdFields: z.array(nonEmpty('a field name')),
  }),
  logSources: z.array(logSourceSchema),
  datadog: z.strictObject({
    apiKey: nonEmpty('a Datadog API key').optional(),
    appKey: nonEmpty('a Datadog application key').optional(),
    /** datadoghq.com, datadoghq.eu, us3.datadoghq.com, … */
    site: nonEmpty('a Datadog site such as datadoghq.com'),
    /** Overrides the site's API address (a proxy, or a test server). */
    baseUrl: httpUrl.optional(),
  }),
  sentry: z.strictObject({
    authToken: nonEmpty('a Sentry auth token').optional(),
    organization: nonEmpty('a Sentry organization slug').optional(),
    baseUrl: httpUrl,
  }),
});

/** A log source whose credentials are missing would fail at 3 a.m.; say so when the config loads. */
export const triageSchema = triageSettings.superRefine((triage, ctx) => {
  triage.logSources.forEach((source, index) => {
    const missing =
      source.type === 'datadog'
        ? [!triage.datadog.apiKey && 'triage.datadog.apiKey (or DD_API_KEY)', !triage.datadog.appKey && 'triage.datadog.appKey (or DD_APP_KEY)']
        : source.type === 'sentry'
          ? [!triage.sentry.authToken && 'triage.sentry.authToken (or SENTRY_AUTH_TOKEN)', !triage.sentry.organization && 'triage.sentry.organization (or SENTRY_ORG)']
          : [];
    const unset = missing.filter((item): item is string => typeof item === 'string');
    if (unset.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['logSources', index, 'type'],
        params: { [CROSS_FIELD]: true },
        message: `is "${source.type}" but ${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} not set`,
      });
    }
  });
});

export type ServiceConfig = z.infer<typeof serviceSchema>;
export type RepositoryConfig = z.infer<typeof repositorySchema>;
export type LogSourceConfig = z.infer<typeof logSourceSchema>;
export type TriageConfig = z.infer<typeof triageSchema>;
