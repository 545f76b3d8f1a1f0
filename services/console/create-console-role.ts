import type { Role } from '../runtime/role.js';
import { createConsoleRouter } from './create-console-router.js';
import { createControlsRouter } from './create-controls-router.js';

/** The read-only incident API (and later the web UI). */
export function createConsoleRole(): Role {
  return { name: 'console', router: ({ store, config, bus, now }) => createConsoleRouter({ store }).use(createControlsRouter({ store, controls: config.controls, bus, now })), handlers: [] };
}
