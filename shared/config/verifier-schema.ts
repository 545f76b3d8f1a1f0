import * as z from 'zod';

/**
 * How fixes are verified: per-repository profiles (install, build, test, how to start the service for
 * the red-to-green replay) and the sandbox the steps run in. Owned by the verifier; see its README section.
 */
export const verifierSchema = z.strictObject({
  /** Profile name → profile. A repository's `.nightshift.yml` may supply its own. */
  profiles: z.record(z.string().min(1), z.unknown()),
});

export type VerifierConfig = z.infer<typeof verifierSchema>;

export const DEFAULT_VERIFIER_CONFIG: VerifierConfig = { profiles: {} };
