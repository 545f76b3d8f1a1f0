import { NightshiftError } from '../../../shared/errors.js';
import type { VerificationProfile, VerifierConfig } from '../../../shared/config/verifier-schema.js';

/** No profile says how to verify this repository. */
export class NoVerificationProfileError extends NightshiftError {
  constructor(message: string) {
    super('VERIFICATION_PROFILE_MISSING', message, { retriable: false });
  }
}

/**
 * The profile to verify a repository's fix with: the rule's named profile, else the one the
 * configuration assigns to the repository, else the repository's own `.nightshift.yml` — whose time and
 * memory limits are capped by `verifier.limits`, because repository code must not raise its own bounds.
 */
export function resolveProfile({
  config,
  repository,
  ruleProfile,
  repositoryProfile,
}: {
  config: Pick<VerifierConfig, 'profiles' | 'repositories' | 'limits'>;
  repository: string;
  ruleProfile?: string | null;
  repositoryProfile: VerificationProfile | null;
}): VerificationProfile {
  const named = ruleProfile ?? config.repositories[repository];
  if (named !== undefined && named !== null) {
    const profile = config.profiles[named];
    if (profile === undefined) {
      throw new NoVerificationProfileError(`verification profile "${named}" is not in verifier.profiles`);
    }
    return profile;
  }
  if (repositoryProfile === null) {
    throw new NoVerificationProfileError(
      `repository ${repository} has no verification profile: add one to verifier.profiles and verifier.repositories, or a .nightshift.yml with "verification:" to the repository`,
    );
  }
  return {
    ...repositoryProfile,
    timeouts: { stepMs: Math.min(repositoryProfile.timeouts.stepMs, config.limits.maxStepMs) },
    memoryMb: Math.min(repositoryProfile.memoryMb, config.limits.maxMemoryMb),
  };
}
