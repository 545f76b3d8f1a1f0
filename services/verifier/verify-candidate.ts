import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import type { Command, VerificationProfile } from '../../shared/config/verifier-schema.js';
import type { AlertReceivedPayload } from '../../shared/events/alert-received.js';
import type { Logger } from '../../shared/log/index.js';
import { buildReplayRequests } from './replay/build-replay-requests.js';
import { runReplay, type FailureSignature, type ReplayResult } from './replay/run-replay.js';
import { describeMemoryLimit, renderVerificationSummary } from './render-verification-summary.js';
import { copyWorktree, type WorktreeCopy } from './sandbox/copy-worktree.js';
import type { ReadOnlyMount, Sandbox, StepResult } from './sandbox/sandbox.js';
import type { StepLog, VerificationResult, VerificationStep } from './verification-result.js';

type FailedRequest = NonNullable<AlertReceivedPayload['request']>;

export interface VerifyCandidateInput {
  /** The worktree at the base commit (the code the incident happened on). Never written to. */
  baseDir: string;
  /** The worktree with the candidate fix applied. Never written to. */
  fixDir: string;
  profile: VerificationProfile;
  sandbox: Sandbox;
  /** The incident's failing requests (`alert.received.v1` `request`); credentials are stripped here. */
  requests: readonly FailedRequest[];
  /** Where `requests` came from: the alert's `request` (default) or the root-cause service's logs. */
  requestSource?: 'alert' | 'logs';
  /** The incident's exception, to recognise it in the service's log (`error.type`, `error.value`). */
  failureSignature?: FailureSignature;
  /** Test files the fix adds or changes (repository-relative), copied onto the base for the regression test. */
  regressionFiles?: readonly string[];
  /**
   * Nightshift's own node_modules, bound read-only at the copy's node_modules when the repository has
   * none: steps have no network, so this is how dependency-free sample services find a test runner.
   */
  sharedNodeModules?: string;
  /** Where throwaway copies go (default: the OS temp directory). */
  copyParentDir?: string;
  log?: Logger;
}

/** A step has to pass on the fix; anything else fails the candidate. */
async function runStep(
  name: string,
  command: Command,
  copy: WorktreeCopy,
  input: VerifyCandidateInput,
  record: (name: string, result: StepResult) => void,
): Promise<StepResult> {
  const { profile } = input;
  const result = await input.sandbox.run({
    command,
    cwd: copy.dir,
    env: profile.env,
    timeoutMs: profile.timeouts.stepMs,
    memoryMb: profile.memoryMb,
    ...(profile.maxProcesses !== undefined ? { maxProcesses: profile.maxProcesses } : {}),
    cpus: profile.cpus,
    readOnlyMounts: mountsFor(copy, input),
  });
  record(name, result);
  input.log?.info({ step: name, status: result.status, durationMs: result.durationMs }, 'verification step finished');
  return result;
}

function stepFailure(result: StepResult, profile: VerificationProfile): string {
  if (result.status === 'timed-out') return `timed out after ${profile.timeouts.stepMs} ms`;
  if (result.outOfMemory) return `ran out of memory (${describeMemoryLimit({ mb: profile.memoryMb, appliedAs: result.memoryLimit })})`;
  return `failed (exit ${result.exitCode ?? result.signal})`;
}

function hasOwnNodeModules(dir: string): boolean {
  const path = join(dir, 'node_modules');
  return existsSync(path) && readdirSync(path).length > 0;
}

function mountsFor(copy: WorktreeCopy, input: VerifyCandidateInput): ReadOnlyMount[] {
  // An empty node_modules is the mount point an earlier step in this copy left behind, not the repository's own.
  if (input.sharedNodeModules === undefined || hasOwnNodeModules(copy.dir)) return [];
  return [{ source: input.sharedNodeModules, target: 'node_modules' }];
}

async function overlay(files: readonly string[], from: string, to: string): Promise<void> {
  for (const file of files) {
    const relative = normalize(file);
    if (relative.startsWith('..') || relative.startsWith('/')) continue;
    if (!existsSync(join(from, relative))) continue;
    await mkdir(dirname(join(to, relative)), { recursive: true });
    await cp(join(from, relative), join(to, relative), { recursive: true });
  }
}

/**
 * Verifies one candidate: install, build and test on the fix; then red to green — the incident's
 * requests replayed against the service started from the base (must fail) and from the fix (must
 * pass), and/or the profile's regression test (must fail on the base with the fix's test files, pass
 * on the fix). Every step runs in the sandbox on a throwaway copy. A fix that cannot be shown red to
 * green is `unverifiable`, never `passed`. Sandbox refusal (`SandboxUnavailableError`) happens earlier,
 * in `createSandbox`; everything here is a result.
 */
