import type { ControlsConfig } from '../../../shared/config/rules-schema.js';
import type { Store } from '../../../shared/store/store.js';
import { readKillSwitch } from './kill-switch.js';

/** Whether the fixer may act now; when not, why, in words fit for the incident's timeline. */
export type FixGateVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * The fixer calls this right before it creates a fix attempt or opens a pull request: a decision made
 * at triage time can be overtaken (the kill switch turned on, other PRs opened since). Checks, in
 * order: the kill switch (configuration, then the runtime switch in the store), the incident's fix
 * attempts against `maxFixAttemptsPerIncident`, and open Nightshift PRs in `repository` against
 * `maxOpenPullRequestsPerRepository`. Pass `repository: null` before the repository is known, and
 * `resuming` when the fixer resumes an attempt a crash cut short (it is not counted twice).
 * Reads only; `now` is accepted for symmetry with the other gates and future time-based checks.
 */
export async function checkFixGates({
  store,
  controls,
  incidentId,
  repository,
  resuming,
}: {
  store: Store;
  controls: ControlsConfig;
  now?: Date;
  incidentId: string;
  repository: string | null;
  resuming?: string;
}): Promise<FixGateVerdict> {
  if (controls.killSwitch) return { allowed: false, reason: 'the kill switch is on (controls.killSwitch in the configuration)' };
  const killSwitch = await readKillSwitch(store);
  if (killSwitch.enabled) {
    return { allowed: false, reason: `the kill switch is on (turned on by ${killSwitch.by ?? 'an operator'}${killSwitch.reason ? `: ${killSwitch.reason}` : ''})` };
  }
  const attempts = (await store.listFixAttempts(incidentId)).filter((attempt) => attempt.id !== resuming).length;
  if (attempts >= controls.maxFixAttemptsPerIncident) {
    return { allowed: false, reason: `the incident already had ${attempts} fix attempts (controls.maxFixAttemptsPerIncident: ${controls.maxFixAttemptsPerIncident})` };
  }
  if (repository !== null) {
    const open = await store.countOpenPullRequests(repository);
    if (open >= controls.maxOpenPullRequestsPerRepository) {
      return { allowed: false, reason: `${repository} already has ${open} open Nightshift pull requests (controls.maxOpenPullRequestsPerRepository: ${controls.maxOpenPullRequestsPerRepository})` };
    }
  }
  return { allowed: true };
}
