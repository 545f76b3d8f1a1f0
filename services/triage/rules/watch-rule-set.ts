import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../../../shared/config/config-error.js';
import type { RuleBook } from './create-rule-book.js';
import { loadRuleSet, type RuleSources } from './load-rule-set.js';

/** Stops watching. */
export interface RuleWatch {
  close(): void;
}

/**
 * Reloads the rules when the configuration file or a file in the rules directory changes: editors
 * save in bursts (and by rename), so changes settle for `debounceMs` first. The new files are
 * validated completely before they replace anything; an invalid set keeps the rules in force and
 * logs every problem. Watches directories, so a file replaced by rename is still seen.
 */
export function watchRuleSet({ book, sources, log, debounceMs = 200, onReload }: { book: RuleBook; sources: RuleSources; log: Logger; debounceMs?: number; onReload?: (outcome: 'reloaded' | 'rejected') => void }): RuleWatch {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    timer = undefined;
    try {
      const next = loadRuleSet(sources);
      book.replace(next);
      log.info({ rules: next.rules.map((rule) => rule.id), files: next.files }, 'rules reloaded');
      onReload?.('reloaded');
    } catch (error) {
      const problems = error instanceof ConfigError ? error.message.split('\n') : [error instanceof Error ? error.message : String(error)];
      log.warn({ problems }, 'rule change refused, the previous rules stay in force');
      onReload?.('rejected');
    }
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  };
  const configName = sources.configFile ? basename(sources.configFile) : undefined;
  if (sources.configFile) {
    watchers.push(watch(dirname(sources.configFile), (_event, name) => (name === null || name === configName ? schedule() : undefined)));
  }
  if (sources.rulesDir && existsSync(sources.rulesDir)) {
    watchers.push(watch(sources.rulesDir, (_event, name) => (name === null || /\.ya?ml$/.test(name) ? schedule() : undefined)));
  }
  for (const watcher of watchers) watcher.on('error', (error) => log.warn({ err: error }, 'watching the rule files failed; rules will not reload'));
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
