import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as z from 'zod';
import { ConfigError, type ConfigProblem } from '../../../shared/config/config-error.js';
import { describeConfigIssues } from '../../../shared/config/describe-config-issue.js';
import { formatConfigPath } from '../../../shared/config/format-config-path.js';
import { mergeConfigLayers } from '../../../shared/config/merge-config-layers.js';
import { parseConfigYaml, type ParsedConfigFile } from '../../../shared/config/parse-config-yaml.js';
import { MAX_CONFIG_BYTES } from '../../../shared/config/read-config-file.js';
import { controlsSchema, DEFAULT_CONTROLS, ruleFileSchema, ruleSchema, type ControlsConfig, type Rule } from '../../../shared/config/rules-schema.js';
import type { RuleSet } from './decide-incident.js';
import { findShadowedRules } from './find-shadowed-rules.js';

/** Where rules come from: `rules:` in nightshift.yaml, then `rules/*.yaml` in file-name order, then explicit files. */
export interface RuleSources {
  configFile?: string | null;
  rulesDir?: string | null;
  ruleFiles?: readonly string[];
  /** Files are named relative to this in messages. */
  cwd?: string;
  /** Tier names from `fixer.llm.models`; a rule naming another tier is refused. */
  modelTiers?: readonly string[];
}

/** A loaded rule set, and the files it came from (what hot reload watches). */
export interface LoadedRuleSet extends RuleSet {
  files: string[];
}

interface Located {
  rule: Rule;
  file: ParsedConfigFile;
  path: (string | number)[];
}

const configPartSchema = z.strictObject({ rules: z.array(ruleSchema), controls: controlsSchema });

function readYaml(path: string, display: string): ParsedConfigFile {
  const size = statSync(path).size;
  if (size > MAX_CONFIG_BYTES) throw new ConfigError([{ file: display, path: '', message: `is ${size} bytes; a rule file may be at most ${MAX_CONFIG_BYTES} bytes (1 MiB)` }]);
  return parseConfigYaml(readFileSync(path, 'utf8'), display);
}

function validate<T>(schema: z.ZodType<T>, input: unknown, file: ParsedConfigFile): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = describeConfigIssues(result.error.issues, { input, file, origins: new Map(), schema });
  // Top to bottom, as someone fixing the file reads it.
  throw new ConfigError(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)));
}

function at(located: Located, suffix: (string | number)[], message: string): ConfigProblem {
  const path = [...located.path, ...suffix];
  const position = located.file.locate(path, 'value');
  return { file: located.file.file, ...(position ?? {}), path: formatConfigPath(path), message };
}

function listRuleFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && !name.startsWith('.'))
    .sort()
    .map((name) => join(dir, name));
}

/** Checks across every rule: ids unique, no rule shadowed by an earlier one, model tiers known. */
function checkRuleList(located: Located[], modelTiers: readonly string[] | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const firstById = new Map<string, Located>();
  for (const entry of located) {
    const first = firstById.get(entry.rule.id);
    if (first) problems.push(at(entry, ['id'], `"${entry.rule.id}" is already the id of ${describeWhere(first)} (give every rule its own id)`));
    else firstById.set(entry.rule.id, entry);
    const tier = entry.rule.fix?.modelTier;
    if (modelTiers && tier !== undefined && !modelTiers.includes(tier)) {
      problems.push(at(entry, ['fix', 'modelTier'], `names "${tier}", which is not in fixer.llm.models (known: ${modelTiers.join(', ') || 'none'})`));
    }
  }
  for (const shadow of findShadowedRules(located.map((entry) => entry.rule))) {
    const entry = located[shadow.index]!;
    const by = located[shadow.byIndex]!;
    const why = shadow.catchAll ? `is a catch-all (no conditions)` : `matches everything this rule matches`;
    problems.push(at(entry, ['match'], `rule "${entry.rule.id}" can never match: rule "${by.rule.id}" (${describeWhere(by)}) comes first and ${why} (move this rule above it, or narrow that one)`));
  }
  return problems;
}

function describeWhere(entry: Located): string {
  const position = entry.file.locate(entry.path, 'value');
  return `${entry.file.file}${position ? `:${position.line}` : ''}`;
}

/**
 * Reads and validates every rule source. Throws `ConfigError` listing each problem as
 * `file:line:column: rules[2].match.message: what is wrong (hint)`: unknown keys, wrong types,
 * unsafe regexes, contradicting limits, duplicate ids, shadowed rules. Synchronous: a few small files.
 */
export function loadRuleSet(sources: RuleSources): LoadedRuleSet {
  const cwd = sources.cwd ?? process.cwd();
  const display = (path: string) => relative(cwd, path) || path;
  const located: Located[] = [];
  const files: string[] = [];
  const problems: ConfigProblem[] = [];
  let controls: ControlsConfig = structuredClone(DEFAULT_CONTROLS);
  const collect = (read: () => void) => {
    try {
      read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  };

  if (sources.configFile) {
    const path = sources.configFile;
    files.push(path);
    collect(() => {
      const file = readYaml(path, display(path));
      const input = { rules: file.data.rules ?? [], controls: mergeConfigLayers(structuredClone(DEFAULT_CONTROLS), file.data.controls) };
      const part = validate(configPartSchema, input, file);
      controls = part.controls;
      part.rules.forEach((rule, index) => located.push({ rule, file, path: ['rules', index] }));
    });
  }
  const ruleFiles = [...(sources.rulesDir ? listRuleFiles(sources.rulesDir) : []), ...(sources.ruleFiles ?? [])];
  for (const path of ruleFiles) {
    files.push(path);
    collect(() => {
      if (!existsSync(path)) throw new ConfigError([{ file: display(path), path: '', message: 'no such file' }]);
      const file = readYaml(path, display(path));
      const part = validate(ruleFileSchema, file.data, file);
      part.rules.forEach((rule, index) => located.push({ rule, file, path: ['rules', index] }));
    });
  }
  problems.push(...checkRuleList(located, sources.modelTiers));
  if (problems.length > 0) throw new ConfigError(problems);
  return { rules: located.map((entry) => entry.rule), controls, files };
}

/** The `rules/` directory beside a configuration file. */
export function rulesDirBeside(configFile: string): string {
  return join(configFile, '..', 'rules');
}
