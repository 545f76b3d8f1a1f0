import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import type { Env } from './read-env-overrides.js';

/** Larger files are refused unread: a configuration is a few hundred bytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
export const DEFAULT_CONFIG_FILE = 'nightshift.yaml';

/** The configuration file's text, where it is, and how the user named it. */
export interface ConfigFileText {
  path: string;
  display: string;
  text: string;
}

function describeOpenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Finds and reads the configuration file: the one `NIGHTSHIFT_CONFIG` names (it must exist), else
 * `nightshift.yaml` in `cwd` when present, else none (`null`). Refuses anything that is not a regular
 * UTF-8 file of at most 1 MiB.
 */
export async function readConfigFile({ env, cwd }: { env: Env; cwd: string }): Promise<ConfigFileText | null> {
  const named = env.NIGHTSHIFT_CONFIG?.trim() || undefined;
  const display = named ?? DEFAULT_CONFIG_FILE;
  const path = resolve(cwd, display);
  // A file that cannot be opened is the variable's fault; one that opens but is unusable, the file's.
  const failToOpen = (message: string): never => {
    const problem = { variable: 'NIGHTSHIFT_CONFIG', path: '', message: `${JSON.stringify(named)}: ${message}` };
    throw new ConfigError([problem]);
  };
  const fail = (message: string): never => {
    throw new ConfigError([{ file: display, path: '', message }]);
  };

  let handle;
  try {
    // Non-blocking, so that a FIFO named as the config cannot hang the open; it is refused below.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if (named === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const message = `${describeOpenError(error)} (looked for ${path})`;
    return named === undefined ? fail(message) : failToOpen(message);
  }
  try {
    // Checked on the open handle, so the file measured is the file read.
    const stats = await handle.stat();
    if (!stats.isFile()) return fail('is not a regular file');
    const tooLarge = (size: number) =>
      fail(`is ${size} bytes; a configuration file may be at most ${MAX_CONFIG_BYTES} bytes (1 MiB)`);
    if (stats.size > MAX_CONFIG_BYTES) return tooLarge(stats.size);
    const bytes = await handle.readFile();
    // It may have grown since it was measured.
    if (bytes.length > MAX_CONFIG_BYTES) return tooLarge(bytes.length);
    try {
      return { path, display, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
    } catch {
      return fail('is not UTF-8 text');
    }
  } finally {
    await handle.close();
  }
}
