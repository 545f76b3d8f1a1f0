import { userInfo } from 'node:os';
import { Command } from 'commander';
import { loadConfig } from '../../shared/config/index.js';
import { readKillSwitch, setKillSwitch } from '../triage/rules/kill-switch.js';
import { openConfiguredStore } from '../runtime/open-configured-store.js';
import { UsageError } from './usage-error.js';

/** `nightshift kill-switch on|off|status`: the runtime switch, in the store every process reads. */
export function createKillSwitchCommand(): Command {
  return new Command('kill-switch')
    .description('stop (on) or allow again (off) every fix, across all processes; status shows it')
    .argument('<state>', 'on, off or status')
    .option('--reason <text>', 'why, for the audit log')
    .action(async (state: string, options: { reason?: string }) => {
      if (!['on', 'off', 'status'].includes(state)) throw new UsageError(`kill-switch ${JSON.stringify(state)}: say on, off or status`);
      const { config } = await loadConfig({ env: process.env, cwd: process.cwd() });
      const store = await openConfiguredStore(config);
      try {
        const current =
          state === 'status'
            ? await readKillSwitch(store)
            : await setKillSwitch(store, { enabled: state === 'on', actor: `cli:${userInfo().username}`, ...(options.reason ? { reason: options.reason } : {}) });
        const by = current.by ? ` (set by ${current.by} at ${current.at}${current.reason ? `: ${current.reason}` : ''})` : '';
        const configured = config.controls.killSwitch ? '; controls.killSwitch is also on in the configuration' : '';
        process.stdout.write(`kill switch ${current.enabled ? 'on' : 'off'}${by}${configured}\n`);
      } finally {
        await store.close();
      }
    });
}
