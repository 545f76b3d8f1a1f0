import * as z from 'zod';
import { CROSS_FIELD } from './cross-field.js';

/**
 * How fixes are verified: per-repository profiles (install, build, test, how to start the service for
 * the red-to-green replay) and the sandbox the steps run in. Owned by the verifier.
 *
 * A repository may carry its own profile in `.nightshift.yml` (`verification: <profile>`); the sandbox
 * choice and the limits below come only from Nightshift's configuration.
 */

const nonEmpty = (what: string) => z.string().min(1).describe(what);
const whole = (min: number) => z.int().min(min).describe(`a whole number >= ${min}`);

/** A shell command (`npm test`, run by `sh -c`) or an argv list (`[node, --test]`, run as is). */
export const commandSchema = z.union([
  nonEmpty('a shell command'),
  z.array(z.string()).min(1).describe('an argv list like ["node", "--test"]'),
]);

/** Variables set for the steps; the sandbox decides PATH and HOME whatever is given here. */
const envSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).describe('an environment variable name'), z.string());

/** How to start the service for the replay: it must listen on `port` on loopback. */
export const serviceProfileSchema = z.strictObject({
  command: commandSchema,
  port: z.int().min(1).max(65535).describe('a port number 1-65535'),
  /** Polled until it answers (any status) before the replay starts. */
  healthPath: z.string().regex(/^\//).describe('a path starting with "/"').default('/'),
  startTimeoutMs: whole(100).default(15_000),
  env: envSchema.optional(),
});

/** One repository's verification: what to run, and within which bounds. */
export const verificationProfileSchema = z.strictObject({
  install: commandSchema.optional(),
  build: commandSchema.optional(),
  test: commandSchema.optional(),
  /** A regression test the fix adds: it must fail on the base and pass on the fix. */
  regressionTest: commandSchema.optional(),
  service: serviceProfileSchema.optional(),
  timeouts: z.strictObject({ stepMs: whole(1000) }).default({ stepMs: 300_000 }),
  /** For the whole step (its own memory cgroup) where the machine allows, else per process (prlimit). */
  memoryMb: whole(64).default(2048),
  /** Processes and threads a step may have at once (its cgroup's pids.max); 2048 when absent. */
  maxProcesses: whole(16).max(4096).optional(),
  /** CPUs a step may use (pinned with taskset); all when absent. */
  cpus: whole(1).optional(),
  env: envSchema.optional(),
});

export const verifierSchema = z
  .strictObject({
    /** `auto` prefers bubblewrap, then `unshare`; `none` runs steps unsandboxed (needs allowUnsandboxed). */
    sandbox: z.enum(['auto', 'bubblewrap', 'unshare', 'none']),
    /** Without a working sandbox Nightshift refuses to run a repository's commands unless this is true. */
    allowUnsandboxed: z.boolean(),
    /** Captured output per step beyond this keeps its head and tail. */
    outputLimitBytes: whole(1024),
    /** Ceilings for profiles that come from a repository's `.nightshift.yml`. */
    limits: z.strictObject({ maxStepMs: whole(1000), maxMemoryMb: whole(64) }),
    /** Profile name → profile. */
    profiles: z.record(nonEmpty('a profile name'), verificationProfileSchema),
    /** Repository name (from `repositories`) → profile name; unlisted repositories use their `.nightshift.yml`. */
    repositories: z.record(nonEmpty('a repository name'), nonEmpty('a profile name')),
  })
  .superRefine((verifier, ctx) => {
    if (verifier.sandbox === 'none' && !verifier.allowUnsandboxed) {
      ctx.addIssue({
        code: 'custom',
        path: ['sandbox'],
        params: { [CROSS_FIELD]: true },
        message: 'is "none", which runs repository commands unsandboxed: set verifier.allowUnsandboxed: true to accept that',
      });
    }
    for (const [repository, profile] of Object.entries(verifier.repositories)) {
      if (!Object.hasOwn(verifier.profiles, profile)) {
        ctx.addIssue({
          code: 'custom',
          path: ['repositories', repository],
          params: { [CROSS_FIELD]: true },
          message: `names "${profile}", which is not in verifier.profiles (${Object.keys(verifier.profiles).join(', ') || 'none'})`,
        });
      }
    }
  });

export type Command = z.infer<typeof commandSchema>;
export type ServiceProfile = z.infer<typeof serviceProfileSchema>;
export type VerificationProfile = z.infer<typeof verificationProfileSchema>;
export type VerifierConfig = z.infer<typeof verifierSchema>;
export type SandboxChoice = VerifierConfig['sandbox'];

export const DEFAULT_VERIFIER_CONFIG: VerifierConfig = {
  sandbox: 'auto',
  allowUnsandboxed: false,
  outputLimitBytes: 64 * 1024,
  limits: { maxStepMs: 900_000, maxMemoryMb: 4096 },
  profiles: {},
  repositories: {},
};
