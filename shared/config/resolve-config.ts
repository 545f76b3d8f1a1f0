import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { configSchema, type NightshiftConfig } from './config-schema.js';
import { createDefaultConfig } from './create-default-config.js';
import { describeConfigIssues } from './describe-config-issue.js';
import { mergeConfigLayers } from './merge-config-layers.js';
import type { ParsedConfigFile } from './parse-config-yaml.js';
import { readEnvOverrides, type Env } from './read-env-overrides.js';

// Environment problems first, then file problems top to bottom, as someone fixing them reads.
function byPosition(a: ConfigProblem, b: ConfigProblem): number {
  const rank = (p: ConfigProblem) => (p.variable !== undefined ? 0 : p.line !== undefined ? 1 : 2);
  return rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Builds the configuration from its sources, later ones winning: defaults, the parsed file, the
 * environment. Validates the result once and throws `ConfigError` listing every problem, each
 * pointing at the file position or the environment variable it came from. No I/O.
 */
export function resolveConfig({
  env,
  cwd,
  file,
}: {
  env: Env;
  cwd: string;
  file?: ParsedConfigFile;
}): NightshiftConfig {
  const overrides = readEnvOverrides(env);
  const input = mergeConfigLayers(createDefaultConfig(), file?.data, overrides.layer);
  const result = configSchema.safeParse(input);
  const context = { input, file, origins: overrides.origins };
  const problems = [
    ...overrides.problems,
    ...(result.success ? [] : describeConfigIssues(result.error.issues, context)),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems.sort(byPosition));
  // Relative to where Nightshift was started, like any path given on a command line.
  const config = result.data;
  const repositories = Object.fromEntries(
    Object.entries(config.repositories).map(([name, repository]) => [name, { ...repository, path: resolve(cwd, repository.path) }]),
  );
  const logSources = config.triage.logSources.map((source) =>
    source.type === 'files' ? { ...source, files: source.files.map((file) => ({ ...file, path: resolve(cwd, file.path) })) } : source,
  );
  const dataDir = resolve(cwd, config.dataDir);
  const fixer = { ...config.fixer, workspaceDir: resolve(cwd, config.fixer.workspaceDir ?? resolve(dataDir, 'workspaces')) };
  return { ...config, dataDir, repositories, triage: { ...config.triage, logSources }, fixer };
}
