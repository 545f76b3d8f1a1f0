import type { ServiceProfile } from '../../../shared/config/verifier-schema.js';
import { commandArgv } from '../sandbox/build-step-argv.js';
import { findNetworkNamespace, readNetworkNamespace } from '../sandbox/find-network-namespace.js';
import type { ReadOnlyMount, Sandbox, StepResult } from '../sandbox/sandbox.js';
import type { ReplayRequest } from './build-replay-requests.js';
import { createLiveLog } from './create-live-log.js';
import { createReplayJudge } from './create-replay-judge.js';
import { buildReplayClientArgv, startReplayClient } from './start-replay-client.js';

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
  /** The sandboxed step that ran the service (its output is the service's log). */
  step: StepResult;
}

/**
 * Starts the service from `copyDir` in the sandbox and replays `requests` against it from a separate
 * client process that shares only the sandbox's network namespace.
 *
 * Threat model: the service is the candidate fix, so it is hostile. It runs unprivileged in its own
 * mount, pid and network namespaces; the client runs outside its mount and pid namespaces (it cannot
 * see, signal or ptrace the client, nor reach its files) and reports on a pipe only the verifier
 * holds, and the verifier (not the client, not the service) judges each answer. The service's only
 * channels are its HTTP answers and its log; the log can only add failures (the incident's
 * exception), never a pass. With sandbox `none` these guarantees do not hold (nothing does).
 */
export async function runReplay({
  sandbox,
  copyDir,
  service,
  requests,
  failureSignature,
  timeoutMs,
  memoryMb,
  maxProcesses,
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
  maxProcesses?: number;
  cpus?: number;
  env?: Record<string, string>;
  readOnlyMounts?: readonly ReadOnlyMount[];
  requestTimeoutMs?: number;
}): Promise<ReplayResult> {
  const started = Date.now();
  const log = createLiveLog();
  let serviceExited = false;
  const running = sandbox.start({
    command: commandArgv(service.command),
    cwd: copyDir,
    env: { ...env, ...service.env, PORT: String(service.port) },
    timeoutMs,
    memoryMb,
    ...(maxProcesses !== undefined ? { maxProcesses } : {}),
    cpus,
    readOnlyMounts,
    onOutput: (chunk) => log.push(chunk),
  });
  void running.result.then(() => {
    serviceExited = true;
  });
  const serviceResult = async (): Promise<StepResult> => {
    running.kill();
    return running.result;
  };
  const exitNote = async (): Promise<string> => {
    const step = await running.result;
    return `the service exited before it was healthy (exit ${step.exitCode ?? step.signal})`;
  };

  let networkPid: number | null = null;
  if (sandbox.kind !== 'none') {
    const found = running.pid === undefined ? null : await findNetworkNamespace(running.pid, { deadline: started + service.startTimeoutMs, gone: () => serviceExited });
    if (found === null) {
      const detail = serviceExited ? await exitNote() : 'the sandbox\'s network did not appear';
      return { outcome: 'error', detail, responses: [], step: await serviceResult() };
    }
    networkPid = found.pid;
  }

  const plan = {
    port: service.port,
    healthPath: service.healthPath,
    startTimeoutMs: Math.max(0, service.startTimeoutMs - (Date.now() - started)),
    requestTimeoutMs,
    requests,
    hostNetwork: networkPid === null ? null : await readNetworkNamespace('self'),
  };
  const isRoot = process.getuid?.() === 0;
  const judge = createReplayJudge({ requests, log, serviceExited: () => serviceExited, ...(failureSignature ? { signature: failureSignature } : {}) });
  const client = startReplayClient(buildReplayClientArgv({ networkPid, isRoot, plan }), (event) => judge.onEvent(event));
  // The client gives up when the service is gone before it is healthy, or at the step's time limit.
  const watchdog = setTimeout(client.kill, Math.max(1000, timeoutMs - (Date.now() - started)));
  void running.result.then(() => {
    if (!judge.healthy) client.kill();
  });
  const clientExit = await client.exited;
  clearTimeout(watchdog);
  const exitedOnItsOwn = serviceExited;
  const step = await serviceResult();

  const note = exitedOnItsOwn ? await exitNote() : null;
  const clientSaid = clientExit.stderr ? `: ${clientExit.stderr.trim().split('\n').slice(-2).join(' ')}` : '';
  return { ...judge.verdict(() => note ?? `the replay client gave no verdict (exit ${clientExit.code}${clientSaid})`), step };
}
