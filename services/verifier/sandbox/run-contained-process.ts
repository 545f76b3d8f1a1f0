import { spawn } from 'node:child_process';
import { scrubSecretText } from '../../../shared/log/scrub-secret-text.js';
import { createOutputCollector } from './cap-output.js';
import type { StepResult } from './sandbox.js';

/** What the process did; the sandbox adds how its memory was bounded. */
export type ProcessResult = Omit<StepResult, 'memoryLimit' | 'outOfMemory'>;

export interface ContainedProcess {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  outputLimitBytes: number;
  /** Sees stdout and stderr as they arrive (the replay reads the service's log live). */
  onOutput?: (chunk: Buffer) => void;
}

/** A started contained process: its pid (outside any namespace), a way to stop it, and its result. */
export interface StartedProcess {
  readonly pid: number | undefined;
  /** Kills the whole process group now; the result then arrives as usual. */
  kill(): void;
  readonly result: Promise<ProcessResult>;
}

// After the process exits, its stdout may stay open in a grandchild that escaped the group; give the
// pipes this long to drain, then stop waiting.
const DRAIN_MS = 500;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Spawns `argv` as the leader of a new process group, killing the whole group at the time limit
 * (bubblewrap and unshare then take their pid namespace down with them). The result never rejects:
 * a command that cannot start is a failed step with the reason as its output.
 */
export function startContainedProcess(run: ContainedProcess): StartedProcess {
  const started = performance.now();
  const collector = createOutputCollector(run.outputLimitBytes);
  const child = spawn(run.argv[0]!, run.argv.slice(1), {
    cwd: run.cwd,
    env: run.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = new Promise<ProcessResult>((resolve) => {
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, run.timeoutMs);
    const take = (chunk: Buffer): void => {
      collector.push(chunk);
      run.onOutput?.(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);

    const finish = (exitCode: number | null, signal: string | null, extra = ''): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Whatever the step left running in its group goes with it.
      killGroup(child.pid);
      const { text, total } = collector.finish();
      const status = timedOut ? 'timed-out' : exitCode === 0 ? 'passed' : 'failed';
      const note = timedOut ? `\n[nightshift] killed after ${run.timeoutMs} ms (time limit)\n` : '';
      resolve({
        status,
        exitCode,
        signal,
        durationMs: Math.round(performance.now() - started),
        output: scrubSecretText(text + extra + note),
        outputBytes: total,
      });
    };
    child.on('error', (error) => finish(null, null, `[nightshift] could not start ${run.argv[0]}: ${error.message}\n`));
    child.on('exit', (code, signal) => {
      const drain = setTimeout(() => finish(code, signal), DRAIN_MS);
      child.on('close', () => {
        clearTimeout(drain);
        finish(code, signal);
      });
    });
  });
  return { pid: child.pid, kill: () => killGroup(child.pid), result };
}

/** Runs `argv` contained and waits for it; see `startContainedProcess`. */
export function runContainedProcess(run: ContainedProcess): Promise<ProcessResult> {
  return startContainedProcess(run).result;
}
