import { fileURLToPath } from 'node:url';
import type { NightshiftConfig } from '../../shared/config/index.js';
import type { AlertReceivedPayload } from '../../shared/events/alert-received.js';
import type { Logger } from '../../shared/log/index.js';
import { getFixRuntime } from '../fixer/create-fix-runtime.js';
import { isTestPath } from '../fixer/policy/classify-path.js';
import type { Role } from '../runtime/role.js';
import { applyCandidateDiff } from './apply-candidate-diff.js';
import { pickIncidentRequests } from './replay/pick-incident-requests.js';
import { loadRepositoryProfile } from './profile/load-repository-profile.js';
import { resolveProfile } from './profile/resolve-profile.js';
import { renderStepLogs } from './render-verification-summary.js';
import { createSandbox } from './sandbox/create-sandbox.js';
import type { Sandbox } from './sandbox/sandbox.js';
import { verifyCandidate } from './verify-candidate.js';
import { verifyFix, type VerifyFixDeps } from './verify-fix.js';

// Nightshift's own node_modules: dependency-free sample services find their test runner here (steps have no network).
const NIGHTSHIFT_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

function failureSignature(alerts: readonly AlertReceivedPayload[], rootService: string | undefined) {
  const error = alerts.find((alert) => alert.service === rootService && alert.error)?.error ?? alerts.find((alert) => alert.error)?.error;
  return error ? { type: error.type, ...(error.value !== undefined ? { value: error.value } : {}) } : undefined;
}

function createVerifyDeps(config: NightshiftConfig, sandbox: () => Promise<Sandbox>, log: Logger): Pick<VerifyFixDeps, 'verify' | 'applyDiff'> {
  return {
    applyDiff: (workspace, diff) => applyCandidateDiff(workspace, diff),
    verify: async ({ baseDir, fixDir, repository, report, alerts, permissions, files }) => {
      // The base's profile, not the fix's: a candidate must not rewrite how it is judged.
      const profile = resolveProfile({
        config: config.verifier,
        repository,
        ruleProfile: permissions?.verificationProfile ?? null,
        repositoryProfile: await loadRepositoryProfile(baseDir),
      });
      const rootService = report?.rootCause?.service;
      const signature = failureSignature(alerts, rootService);
      const { requests, source } = pickIncidentRequests(alerts, report);
      const result = await verifyCandidate({
        baseDir,
        fixDir,
        profile,
        sandbox: await sandbox(),
        requests,
        requestSource: source,
        ...(signature ? { failureSignature: signature } : {}),
        regressionFiles: files.filter(isTestPath),
        sharedNodeModules: NIGHTSHIFT_NODE_MODULES,
        log,
      });
      const details = renderStepLogs(result.logs);
      return { verdict: result.verdict, replay: result.replay, steps: result.steps, summary: result.summary, details };
    },
  };
}

/**
 * The verification gate: consumes `fixes` as group `verifier`, verifies each drafted fix red to green in
 * the sandbox, reports the check and the verdict on the PR, and marks it ready only when it passed.
 */
export function createVerifierRole(config: NightshiftConfig): Role {
  let sandbox: Promise<Sandbox> | undefined;
  return {
    name: 'verifier',
    handlers: [
      {
        group: 'verifier',
        topics: ['fixes'],
        transactional: false,
        handle: async (event, { store, now, log, metrics }) => {
          if (event.type !== 'fix.drafted.v1') return [];
          const started = Date.now();
          const runtime = getFixRuntime(config, log);
          const lazySandbox = () => (sandbox ??= createSandbox(config.verifier, { log }));
          const verified = await verifyFix(event.payload, {
            store,
            log,
            now,
            forge: runtime.forge,
            repositories: config.repositories,
            openWorkspace: ({ repository, path, baseRef, incidentId, attemptId }) => runtime.workspaces.open({ repository, source: path, baseRef, incidentId, attemptId }),
            ...createVerifyDeps(config, lazySandbox, log),
          });
          for (const out of verified) {
            if (out.type !== 'fix.verified.v1') continue;
            metrics.recordVerification({ verdict: out.payload.verdict, durationMs: Date.now() - started });
            metrics.fixes.inc({ strategy: event.payload.strategy, outcome: out.payload.verdict === 'passed' ? 'verified' : `verification-${out.payload.verdict}` });
          }
          return verified;
        },
      },
    ],
  };
}
