import type { Command } from '../../../shared/config/verifier-schema.js';
import type { MemoryLimitKind } from './step-cgroup.js';

/** How steps are contained: bubblewrap, `unshare` namespaces, or nothing (only when the config allows it). */
export type SandboxKind = 'bubblewrap' | 'unshare' | 'none';

/** A directory mounted read-only inside the step, at a path relative to the worktree copy. */
export interface ReadOnlyMount {
  source: string;
  /** Relative to the copy (`node_modules`); created in the copy when missing. */
  target: string;
}

/** One command to run in a worktree copy. */
export interface SandboxStep {
  /** A shell command (run by `sh -c`) or an argv list. */
  command: Command;
  /** The throwaway copy of the worktree (see `copyWorktree`): the only writable place. */
  cwd: string;
  /** Added to the sandbox's own allowlist (PATH, HOME, LANG, NODE_ENV=test, TMPDIR); cannot replace PATH or HOME. */
  env?: Record<string, string>;
  timeoutMs: number;
  /** For the whole step when a memory cgroup is available, else per process (see `memoryLimit`). */
  memoryMb: number;
  /** Processes and threads the step may have at once (cgroup `pids.max`); 2048 when absent. */
  maxProcesses?: number;
  cpus?: number;
  readOnlyMounts?: readonly ReadOnlyMount[];
  /** Sees the step's stdout and stderr as they arrive. */
  onOutput?: (chunk: Buffer) => void;
}

export type StepStatus = 'passed' | 'failed' | 'timed-out';

/** What one step did. `output` is stdout and stderr interleaved, capped (head and tail) and scrubbed of secrets. */
export interface StepResult {
  status: StepStatus;
  /** null when the step was killed by a signal (its time limit, its memory limit). */
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  output: string;
  /** Bytes the step wrote before capping. */
  outputBytes: number;
  /** How `memoryMb` was applied: to the whole step (a cgroup) or to each of its processes (prlimit). */
  memoryLimit: MemoryLimitKind;
  /** The step went over its memory limit (the kernel killed a process, or a process could not allocate). */
  outOfMemory: boolean;
}

/** A step that is running: its pid on the host (outside its namespaces), a way to stop it, and its result. */
export interface RunningStep {
  readonly pid: number | undefined;
  /** Kills the step and everything it started; `result` then settles. */
  kill(): void;
  readonly result: Promise<StepResult>;
}

/** Runs steps contained; see `createSandbox`. */
export interface Sandbox {
  readonly kind: SandboxKind;
  /** How steps' memory is bounded on this machine. */
  readonly memoryLimit: MemoryLimitKind;
  /** The worktree copy's path as the step sees it (`/workspace` when sandboxed). */
  readonly workspacePath: (cwd: string) => string;
  run(step: SandboxStep): Promise<StepResult>;
  /** Starts a step without waiting for it (the replay runs the service this way). */
  start(step: SandboxStep): RunningStep;
}
