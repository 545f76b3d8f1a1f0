import { spawn } from 'node:child_process';
import { scrubSecretText } from '../../../shared/log/scrub-secret-text.js';
import { createOutputCollector } from './cap-output.js';
import type { StepResult } from './sandbox.js';

export interface ContainedProcess {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  outputLimitBytes: number;
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
 * Spawns `argv` as the leader of a new process group and waits for it, killing the whole group at the
 * time limit (bubblewrap and unshare then take their pid namespace down with them). Never rejects:
 * a command that cannot start is a failed step with the reason as its output.
 */
export function runContainedProcess(run: ContainedProcess): Promise<StepResult> {
  const started = performance.now();
  const collector = createOutputCollector(run.outputLimitBytes);
  return new Promise((resolve) => {
    const child = spawn(run.argv[0]!, run.argv.slice(1), {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, run.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => collector.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => collector.push(chunk));

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
}
