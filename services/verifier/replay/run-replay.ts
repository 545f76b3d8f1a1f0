import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceProfile } from '../../../shared/config/verifier-schema.js';
import { SANDBOX_TMP_DIR } from '../sandbox/build-sandbox-env.js';
import { commandArgv } from '../sandbox/build-step-argv.js';
import type { ReadOnlyMount, Sandbox, StepResult } from '../sandbox/sandbox.js';
import type { ReplayRequest } from './build-replay-requests.js';
import { REPLAY_CLIENT_SOURCE } from './replay-client-source.js';

/** `failed`: 5xx, no answer or the incident's exception; `passed`: any other answer; `error`: no service to ask. */
export type ReplayOutcome = 'failed' | 'passed' | 'error';

/** How the incident failed, to recognise it in the service's log when the status alone does not say. */
export interface FailureSignature {
  type: string;
  value?: string;
}

export interface ReplayResponse {
  method: string;
  path: string;
  status: number | null;
  error: string | null;
  /** Why this answer counts as the incident's failure; null when it does not. */
  failure: string | null;
  body: string | null;
}

export interface ReplayResult {
  outcome: ReplayOutcome;
  detail: string;
  responses: ReplayResponse[];
  /** The sandboxed step that ran the service and the client (its output holds the service's log). */
  step: StepResult;
}

const VERDICT_FILE = 'nightshift-replay-verdict.json';

/**
 * Starts the service from `copyDir` and replays `requests` against it, both inside one sandboxed step
 * (the sandbox's network namespace is private, so the client must live in it too). Each run gets a
 * fresh step, so the base and the fix never share a process or a port.
 */
export async function runReplay({
  sandbox,
  copyDir,
  service,
  requests,
  failureSignature,
  timeoutMs,
  memoryMb,
  cpus,
  env,
  readOnlyMounts,
  requestTimeoutMs = 10_000,
}: {
  sandbox: Sandbox;
  copyDir: string;
  service: ServiceProfile;
  requests: readonly ReplayRequest[];
  failureSignature?: FailureSignature;
  timeoutMs: number;
  memoryMb: number;
  cpus?: number;
  env?: Record<string, string>;
  readOnlyMounts?: readonly ReadOnlyMount[];
  requestTimeoutMs?: number;
}): Promise<ReplayResult> {
  const verdictOnHost = join(copyDir, SANDBOX_TMP_DIR, VERDICT_FILE);
  await rm(verdictOnHost, { force: true });
  const plan = {
    service: {
      argv: commandArgv(service.command),
      port: service.port,
      healthPath: service.healthPath,
      startTimeoutMs: service.startTimeoutMs,
      env: service.env ?? {},
    },
    requests,
    failureSignature,
    requestTimeoutMs,
    verdictFile: join(sandbox.workspacePath(copyDir), SANDBOX_TMP_DIR, VERDICT_FILE),
  };
  const step = await sandbox.run({
    command: ['node', '--input-type=commonjs', '-e', REPLAY_CLIENT_SOURCE, JSON.stringify(plan)],
    cwd: copyDir,
    env,
    timeoutMs,
    memoryMb,
    cpus,
    readOnlyMounts,
  });
  let verdict: Omit<ReplayResult, 'step'>;
  try {
    verdict = JSON.parse(await readFile(verdictOnHost, 'utf8')) as Omit<ReplayResult, 'step'>;
  } catch {
    const why = step.status === 'timed-out' ? `the replay did not finish within ${timeoutMs} ms` : `the replay client gave no verdict (exit ${step.exitCode})`;
    return { outcome: 'error', detail: why, responses: [], step };
  } finally {
    await rm(verdictOnHost, { force: true });
  }
  return { outcome: verdict.outcome, detail: verdict.detail, responses: verdict.responses, step };
}
