import { formatConfigProblem, type ConfigError } from './config-error.js';

/** A multi-line report for a terminal: a headline, then one indented line per problem. */
export function formatConfigError(error: ConfigError): string {
  const count = error.problems.length;
  const headline = `Nightshift's configuration is invalid (${count} problem${count === 1 ? '' : 's'}):`;
  return [headline, ...error.problems.map((problem) => `  ${formatConfigProblem(problem)}`)].join('\n');
}
