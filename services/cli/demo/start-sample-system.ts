import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DemoError } from './demo-error.js';
import { findFreePort } from './find-free-port.js';
import { pollUntil } from './poll-until.js';
import { SAMPLE_SERVICES, type SampleServiceName } from './sample-history.js';
import { EXIT_WITH_PARENT_PRELOAD, nightshiftNodeModules } from './sample-paths.js';

export interface StartSampleSystemOptions {
  /** A checkout of the sample repository (the generated one, or a worktree of it). */
  repoDir: string;
  /** Each service writes its pino lines to `<logDir>/<service>.log`. */
  logDir: string;
  /** Where the services' @sentry/node reports errors; none when absent. */
  sentryDsn?: string;
  /** Sentry `release` of every service, e.g. the checked-out sha. */
  release?: string;
  /** Fixed ports; free ones are picked for the rest. */
  ports?: Partial<Record<SampleServiceName, number>>;
  startTimeoutMs?: number;
}

export interface RunningSampleSystem {
  urls: Record<SampleServiceName, string>;
  logFiles: Record<SampleServiceName, string>;
  pids: Record<SampleServiceName, number>;
  /** SIGTERM, then SIGKILL for a service still running after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const NAMES = Object.keys(SAMPLE_SERVICES) as SampleServiceName[];

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/**
 * Starts gateway, orders and inventory from `repoDir` as child processes on loopback, each told the URL of
 * the service it calls, and waits until every one answers `GET /healthz`. Modules come from Nightshift's
 * node_modules through NODE_PATH; nothing is installed. Children exit with this process (see
 * exit-with-parent.cjs), so none outlives a demo that was killed.
 */
export async function startSampleSystem(options: StartSampleSystemOptions): Promise<RunningSampleSystem> {
  const ports = {} as Record<SampleServiceName, number>;
  for (const name of NAMES) ports[name] = options.ports?.[name] ?? (await findFreePort());
  const urls = Object.fromEntries(NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<SampleServiceName, string>;
  const logFiles = Object.fromEntries(NAMES.map((name) => [name, join(options.logDir, `${name}.log`)])) as Record<SampleServiceName, string>;
  const nodePath = nightshiftNodeModules();

  const children = new Map<SampleServiceName, ChildProcess>();
  const stderr = new Map<SampleServiceName, string>();
  let stopped: Promise<void> | undefined;
  const stop = (graceMs = 3000): Promise<void> =>
    (stopped ??= Promise.all([...children.values()].map((child) => stopChild(child, graceMs))).then(() => undefined));

  for (const name of NAMES) {
    const service = SAMPLE_SERVICES[name];
    // Only what the service reads: the demo's own environment (API keys) stays out of the sample processes.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_PATH: nodePath, PORT: String(ports[name]), LOG_FILE: logFiles[name] };
    if (service.calls && service.upstreamEnv) env[service.upstreamEnv] = urls[service.calls];
    if (options.sentryDsn) env.SENTRY_DSN = options.sentryDsn;
    if (options.release) env.SENTRY_RELEASE = options.release;
    const child = spawn(process.execPath, ['--require', EXIT_WITH_PARENT_PRELOAD, service.entry], { cwd: options.repoDir, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    children.set(name, child);
    stderr.set(name, '');
    child.stderr!.on('data', (chunk: Buffer) => stderr.set(name, (stderr.get(name)! + chunk.toString()).slice(-4000)));
    child.on('error', () => {});
  }

  const timeoutMs = options.startTimeoutMs ?? 20_000;
  try {
    await Promise.all(
      NAMES.map(async (name) => {
        const child = children.get(name)!;
        const state = await pollUntil(
          async () => {
            if (child.exitCode !== null || child.signalCode !== null) return 'exited' as const;
            const response = await fetch(`${urls[name]}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
            return response?.ok ? ('up' as const) : undefined;
          },
          { timeoutMs, intervalMs: 50 },
        );
        if (state === 'up') return;
        const reason = state === 'exited' ? `it exited (${child.exitCode ?? child.signalCode})` : `it did not answer GET /healthz within ${timeoutMs} ms`;
        throw new DemoError('DEMO_SERVICE_START', `the sample service ${name} did not start: ${reason}. ${stderr.get(name)!.trim()}`.trim());
      }),
    );
  } catch (error) {
    await stop(500);
    throw error;
  }

  const pids = Object.fromEntries(NAMES.map((name) => [name, children.get(name)!.pid!])) as Record<SampleServiceName, number>;
  return { urls, logFiles, pids, stop };
}
