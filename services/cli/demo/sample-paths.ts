import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The sample system's source templates. They are plain JavaScript read at run time, not compiled: from
 * `dist/services/cli/demo/` that is four levels up, then back down into the sources.
 */
export const SAMPLE_SYSTEM_DIR = fileURLToPath(new URL('../../../../services/cli/demo/sample-system/', import.meta.url));

/** Makes a sample service exit when the demo that spawned it goes away, however it went (see the file). */
export const EXIT_WITH_PARENT_PRELOAD = fileURLToPath(new URL('../../../../services/cli/demo/exit-with-parent.cjs', import.meta.url));

/**
 * Nightshift's own node_modules, which the sample services load express, pino and @sentry/node from
 * through NODE_PATH: nothing is installed into the sample repository, and any checkout or worktree of it
 * runs the same way (a `node_modules` symlink would have to be recreated in each).
 */
export function nightshiftNodeModules(): string {
  const require = createRequire(import.meta.url);
  return dirname(dirname(require.resolve('express/package.json')));
}
