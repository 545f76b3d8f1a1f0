import type { NightshiftConfig } from '../../shared/config/index.js';
import { assertNever } from '../../shared/errors.js';
import { createConsoleRole } from '../console/create-console-role.js';
import { createFixerRole } from '../fixer/create-fixer-role.js';
import { createIngestRole } from '../ingest/create-ingest-role.js';
import { createTriageRole } from '../triage/create-triage-role.js';
import { checkFixGates } from '../triage/rules/check-fix-gates.js';
import { createVerifierRole } from '../verifier/create-verifier-role.js';
import type { Role, RoleName } from './role.js';

/** The role's handlers and routes, built from the configuration once per process. */
export function createRole(name: RoleName, config: NightshiftConfig, { configFile = null }: { configFile?: string | null } = {}): Role {
  switch (name) {
    case 'ingest':
      return createIngestRole();
    case 'triage':
      return createTriageRole(config, { configFile });
    case 'fixer':
      return createFixerRole(config, (input) => checkFixGates({ ...input, controls: config.controls }));
    case 'verifier':
      return createVerifierRole(config);
    case 'console':
      return createConsoleRole();
    default:
      return assertNever(name, 'role');
  }
}
