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
import { startContainedProcess, type ProcessResult } from './run-contained-process.js';
import { createStepCgroup, detectCgroupSupport, joinCgroupArgv, removeStaleStepCgroups, type CgroupSupport, type MemoryLimitKind, type StepCgroup } from './step-cgroup.js';
import type { RunningStep, Sandbox, SandboxKind, SandboxStep, StepResult } from './sandbox.js';
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

const DEFAULT_MAX_PROCESSES = 2048;
// What node and the C library print when an allocation fails under RLIMIT_DATA.
const ALLOCATION_FAILED = /JavaScript heap out of memory|Array buffer allocation failed|Cannot allocate memory|std::bad_alloc/;

/** Puts the step in its own cgroup when this machine has one to give (else prlimit), and reports which applied. */
function boundMemory(step: SandboxStep, cgroups: CgroupSupport | null, log?: Logger) {
  let cgroup: StepCgroup | null = null;
  if (cgroups !== null) {
    try {
      cgroup = createStepCgroup(cgroups, { memoryMb: step.memoryMb, maxProcesses: step.maxProcesses ?? DEFAULT_MAX_PROCESSES });
    } catch (error) {
      log?.warn({ err: error }, 'could not create the step\'s cgroup; its memory is limited per process');
    }
  }
  const memoryLimit: MemoryLimitKind = cgroup?.kind ?? 'prlimit';
  const argv = [...(cgroup ? joinCgroupArgv(cgroup) : []), ...limitArgv({ memoryMb: step.memoryMb, cpus: step.cpus, perProcessMemory: cgroup === null })];
  const settle = async (result: ProcessResult): Promise<StepResult> => {
    const outOfMemory = cgroup !== null ? cgroup.outOfMemory() : result.status !== 'passed' && ALLOCATION_FAILED.test(result.output);
    await cgroup?.dispose();
    const scope = memoryLimit === 'prlimit' ? 'per process, prlimit' : `whole step, ${memoryLimit}`;
    const note = outOfMemory ? `\n[nightshift] out of memory: the step went over its ${step.memoryMb} MB limit (${scope})\n` : '';
    return { ...result, output: result.output + note, memoryLimit, outOfMemory };
  };
  return { argv, memoryLimit, settle };
}

function createRunner(kind: SandboxKind, layout: HostLayout, outputLimitBytes: number, cgroups: CgroupSupport | null, log?: Logger): Sandbox {
  const isRoot = process.getuid?.() === 0;
  const workspacePath = (cwd: string): string => (kind === 'none' ? cwd : SANDBOX_WORKSPACE);
  const launch = (step: SandboxStep): { started: RunningStep; cleanup?: () => Promise<void> } => {
    const env = buildSandboxEnv({ home: workspacePath(step.cwd), path: layout.path, extra: step.env });
    const inner = commandArgv(step.command);
    const base = { cwd: step.cwd, timeoutMs: step.timeoutMs, outputLimitBytes, ...(step.onOutput ? { onOutput: step.onOutput } : {}) };
    const memory = boundMemory(step, cgroups, log);
    const contained = (argv: string[], extraEnv: Record<string, string> = {}): RunningStep => {
      const started = startContainedProcess({ ...base, argv: [...memory.argv, ...argv], env: { ...env, ...extraEnv } });
      return { pid: started.pid, kill: started.kill, result: started.result.then(memory.settle) };
    };
    switch (kind) {
      case 'bubblewrap':
        return { started: contained(buildBubblewrapArgv({ layout, copyDir: step.cwd, readOnlyMounts: step.readOnlyMounts, inner })) };
      case 'unshare': {
        // An empty directory the sandbox mounts its root over; it stays empty on the host.
        const rootDir = mkdtempSync(join(tmpdir(), 'nightshift-root-'));
        const built = buildUnshareArgv({ layout, copyDir: step.cwd, rootDir, readOnlyMounts: step.readOnlyMounts, inner, isRoot });
        return { started: contained(built.argv, built.env), cleanup: () => rm(rootDir, { recursive: true, force: true }) };
      }
      case 'none':
        return { started: contained(inner) };
    }
  };
  const start = (step: SandboxStep): RunningStep => {
    checkStep(step);
    const { started, cleanup } = launch(step);
    const result = started.result.finally(() => cleanup?.());
    return { pid: started.pid, kill: started.kill, result };
  };
  const memoryLimit: MemoryLimitKind = cgroups?.kind ?? 'prlimit';
  return { kind, memoryLimit, workspacePath, start, run: async (step) => start(step).result };
}

async function works(kind: 'bubblewrap' | 'unshare', layout: HostLayout, cgroups: CgroupSupport | null): Promise<{ ok: boolean; output: string }> {
  const copy = await mkdtemp(join(tmpdir(), 'nightshift-probe-'));
  try {
    const runner = createRunner(kind, layout, 4096, cgroups);
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
 * it, and returns a runner for steps. Each step gets its own memory and pids cgroup where this process
 * may create one (v2, else v1), so forking does not multiply its memory; prlimit per process otherwise.
 * Without a sandbox it throws `SandboxUnavailableError`, unless the
 * configuration allows unsandboxed runs (then steps still get a copy, a scrubbed environment and limits,
 * but share the host's network and file system).
 */
export async function createSandbox(options: SandboxOptions, { log }: { log?: Logger } = {}): Promise<Sandbox> {
  const layout = readHostLayout();
  const cgroups = detectCgroupSupport();
  if (cgroups !== null) removeStaleStepCgroups(cgroups);
  if (cgroups === null) log?.warn('no writable memory cgroup: a step\'s memory is limited per process (prlimit), not for the whole step');
  const candidates: Array<'bubblewrap' | 'unshare'> =
    options.sandbox === 'auto' ? ['bubblewrap', 'unshare'] : options.sandbox === 'none' ? [] : [options.sandbox];
  const failures: string[] = [];
  for (const kind of candidates) {
    const probe = await works(kind, layout, cgroups);
    if (probe.ok) return createRunner(kind, layout, options.outputLimitBytes, cgroups, log);
    failures.push(`${kind}: ${probe.output.split('\n').slice(-3).join(' ') || 'did not run'}`);
    log?.warn({ sandbox: kind, output: probe.output }, 'sandbox does not work here');
  }
  if (options.allowUnsandboxed) {
    log?.warn({ tried: candidates }, 'running verification steps WITHOUT a sandbox (verifier.allowUnsandboxed)');
    return createRunner('none', layout, options.outputLimitBytes, cgroups, log);
  }
  throw new SandboxUnavailableError(
    `no sandbox works on this machine (${failures.join('; ') || 'none configured'}); install bubblewrap ` +
      '(apt-get install bubblewrap), run Nightshift as root for unshare, or set verifier.allowUnsandboxed: true',
  );
}
