import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ReplayRequest } from './build-replay-requests.js';
import { REPLAY_CLIENT_SOURCE } from './replay-client-source.js';

/** One line the replay client reports on its stdout. */
export type ReplayClientEvent =
  | { event: 'healthy' }
  | { event: 'unhealthy'; detail: string }
  | { event: 'sending'; index: number }
  | { event: 'answered'; index: number; status: number | null; error: string | null; body: string | null }
  | { event: 'done' };

export interface ReplayClientPlan {
  port: number;
  healthPath: string;
  startTimeoutMs: number;
  requestTimeoutMs: number;
  requests: readonly ReplayRequest[];
  /** Nightshift's own network namespace, which the client must not be in; null without a sandbox. */
  hostNetwork: string | null;
}

// nobody: the client needs no privilege, and must not keep root while it talks to untrusted code.
const NOBODY = '65534';

/**
 * The client's command line. With a sandbox it enters only the network namespace of `networkPid` (a
 * process of the service's sandbox): its file system, pid namespace and stdout stay the verifier's.
 * As root it drops to nobody; otherwise it first enters the sandbox's user namespace, which the
 * caller created and so may enter, keeping its own credentials.
 */
export function buildReplayClientArgv({ networkPid, isRoot, plan }: { networkPid: number | null; isRoot: boolean; plan: ReplayClientPlan }): string[] {
  const node = [process.execPath, '--input-type=commonjs', '-e', REPLAY_CLIENT_SOURCE, JSON.stringify(plan)];
  if (networkPid === null) return node;
  const enter = isRoot ? ['--net', `--setuid=${NOBODY}`, `--setgid=${NOBODY}`] : ['--user', '--net', '--preserve-credentials'];
  return ['nsenter', `--target=${networkPid}`, ...enter, '--', ...node];
}

function parseEvent(line: string): ReplayClientEvent | null {
  try {
    const value = JSON.parse(line) as ReplayClientEvent;
    return typeof value === 'object' && value !== null && typeof value.event === 'string' ? value : null;
  } catch {
    return null;
  }
}

export interface StartedReplayClient {
  kill(): void;
  /** Settles when the client exits, with its exit code and what it wrote on stderr (capped). */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
}

/** Spawns the replay client with a minimal environment and calls `onEvent` for each line it reports. */
export function startReplayClient(argv: readonly string[], onEvent: (event: ReplayClientEvent) => void): StartedReplayClient {
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: '/',
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const event = parseEvent(line);
    if (event !== null) onEvent(event);
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, stderr: `could not start ${argv[0]}: ${error.message}` }));
    child.on('close', (code) => resolve({ code, stderr: stderr.slice(0, 4000) }));
  });
  const kill = (): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  return { kill, exited };
}
