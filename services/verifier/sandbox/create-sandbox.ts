import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, normalize } from 'node:path';
import type { Logger } from '../../../shared/log/index.js';
import type { VerifierConfig } from '../../../shared/config/verifier-schema.js';
import { buildBubblewrapArgv } from './build-bubblewrap-argv.js';
import { buildSandboxEnv, SANDBOX_WORKSPACE } from './build-sandbox-env.js';
import { commandArgv, limitArgv } from './build-step-argv.js';
import { buildUnshareArgv } from './build-unshare-argv.js';
import { readHostLayout, type HostLayout } from './read-host-layout.js';
import { startContainedProcess } from './run-contained-process.js';
import type { RunningStep, Sandbox, SandboxKind, SandboxStep } from './sandbox.js';
import { SandboxStepError, SandboxUnavailableError } from './sandbox-errors.js';

export type SandboxOptions = Pick<VerifierConfig, 'sandbox' | 'allowUnsandboxed' | 'outputLimitBytes'>;

const PROBE_TIMEOUT_MS = 15_000;

function checkStep(step: SandboxStep): void {
  if (!isAbsolute(step.cwd)) throw new SandboxStepError(`the step's cwd must be an absolute path, got "${step.cwd}"`);
  for (const mount of step.readOnlyMounts ?? []) {
    const target = normalize(mount.target);
    if (isAbsolute(target) || target.startsWith('..')) {
      throw new SandboxStepError(`read-only mount target "${mount.target}" must stay inside the worktree copy`);
    }
  }
}

function createRunner(kind: SandboxKind, layout: HostLayout, outputLimitBytes: number): Sandbox {
  const isRoot = process.getuid?.() === 0;
  const workspacePath = (cwd: string): string => (kind === 'none' ? cwd : SANDBOX_WORKSPACE);
  const start = (step: SandboxStep): RunningStep => {
    checkStep(step);
    const env = buildSandboxEnv({ home: workspacePath(step.cwd), path: layout.path, extra: step.env });
    const inner = commandArgv(step.command);
    const limits = limitArgv(step);
    const base = { cwd: step.cwd, timeoutMs: step.timeoutMs, outputLimitBytes, ...(step.onOutput ? { onOutput: step.onOutput } : {}) };
    switch (kind) {
      case 'bubblewrap': {
        const argv = buildBubblewrapArgv({ layout, copyDir: step.cwd, readOnlyMounts: step.readOnlyMounts, inner });
        return startContainedProcess({ ...base, argv: [...limits, ...argv], env });
      }
      case 'unshare': {
        // An empty directory the sandbox mounts its root over; it stays empty on the host.
        const rootDir = mkdtempSync(join(tmpdir(), 'nightshift-root-'));
        const built = buildUnshareArgv({ layout, copyDir: step.cwd, rootDir, readOnlyMounts: step.readOnlyMounts, inner, isRoot });
        const started = startContainedProcess({ ...base, argv: [...limits, ...built.argv], env: { ...env, ...built.env } });
        const result = started.result.finally(() => rm(rootDir, { recursive: true, force: true }));
        return { pid: started.pid, kill: started.kill, result };
      }
      case 'none':
        return startContainedProcess({ ...base, argv: [...limits, ...inner], env });
    }
  };
  return { kind, workspacePath, start, run: async (step) => start(step).result };
}

async function works(kind: 'bubblewrap' | 'unshare', layout: HostLayout): Promise<{ ok: boolean; output: string }> {
  const copy = await mkdtemp(join(tmpdir(), 'nightshift-probe-'));
  try {
    const runner = createRunner(kind, layout, 4096);
    // Node must start and loopback must be up: the replay needs both.
    const probe = "require('net').createServer().listen(0, '127.0.0.1', function () { this.close(); })";
    const result = await runner.run({ command: ['node', '-e', probe], cwd: copy, timeoutMs: PROBE_TIMEOUT_MS, memoryMb: 1024 });
    return { ok: result.status === 'passed', output: result.output.trim() };
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/**
 * Finds a sandbox that works on this machine (`auto`: bubblewrap, then unshare) by running a probe in
 * it, and returns a runner for steps. Without one it throws `SandboxUnavailableError`, unless the
 * configuration allows unsandboxed runs (then steps still get a copy, a scrubbed environment and limits,
 * but share the host's network and file system).
 */
export async function createSandbox(options: SandboxOptions, { log }: { log?: Logger } = {}): Promise<Sandbox> {
  const layout = readHostLayout();
  const candidates: Array<'bubblewrap' | 'unshare'> =
    options.sandbox === 'auto' ? ['bubblewrap', 'unshare'] : options.sandbox === 'none' ? [] : [options.sandbox];
  const failures: string[] = [];
  for (const kind of candidates) {
    const probe = await works(kind, layout);
    if (probe.ok) return createRunner(kind, layout, options.outputLimitBytes);
    failures.push(`${kind}: ${probe.output.split('\n').slice(-3).join(' ') || 'did not run'}`);
    log?.warn({ sandbox: kind, output: probe.output }, 'sandbox does not work here');
  }
  if (options.allowUnsandboxed) {
    log?.warn({ tried: candidates }, 'running verification steps WITHOUT a sandbox (verifier.allowUnsandboxed)');
    return createRunner('none', layout, options.outputLimitBytes);
  }
  throw new SandboxUnavailableError(
    `no sandbox works on this machine (${failures.join('; ') || 'none configured'}); install bubblewrap ` +
      '(apt-get install bubblewrap), run Nightshift as root for unshare, or set verifier.allowUnsandboxed: true',
  );
}
