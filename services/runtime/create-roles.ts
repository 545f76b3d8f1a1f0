import type { NightshiftConfig } from '../../shared/config/index.js';
import { assertNever } from '../../shared/errors.js';
import type { Role, RoleName } from './role.js';

/**
 * The role's handlers and routes, built from the configuration once per process. Each role's code is
 * loaded only when the process runs it: the fixer's TypeScript compiler and regex checker alone are
 * ~25 MB of heap that an ingest process would otherwise carry, and mark, on every full collection.
 */
export async function createRole(name: RoleName, config: NightshiftConfig, { configFile = null }: { configFile?: string | null } = {}): Promise<Role> {
  switch (name) {
    case 'ingest':
      return (await import('../ingest/create-ingest-role.js')).createIngestRole();
    case 'triage':
      return (await import('../triage/create-triage-role.js')).createTriageRole(config, { configFile });
    case 'fixer': {
      const [{ createFixerRole }, { checkFixGates }] = await Promise.all([import('../fixer/create-fixer-role.js'), import('../triage/rules/check-fix-gates.js')]);
      return createFixerRole(config, (input) => checkFixGates({ ...input, controls: config.controls }));
    }
    case 'verifier':
      return (await import('../verifier/create-verifier-role.js')).createVerifierRole(config);
    case 'console':
      return (await import('../console/create-console-role.js')).createConsoleRole();
    default:
      return assertNever(name, 'role');
  }
}
