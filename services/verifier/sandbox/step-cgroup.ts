import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How a step's memory is bounded: one cgroup for the whole step (v2 or v1), or per process (prlimit). */
export type MemoryLimitKind = 'cgroup-v2' | 'cgroup-v1' | 'prlimit';

/** Where step cgroups can be created: below Nightshift's own cgroup, so they nest inside its limits. */
export type CgroupSupport = { kind: 'cgroup-v2'; parent: string } | { kind: 'cgroup-v1'; memoryParent: string; pidsParent: string };

/** A step's own cgroup: files to join it by, and what it saw. */
export interface StepCgroup {
  readonly kind: 'cgroup-v2' | 'cgroup-v1';
  /** `cgroup.procs` files a process writes its pid to, to join (one per hierarchy). */
  readonly procsFiles: string[];
  /** Whether the kernel killed a process of the step for going over the memory limit. */
  outOfMemory(): boolean;
  /** Kills every process left in the cgroup (daemons that left the process group too) and removes it. */
  dispose(): Promise<void>;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** `/proc/self/cgroup` as hierarchy → path: `memory` → `/a/b`, `` (v2) → `/`. */
function ownCgroups(): Map<string, string> {
  const own = new Map<string, string>();
  for (const line of read('/proc/self/cgroup').split('\n')) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    for (const controller of match[1]!.split(',')) own.set(controller, match[2]!);
  }
  return own;
}

/** Mount points: `cgroup2` → path, and each v1 controller → path. */
function cgroupMounts(): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const line of read('/proc/self/mounts').split('\n')) {
    const [, mountPoint, type, options] = line.split(' ');
    if (mountPoint === undefined || options === undefined) continue;
    if (type === 'cgroup2') mounts.set('cgroup2', mountPoint);
    if (type === 'cgroup') for (const option of options.split(',')) mounts.set(option, mountPoint);
  }
  return mounts;
}

function canCreateChild(parent: string): boolean {
  const probe = join(parent, `nightshift-probe-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds where this process may create step cgroups: cgroup v2 when its own cgroup delegates the memory
 * controller to children, else v1 memory and pids hierarchies; null when neither is writable (then
 * steps fall back to per-process prlimit).
 */
export function detectCgroupSupport(): CgroupSupport | null {
  const mounts = cgroupMounts();
  const own = ownCgroups();
  const unified = mounts.get('cgroup2');
  if (unified !== undefined && own.has('')) {
    const parent = join(unified, own.get('')!);
    const delegated = read(join(parent, 'cgroup.subtree_control')).split(/\s+/);
    if (delegated.includes('memory') && canCreateChild(parent)) return { kind: 'cgroup-v2', parent };
  }
  const memory = mounts.get('memory');
  const pids = mounts.get('pids');
  if (memory !== undefined && pids !== undefined) {
    const memoryParent = join(memory, own.get('memory') ?? '/');
    const pidsParent = join(pids, own.get('pids') ?? '/');
    if (canCreateChild(memoryParent) && canCreateChild(pidsParent)) return { kind: 'cgroup-v1', memoryParent, pidsParent };
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the empty step cgroups a Nightshift process that died mid-step left behind (their names carry
 * its pid). Non-empty ones stay: what runs in them is not this process's to kill.
 */
export function removeStaleStepCgroups(support: CgroupSupport): void {
  const parents = support.kind === 'cgroup-v2' ? [support.parent] : [support.memoryParent, support.pidsParent];
  for (const parent of parents) {
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      continue;
    }
    for (const name of names) {
      const owner = /^nightshift-step-(\d+)-/.exec(name);
      if (!owner || isAlive(Number(owner[1]))) continue;
      try {
        rmdirSync(join(parent, name));
      } catch {
        // Still has processes, or already gone.
      }
    }
  }
}

function writeLimit(path: string, value: string, required: boolean): void {
  try {
    writeFileSync(path, value);
  } catch (error) {
    if (required) throw error;
  }
}

function counter(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

function pidsIn(dir: string): number[] {
  return read(join(dir, 'cgroup.procs')).split('\n').filter((line) => /^\d+$/.test(line)).map(Number);
}

async function emptyAndRemove(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const pids = pidsIn(dir);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    try {
      rmdirSync(dir);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Creates one step's cgroup with its memory limit (swap included, so going over kills rather than
 * swaps) and its task limit. Throws when the limits cannot be written (the caller then uses prlimit).
 */
export function createStepCgroup(support: CgroupSupport, { memoryMb, maxProcesses }: { memoryMb: number; maxProcesses: number }): StepCgroup {
  const name = `nightshift-step-${process.pid}-${randomBytes(4).toString('hex')}`;
  const bytes = String(memoryMb * 1024 * 1024);
  if (support.kind === 'cgroup-v2') {
    const dir = join(support.parent, name);
    mkdirSync(dir);
    try {
      writeLimit(join(dir, 'memory.max'), bytes, true);
      writeLimit(join(dir, 'memory.swap.max'), '0', false);
      writeLimit(join(dir, 'pids.max'), String(maxProcesses), false);
    } catch (error) {
      rmdirSync(dir);
      throw error;
    }
    return {
      kind: 'cgroup-v2',
      procsFiles: [join(dir, 'cgroup.procs')],
      outOfMemory: () => counter(read(join(dir, 'memory.events')), 'oom_kill') > 0,
      dispose: async () => {
        writeLimit(join(dir, 'cgroup.kill'), '1', false);
        await emptyAndRemove(dir);
      },
    };
  }
  const memoryDir = join(support.memoryParent, name);
  const pidsDir = join(support.pidsParent, name);
  mkdirSync(memoryDir);
  try {
    mkdirSync(pidsDir);
    writeLimit(join(memoryDir, 'memory.limit_in_bytes'), bytes, true);
    if (existsSync(join(memoryDir, 'memory.memsw.limit_in_bytes'))) writeLimit(join(memoryDir, 'memory.memsw.limit_in_bytes'), bytes, false);
    writeLimit(join(memoryDir, 'memory.swappiness'), '0', false);
    writeLimit(join(pidsDir, 'pids.max'), String(maxProcesses), true);
  } catch (error) {
    for (const dir of [pidsDir, memoryDir]) {
      try {
        rmdirSync(dir);
      } catch {
        // Never created.
      }
    }
    throw error;
  }
  return {
    kind: 'cgroup-v1',
    procsFiles: [join(memoryDir, 'cgroup.procs'), join(pidsDir, 'cgroup.procs')],
    outOfMemory: () => {
      const control = read(join(memoryDir, 'memory.oom_control'));
      return /^oom_kill \d+$/m.test(control) ? counter(control, 'oom_kill') > 0 : Number(read(join(memoryDir, 'memory.failcnt')).trim()) > 0;
    },
    dispose: async () => {
      await emptyAndRemove(memoryDir);
      await emptyAndRemove(pidsDir);
    },
  };
}

/**
 * The argv prefix that moves the step's first process into its cgroup before anything else runs, so
 * every process the step forks is born inside it.
 */
export function joinCgroupArgv(cgroup: StepCgroup): string[] {
  const script = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
  return ['/bin/sh', '-c', script, 'nightshift-cgroup', ...cgroup.procsFiles, '--'];
}
