import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { ConfigError, type ConfigProblem } from '../../../shared/config/config-error.js';
import { formatConfigPath } from '../../../shared/config/format-config-path.js';
import { parseConfigYaml } from '../../../shared/config/parse-config-yaml.js';
import { verificationProfileSchema, type VerificationProfile } from '../../../shared/config/verifier-schema.js';

/** The file a repository may carry to describe its own verification. */
export const REPOSITORY_CONFIG_FILE = '.nightshift.yml';
const MAX_REPOSITORY_CONFIG_BYTES = 64 * 1024;

/** `.nightshift.yml`: only a profile; nothing in it can choose or loosen the sandbox. */
export const repositoryConfigSchema = z.strictObject({ verification: verificationProfileSchema });

/**
 * Reads `<worktree>/.nightshift.yml` and returns its `verification` profile, or null when the file is
 * absent. Throws `ConfigError` naming `.nightshift.yml:line:column` and the key for anything invalid.
 */
export async function loadRepositoryProfile(worktree: string): Promise<VerificationProfile | null> {
  let text: string;
  try {
    const buffer = await readFile(join(worktree, REPOSITORY_CONFIG_FILE));
    if (buffer.length > MAX_REPOSITORY_CONFIG_BYTES) {
      throw new ConfigError([{ file: REPOSITORY_CONFIG_FILE, path: '', message: `is larger than ${MAX_REPOSITORY_CONFIG_BYTES} bytes` }]);
    }
    text = buffer.toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = parseConfigYaml(text, REPOSITORY_CONFIG_FILE);
  const result = repositoryConfigSchema.safeParse(parsed.data);
  if (result.success) return result.data.verification;
  const problems: ConfigProblem[] = result.error.issues.flatMap((issue) => {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    return paths.map((path) => {
      const position = parsed.locate(path, issue.code === 'unrecognized_keys' ? 'key' : 'value');
      const message = issue.code === 'unrecognized_keys' ? `unknown key "${String(path.at(-1))}"` : issue.message;
      return { file: REPOSITORY_CONFIG_FILE, ...position, path: formatConfigPath(path), message };
    });
  });
  throw new ConfigError(problems);
}
