import type { VerificationResult } from './verification-result.js';

export interface CandidateAttempt<T> {
  candidate: T;
  result: VerificationResult;
}

export interface CandidateChoice<T> {
  /** The first candidate that passed, or null when none did. */
  chosen: CandidateAttempt<T> | null;
  /** Every candidate verified, in order, with why it did or did not pass (`result.reasons`). */
  attempts: CandidateAttempt<T>[];
}

/**
 * Verifies the ladder's candidates in order and keeps the first that passes; later candidates are not
 * verified. A verifier that throws (a broken sandbox) stops the ladder: that is not the candidate's fault.
 */
export async function chooseCandidate<T>(
  candidates: readonly T[],
  verify: (candidate: T) => Promise<VerificationResult>,
): Promise<CandidateChoice<T>> {
  const attempts: CandidateAttempt<T>[] = [];
  for (const candidate of candidates) {
    const result = await verify(candidate);
    attempts.push({ candidate, result });
    if (result.verdict === 'passed') return { chosen: { candidate, result }, attempts };
  }
  return { chosen: null, attempts };
}
