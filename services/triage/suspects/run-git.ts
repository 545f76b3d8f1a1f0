import { execFile } from 'node:child_process';
import { NightshiftError } from '../../../shared/errors.js';

/**
 * Runs git with `args` (never through a shell) in `cwd` and resolves with stdout; rejects with `GitCommandError`.
 * `options.env` adds variables for this one command (a temporary index, or credentials as `GIT_CONFIG_*` so
 * they never appear in argv, error messages or a config file).
 */
export type RunGit = (args: readonly string[], cwd: string, options?: RunGitOptions) => Promise<string>;

/** Per-command extras for `RunGit`. */
export interface RunGitOptions {
  env?: Record<string, string>;
}

/** A git command failed or timed out; `args` are kept for the log, stderr is trimmed. */
export class GitCommandError extends NightshiftError {
  readonly args: readonly string[];
  readonly stderr: string;
  /** git's exit status; undefined when it was killed or never started. */
  readonly exitCode: number | undefined;

  constructor(
    args: readonly string[],
    stderr: string,
    options: { exitCode?: number; retriable?: boolean; cause?: unknown } = {},
  ) {
    const command = args.filter((arg) => !SAFE_GIT_OPTIONS.includes(arg)).slice(0, 4).join(' ');
    super('GIT_COMMAND_FAILED', `git ${command} failed: ${stderr.trim().slice(0, 500)}`, options);
    this.args = args;
    this.stderr = stderr;
    this.exitCode = options.exitCode;
  }
}

/**
 * Options every read-only query here starts with: user config must not add signatures or colour to output
 * we parse, and pathspecs are literal so a tracked file named ":(glob)**" is just a file name.
 */
export const SAFE_GIT_OPTIONS: readonly string[] = [
  '-c', 'log.showSignature=false',
  '-c', 'color.ui=false',
  '-c', 'core.quotePath=false',
  '--literal-pathspecs',
  '--no-pager',
];

export interface CreateRunGitOptions {
  /** Kills a git process that runs longer than this. */
  timeoutMs?: number;
  maxBufferBytes?: number;
  gitBinary?: string;
}

/** The production `RunGit`: `execFile` (no shell), bounded time and output, no interactive prompts. */
export function createRunGit({ timeoutMs = 30_000, maxBufferBytes = 64 * 1024 * 1024, gitBinary = 'git' }: CreateRunGitOptions = {}): RunGit {
  return (args, cwd, options) =>
    new Promise((resolve, reject) => {
      execFile(
        gitBinary,
        [...args],
        {
          cwd,
          timeout: timeoutMs,
          maxBuffer: maxBufferBytes,
          encoding: 'utf8',
          windowsHide: true,
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', ...options?.env },
        },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          const timedOut = error.killed === true;
          const exitCode = typeof error.code === 'number' ? error.code : undefined;
          reject(new GitCommandError(args, stderr || error.message, { exitCode, retriable: timedOut, cause: error }));
        },
      );
    });
}
