import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parseDocument } from 'yaml';
import { loadConfig, type LoadedConfig } from '../../shared/config/index.js';
import { alertReceivedPayload, type AlertReceivedPayload } from '../../shared/events/alert-received.js';
import { CapturedAlertError, readCapturedAlerts } from '../triage/offline/read-captured-alerts.js';
import { decideIncident } from '../triage/rules/decide-incident.js';
import { formatExplanation, formatReplay } from '../triage/rules/format-rule-reports.js';
import { factsFromAlert } from '../triage/rules/incident-facts.js';
import { loadRuleSet, rulesDirBeside, type LoadedRuleSet } from '../triage/rules/load-rule-set.js';
import { replayRules } from '../triage/rules/replay-rules.js';
import { openConfiguredStore } from '../runtime/open-configured-store.js';
import { UsageError } from './usage-error.js';

const load = (configFile?: string): Promise<LoadedConfig> =>
  loadConfig({ env: configFile ? { ...process.env, NIGHTSHIFT_CONFIG: configFile } : process.env, cwd: process.cwd() });

/** The rules in force: `rules:` of the configuration file and rules/*.yaml beside it (or in the working directory). */
function currentRules({ config, file }: LoadedConfig): LoadedRuleSet {
  const modelTiers = Object.keys(config.fixer.llm.models);
  if (file) return loadRuleSet({ configFile: file, rulesDir: rulesDirBeside(file), modelTiers });
  return { ...loadRuleSet({ rulesDir: resolve('rules'), modelTiers }), controls: config.controls };
}

/** A candidate rule file (rules only), judged with the configuration's controls. */
function candidateRules(path: string, { config }: LoadedConfig): LoadedRuleSet {
  const loaded = loadRuleSet({ ruleFiles: [resolve(path)], modelTiers: Object.keys(config.fixer.llm.models) });
  return { ...loaded, controls: config.controls };
}

async function isRuleFileOnly(path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`${path}: cannot be read`);
  });
  const contents = parseDocument(text, { uniqueKeys: false }).contents as { items?: { key?: { value?: unknown } }[] } | null;
  const keys = (contents?.items ?? []).map((item) => String(item.key?.value));
  return keys.every((key) => key === 'rules');
}

/** Reads the alert: an `alert.received.v1` payload as is, else a captured webhook body through the live receivers. */
async function readAlert(path: string, source: string | undefined): Promise<AlertReceivedPayload> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`${path}: cannot be read`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const direct = alertReceivedPayload.safeParse((json as { payload?: unknown } | undefined)?.payload ?? json);
  if (direct.success) return direct.data;
  let target = path;
  let scratch: string | undefined;
  if (source) {
    // The captured-alert reader takes the source from the file name.
    scratch = await mkdtemp(join(tmpdir(), 'nightshift-explain-'));
    target = join(scratch, `${source}-${basename(path)}`);
    await writeFile(target, text);
  }
  try {
    const alerts = await readCapturedAlerts(target, () => new Date());
    if (alerts.length === 0) throw new UsageError(`${path}: the receiver accepted it but it is no alert (a resolution or an installation event?)`);
    return alerts[0]!.payload;
  } catch (error) {
    throw error instanceof CapturedAlertError ? new UsageError(`${error.message}${source ? '' : ' (or give --source sentry|datadog)'}`) : error;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** `7d`, `12h`, `30m`, or an ISO timestamp. */
export function parseSince(value: string, now: Date): Date {
  const relative = /^(\d+)([mhd])$/.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd']);
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new UsageError(`--since ${JSON.stringify(value)}: give a duration like 7d, 12h or 30m, or an ISO timestamp`);
  return new Date(at);
}

/** `nightshift rules validate|explain|replay`. */
export function createRulesCommand(): Command {
  const rules = new Command('rules').description('check, explain and replay the alert-to-agent rules');

  rules
    .command('validate')
    .description('validate the rules (nightshift.yaml and rules/*.yaml, or the file given); problems exit 2')
    .argument('[file]', 'a rule file, or a nightshift.yaml')
    .action(async (file?: string) => {
      let loaded: LoadedRuleSet;
      if (file && (await isRuleFileOnly(file))) loaded = candidateRules(file, await load());
      else loaded = currentRules(await load(file));
      process.stdout.write(`${loaded.rules.length} rule${loaded.rules.length === 1 ? '' : 's'} valid${loaded.files.length ? ` (${loaded.files.join(', ')})` : ''}\n`);
    });

  rules
    .command('explain')
    .description('show which rule an alert matches, every condition checked, and the resulting action')
    .requiredOption('--alert <payload.json>', 'a captured webhook body, or an alert.received.v1 payload')
    .addOption(new Option('--source <source>', 'what sent the captured body').choices(['sentry', 'datadog']))
    .option('--rules <file>', 'a candidate rule file instead of the rules in force')
    .option('--json', 'print JSON')
    .action(async (options: { alert: string; source?: string; rules?: string; json?: boolean }) => {
      const loaded = await load();
      const set = options.rules ? candidateRules(options.rules, loaded) : currentRules(loaded);
      const alert = await readAlert(options.alert, options.source);
      const facts = factsFromAlert(alert);
      const explained = await decideIncident(set, facts, async () => ({ runtimeKillSwitch: null, fixAttempts: 0, fixesByRuleLastHour: 0, at: facts.latestAt }));
      if (!options.json) return void process.stdout.write(formatExplanation(explained, alert));
      const { source, kind, severity, title, service, environment, release } = alert;
      const result = {
        alert: { source, kind, severity, title, service, environment, release, errorType: alert.error?.type },
        matched: explained.evaluation.matched?.id ?? null,
        rules: explained.evaluation.verdicts,
        decision: explained.decision,
      };
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });

  rules
    .command('replay')
    .description('re-decide the stored incidents of a period with candidate rules and show what would change')
    .requiredOption('--since <when>', 'a duration back from now (7d, 12h, 30m) or an ISO timestamp')
    .option('--rules <file>', 'the candidate rule file (default: the rules in force)')
    .option('--json', 'print JSON')
    .action(async (options: { since: string; rules?: string; json?: boolean }) => {
      const since = parseSince(options.since, new Date());
      const loaded = await load();
      const candidate = options.rules ? candidateRules(options.rules, loaded) : currentRules(loaded);
      const store = await openConfiguredStore(loaded.config);
      try {
        const report = await replayRules({ store, candidate, since });
        process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatReplay(report));
      } finally {
        await store.close();
      }
    });

  return rules;
}
