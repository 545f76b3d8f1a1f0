import type { NightshiftConfig } from '../../shared/config/index.js';
import { assertNever } from '../../shared/errors.js';
import type { Role, RoleName } from './role.js';

/**
 * The role's handlers and routes, built from the configuration once per process. Each role's code is
 * loaded only when the process runs it: the other roles' libraries (LLM and GitHub clients, git and
 * sandbox tooling) are heap that an ingest process would otherwise carry, and mark, on every full
 * collection. With the other lazy loads, an ingest process starts with 22 MB of heap instead of ~62.
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
