import type { NightshiftConfig } from './config-schema.js';
import { parseConfigYaml } from './parse-config-yaml.js';
import { readConfigFile } from './read-config-file.js';
import type { Env } from './read-env-overrides.js';
import { resolveConfig } from './resolve-config.js';

/** The configuration and the file it was read from (absolute; `null` when there was none). */
export interface LoadedConfig {
  config: NightshiftConfig;
  file: string | null;
}

/**
 * Loads Nightshift's configuration, once, at the edge: defaults, then the YAML file
 * (`NIGHTSHIFT_CONFIG`, else `<cwd>/nightshift.yaml` if present), then the environment.
 * Throws `ConfigError` (code `CONFIG_INVALID`) listing every problem with file:line:column or the
 * variable at fault.
 */
export async function loadConfig({ env, cwd }: { env: Env; cwd: string }): Promise<LoadedConfig> {
  const source = await readConfigFile({ env, cwd });
  if (source === null) return { config: resolveConfig({ env, cwd }), file: null };
  const file = parseConfigYaml(source.text, source.display);
  return { config: resolveConfig({ env, cwd, file }), file: source.path };
}