export async function verifyCandidate(input: VerifyCandidateInput): Promise<VerificationResult> {
  const { profile } = input;
  const steps: VerificationStep[] = [];
  const logs: StepLog[] = [];
  const reasons: string[] = [];
  const record = (name: string, result: StepResult, status: VerificationStep['status'] = result.status): void => {
    steps.push({ name, status, durationMs: result.durationMs, exitCode: result.exitCode });
    logs.push({ name, output: result.output });
  };
  const skip = (name: string): void => {
    steps.push({ name, status: 'skipped', durationMs: 0, exitCode: null });
  };
  const copies: WorktreeCopy[] = [];
  const copyOf = async (source: string): Promise<WorktreeCopy> => {
    const copy = await copyWorktree({ source, parentDir: input.copyParentDir });
    copies.push(copy);
    return copy;
  };
  const finish = (verdict: VerificationResult['verdict'], replay: { base: ReplayResult; fix: ReplayResult } | null): VerificationResult => {
    const result = {
      verdict,
      memory: { mb: profile.memoryMb, appliedAs: input.sandbox.memoryLimit },
      replay: replay === null ? null : { base: replay.base.outcome, fix: replay.fix.outcome },
      responses: replay === null ? null : { base: replay.base.responses, fix: replay.fix.responses },
      steps,
      reasons,
      logs,
    };
    return { ...result, summary: renderVerificationSummary(result) };
  };

  try {
    const fix = await copyOf(input.fixDir);
    const fixSteps = (['install', 'build', 'test'] as const).filter((name) => profile[name] !== undefined);
    for (const [index, name] of fixSteps.entries()) {
      const result = await runStep(name, profile[name]!, fix, input, record);
      if (result.status !== 'passed') {
        reasons.push(`\`${name}\` ${stepFailure(result, profile)} on the fix.`);
        for (const rest of fixSteps.slice(index + 1)) skip(rest);
        return finish('failed', null);
      }
    }

    let redToGreen = false;
    let broken = false;
    let replay: { base: ReplayResult; fix: ReplayResult } | null = null;
    const requests = buildReplayRequests(input.requests);
    const base = profile.service !== undefined && requests.length > 0 || profile.regressionTest !== undefined ? await copyOf(input.baseDir) : null;
    if (base !== null) {
      for (const name of ['install', 'build'] as const) {
        if (profile[name] !== undefined) await runStep(`${name} (base)`, profile[name]!, base, input, record);
      }
    }

    if (profile.service === undefined) reasons.push('The profile has no `service`, so the incident cannot be replayed.');
    else if (requests.length === 0) reasons.push('The incident carries no request to replay.');
    else if (base !== null) {
      if (input.requestSource === 'logs') reasons.push('The alert carried no request: the replayed requests are the failing ones the root-cause service logged.');
      const replayOn = (copy: WorktreeCopy) =>
        runReplay({
          sandbox: input.sandbox,
          copyDir: copy.dir,
          service: profile.service!,
          requests,
          failureSignature: input.failureSignature,
          timeoutMs: profile.timeouts.stepMs,
          memoryMb: profile.memoryMb,
          ...(profile.maxProcesses !== undefined ? { maxProcesses: profile.maxProcesses } : {}),
          cpus: profile.cpus,
          env: profile.env,
          readOnlyMounts: mountsFor(copy, input),
        });
      const onBase = await replayOn(base);
      record('reproduce on base', onBase.step, onBase.outcome === 'failed' ? 'passed' : 'failed');
      const onFix = await replayOn(fix);
      record('replay on fix', onFix.step, onFix.outcome === 'passed' ? 'passed' : 'failed');
      replay = { base: onBase, fix: onFix };
      if (onFix.outcome === 'failed') {
        broken = true;
        reasons.push(`The replay still fails on the fix: ${onFix.detail}.`);
      } else if (onFix.outcome === 'error') {
        if (onBase.outcome !== 'error') broken = true;
        reasons.push(`The service did not start from the fix: ${onFix.detail}.`);
      }
      if (onBase.outcome === 'failed' && onFix.outcome === 'passed') {
        redToGreen = true;
        reasons.push(`The replay fails on the base (${onBase.detail}) and passes on the fix (${onFix.detail}).`);
      } else if (onBase.outcome === 'passed') {
        reasons.push(`The replay did not reproduce the incident on the base (${onBase.detail}).`);
      } else if (onBase.outcome === 'error') {
        reasons.push(`The service did not start from the base: ${onBase.detail}.`);
      }
    }

    if (profile.regressionTest !== undefined && base !== null) {
      await overlay(input.regressionFiles ?? [], input.fixDir, base.dir);
      const onBase = await runStep('regression test (base)', profile.regressionTest, base, input, () => undefined);
      record('regression test (base)', onBase, onBase.status === 'failed' ? 'passed' : 'failed');
      const onFix = await runStep('regression test (fix)', profile.regressionTest, fix, input, record);
      if (onFix.status !== 'passed') {
        broken = true;
        reasons.push(`The regression test does not pass on the fix (${onFix.status}).`);
      } else if (onBase.status === 'failed') {
        redToGreen = true;
        reasons.push('The regression test fails on the base and passes on the fix.');
      } else {
        reasons.push(`The regression test does not fail on the base (${onBase.status}), so it proves nothing about the incident.`);
      }
    }

    if (broken) return finish('failed', replay);
    if (redToGreen) return finish('passed', replay);
    reasons.push('Nothing showed the failure red on the base and green on the fix.');
    return finish('unverifiable', replay);
  } finally {
    await Promise.all(copies.map((copy) => copy.dispose()));
  }
}
