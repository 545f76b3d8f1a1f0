import type { Role } from '../runtime/role.js';
import { createConsoleRouter } from './create-console-router.js';

/** The read-only incident API (and later the web UI). */
export function createConsoleRole(): Role {
  return { name: 'console', router: ({ store }) => createConsoleRouter({ store }), handlers: [] };
}
