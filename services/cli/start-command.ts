import type { Logger } from 'pino';
import type { NightshiftConfig } from '../../shared/config/index.js';
import { startNightshift } from '../runtime/start-nightshift.js';
import { roleNames, type RoleName } from '../runtime/role.js';
import { UsageError } from './usage-error.js';
import { preferYoungCollections } from './prefer-young-collections.js';
import { lowerV8HelperPriority, V8_HELPER_NICE_STEPS } from './lower-v8-helper-priority.js';

/** Every role, for the all-in-one process. */
const allInOne: RoleName[] = [...roleNames];

export function parseRoles(values: string[] | undefined): RoleName[] {
  if (!values || values.length === 0) return allInOne;
  const requested = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const unknown = requested.filter((r) => !(roleNames as readonly string[]).includes(r));
  if (unknown.length) throw new UsageError(`unknown role ${unknown.join(', ')}: choose from ${roleNames.join(', ')}`);
  return [...new Set(requested)] as RoleName[];
}

/**
 * `--workers`: how many processes serve the HTTP side. Only the ingest role may run in several: the
 * other roles consume the bus, and the embedded bus keeps a consumer group in one process.
 */
export function parseWorkers(value: string | undefined, roles: RoleName[]): number {
  if (value === undefined) return 1;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new UsageError(`--workers must be a whole number from 1 to 64, got ${value}`);
  if (count > 1 && (roles.length !== 1 || roles[0] !== 'ingest')) {
    throw new UsageError('--workers needs --role ingest alone: the other roles consume the bus and run in one process');
  }
  return count;
}

/**
 * `nightshift start`: runs the roles until SIGTERM or SIGINT, then stops gracefully (no new requests,
 * in-flight work finishes, offsets commit) and exits 0. A stop that hangs is cut off after the grace period.
 */
export async function runStart({ config, roles, log, configFile = null, graceMs = 25_000 }: { config: NightshiftConfig; roles: RoleName[]; log: Logger; configFile?: string | null; graceMs?: number }) {
  preferYoungCollections();
  const lowered = lowerV8HelperPriority();
  if (lowered.length > 0) log.debug({ threads: lowered, niceSteps: V8_HELPER_NICE_STEPS }, 'V8 helper threads run at a lower CPU priority than the HTTP thread');
  const running = await startNightshift({ config, roles, log, configFile });
  process.stdout.write(`nightshift listening on ${running.url} (roles: ${roles.join(', ')})\n`);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => {
      log.error({ graceMs }, 'graceful stop took too long; exiting');
      process.exit(1);
    }, graceMs).unref();
    running.stop().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (error) => {
        log.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
