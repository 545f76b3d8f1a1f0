import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, nightshiftBin } from '../tests/helpers/cli.js';

/** A server under load, in its own process. */
export interface RunningTarget {
  url: URL;
  /** Bytes the process wrote to stdout and stderr (its logs) so far. */
  logBytes(): number;
  /** CPU seconds (user + system) the process and its children (workers) have used so far; NaN where /proc is not available. */
  cpuSeconds(): number;
  /**
   * Nanoseconds the process's main thread has spent on a CPU and runnable but waiting for one, from
   * Linux's schedstat; undefined elsewhere. The wait is what preemption adds to every request it serves.
   */
  mainThreadSchedstat(): { runNs: number; waitNs: number } | undefined;
  /** SIGKILL, then wait for the exit: whatever was acknowledged must survive this. */
  kill(): Promise<void>;
}

export interface NightshiftTargetOptions {
  /** Temporary directory holding the configuration file and the data directory. */
  dir: string;
  clientSecret: string;
  /** Kafka brokers for the Kafka bus; the embedded bus when absent. */
  kafkaBrokers?: string[];
  /** Topic prefix, unique per run, so the read-back sees only this run's events. */
  topicPrefix: string;
  /** `--role` values; all roles (as a plain `nightshift start`) when empty. */
  roles: string[];
  logLevel: string;
  /** `--workers`: HTTP processes sharing the port (with the ingest role alone); one when absent. */
  workers?: number;
  /** `ingest.receiveThreads`; the default (one per core beyond the first) when absent. */
  receiveThreads?: number;
}

/** Child processes of `pid` (the workers of `--workers`), from /proc; none where it is not available. */
function readChildren(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function readMainThreadSchedstat(pid: number | undefined): { runNs: number; waitNs: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const [runNs, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
    return Number.isFinite(runNs) && Number.isFinite(waitNs) ? { runNs: runNs!, waitNs: waitNs! } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * utime + stime from /proc/<pid>/stat, in clock ticks of 1/100 s (USER_HZ on Linux), of the
 * process and its living descendants: a worker's time counts while it runs.
 */
function readCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100 + readChildren(pid).reduce((sum, child) => sum + (readCpuSeconds(child) || 0), 0);
  } catch {
    return Number.NaN;
  }
}

// Configuration the bench's own environment must not leak into the server it starts.
const OWN_VARIABLES = /^(NIGHTSHIFT_|DATABASE_URL$)/;

function spawnListening(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<RunningTarget> {
  const child: ChildProcess = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let bytes = 0;
  let stderr = '';
  // BENCH_SERVER_LOG=<file> keeps what the servers wrote, to find out why requests failed.
  const keep = (text: string) => process.env.BENCH_SERVER_LOG && appendFileSync(process.env.BENCH_SERVER_LOG, text);
  child.stderr!.on('data', (chunk: Buffer) => {
    keep(chunk.toString('utf8'));
    bytes += chunk.length;
    if (stderr.length < 10_000) stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not listen within 60 s:\n${stderr}`));
    }, 60_000);
    // Drained to the end: a server blocked on a full stdout pipe would measure the pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(`${line}\n`);
      bytes += line.length + 1;
      const match = /listening on (\S+)/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: new URL('/webhooks/sentry', match[1]!),
        logBytes: () => bytes,
        cpuSeconds: () => readCpuSeconds(child.pid),
        mainThreadSchedstat: () => readMainThreadSchedstat(child.pid),
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before listening:\n${stderr}`));
    });
  });
}

/**
 * `bin/nightshift start`, as a user runs it: a configuration file (`NIGHTSHIFT_CONFIG`) with the
 * Sentry client secret and a data directory, the Kafka bus selected by `NIGHTSHIFT_KAFKA_BROKERS`.
 * The store is the embedded default (SQLite in the data directory).
 */
export async function startNightshiftTarget(options: NightshiftTargetOptions): Promise<RunningTarget & { dataDir: string }> {
  const dataDir = join(options.dir, 'data');
  const configFile = join(options.dir, 'nightshift.yaml');
  await writeFile(
    configFile,
    [
      'server: { host: 127.0.0.1, port: ' + String(await freePort()) + ' }',
      `dataDir: ${JSON.stringify(dataDir)}`,
      `log: { level: ${options.logLevel} }`,
      `bus: { kafka: { topicPrefix: ${JSON.stringify(options.topicPrefix)} } }`,
      `ingest: { sentry: { clientSecret: ${JSON.stringify(options.clientSecret)} }${options.receiveThreads === undefined ? '' : `, receiveThreads: ${options.receiveThreads}`} }`,
      '',
    ].join('\n'),
  );
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !OWN_VARIABLES.test(name)));
  env.NIGHTSHIFT_CONFIG = configFile;
  if (process.env.BENCH_SERVER_NODE_OPTIONS) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${process.env.BENCH_SERVER_NODE_OPTIONS}`.trim();
  if (options.kafkaBrokers) env.NIGHTSHIFT_KAFKA_BROKERS = options.kafkaBrokers.join(',');
  const roles = options.roles.length > 0 ? ['--role', options.roles.join(',')] : [];
  const workers = options.workers && options.workers > 1 ? ['--workers', String(options.workers)] : [];
  const target = await spawnListening(nightshiftBin, ['start', ...roles, ...workers], { cwd: options.dir, env });
  return { ...target, dataDir };
}

/** The baseline: a bare express app answering 202, in its own process, or in `workers` sharing the port. */
export function startBareExpressTarget(workers = 1): Promise<RunningTarget> {
  const script = fileURLToPath(new URL('./ingest-bare-express.js', import.meta.url));
  return spawnListening(process.execPath, [script, String(workers)], { cwd: process.cwd(), env: process.env });
}
