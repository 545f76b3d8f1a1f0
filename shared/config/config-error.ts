import { NightshiftError } from '../errors.js';

/** One thing wrong with the configuration, located as precisely as its source allows. */
export interface ConfigProblem {
  /** The configuration file as the user named it (relative or absolute). */
  file?: string;
  /** 1-based position of the offending value (of the key, for an unknown key). */
  line?: number;
  column?: number;
  /** Environment variable the bad value came from. */
  variable?: string;
  /** Dotted path in the configuration (`bus.kafka.brokers[1]`); empty for the whole file. */
  path: string;
  /** What was expected and what was found. */
  message: string;
}

// A hostile or generated file can yield thousands of problems; the first ones are what to fix.
const MAX_LISTED_PROBLEMS = 100;

/** `nightshift.yaml:12:5: bus.kafka.partitions: expected …`, or `NIGHTSHIFT_PORT: expected …`. */
export function formatConfigProblem(problem: ConfigProblem): string {
  if (problem.variable !== undefined) return `${problem.variable}: ${problem.message}`;
  const where =
    problem.file === undefined
      ? ''
      : problem.line === undefined
        ? `${problem.file}: `
        : `${problem.file}:${problem.line}:${problem.column ?? 1}: `;
  return `${where}${problem.path === '' ? '' : `${problem.path}: `}${problem.message}`;
}

/**
 * The configuration cannot be used. `problems` lists every issue found (file syntax, schema,
 * environment) so one run reports them all; `message` has one line per problem.
 */
export class ConfigError extends NightshiftError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.slice(0, MAX_LISTED_PROBLEMS).map(formatConfigProblem);
    const unlisted = problems.length - MAX_LISTED_PROBLEMS;
    if (unlisted > 0) lines.push(`… and ${unlisted} more problems`);
    super('CONFIG_INVALID', lines.join('\n'), { retriable: false });
    this.problems = problems;
  }
}
