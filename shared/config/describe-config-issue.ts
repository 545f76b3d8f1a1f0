import type * as z from 'zod';
import { isSecretKey } from '../log/is-secret-key.js';
import type { ConfigProblem } from './config-error.js';
import { configSchema, CROSS_FIELD } from './config-schema.js';
import { describeValue } from './describe-value.js';
import { findSchemaAtPath, listAllowedKeys } from './find-schema-at-path.js';
import { formatConfigPath } from './format-config-path.js';
import type { ParsedConfigFile } from './parse-config-yaml.js';
import { envVariableForPath } from './read-env-overrides.js';
import { suggestClosest } from './suggest-closest.js';

/** What a validation issue is reported against. */
export interface IssueContext {
  /** The merged value that was validated. */
  input: unknown;
  /** The file, to give positions; absent when there is none. */
  file: ParsedConfigFile | undefined;
  /** Config path → environment variable that set it. */
  origins: ReadonlyMap<string, string>;
  /** The schema `input` was validated against; the whole configuration unless told otherwise. */
  schema?: z.ZodType;
}

const TYPE_PHRASES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

// What the schema wanted, as a phrase to follow "expected": the leaf's own description when it has
// one, else derived from the issue.
function expectedPhrase(issue: z.core.$ZodIssue, root: z.ZodType): string {
  const schema = findSchemaAtPath(root, issue.path);
  if (schema?.description !== undefined) return schema.description;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'object') {
        return `a mapping with keys ${listAllowedKeys(root, issue.path).join(', ')}`;
      }
      return TYPE_PHRASES[issue.expected] ?? `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? 'a non-empty string' : `a value of at least ${String(issue.minimum)}`;
    case 'too_big':
      return `a value of at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

function locate(context: IssueContext, path: readonly PropertyKey[], target: 'value' | 'key'): Partial<ConfigProblem> {
  // A value the environment set (or one inside it) is the variable's fault, whatever the file says.
  for (let length = path.length; length > 0; length--) {
    const variable = context.origins.get(formatConfigPath(path.slice(0, length)));
    if (variable !== undefined) return { variable };
  }
  if (context.file === undefined) return {};
  const position = context.file.locate(path, target);
  if (position === undefined) return { file: context.file.file };
  return { file: context.file.file, line: position.line, column: position.column };
}

function describeUnknownKeys(
  issue: z.core.$ZodIssueUnrecognizedKeys,
  context: IssueContext,
  limit: number,
): ConfigProblem[] {
  const allowed = listAllowedKeys(context.schema ?? configSchema, issue.path);
  return issue.keys.slice(0, limit).map((key) => {
    const suggestion = suggestClosest(key, allowed);
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    const path = [...issue.path, key];
    return {
      ...locate(context, path, 'key'),
      path: formatConfigPath(path),
      message: `unknown key "${key}"${hint}; allowed here: ${allowed.join(', ')}`,
    };
  });
}

function describeConfigIssue(issue: z.core.$ZodIssue, context: IssueContext, limit: number): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') return describeUnknownKeys(issue, context, limit);
  const path = formatConfigPath(issue.path);
  let message: string;
  if (issue.code === 'custom' && issue.params?.[CROSS_FIELD] === true) {
    message = issue.message;
  } else {
    const found = valueAt(context.input, issue.path);
    const last = issue.path[issue.path.length - 1];
    const secret = typeof last === 'string' && isSecretKey(last);
    message = `expected ${expectedPhrase(issue, context.schema ?? configSchema)}, got ${describeValue(found, { secret })}`;
    const variable = found === undefined ? envVariableForPath(path) : undefined;
    if (variable !== undefined) message += ` (set it in the file or with ${variable})`;
  }
  return [{ ...locate(context, issue.path, 'value'), path, message }];
}

// Locating a key searches its mapping, so describing every one of 80 000 unknown keys in a
// generated file would take minutes; nobody reads past the first few dozen anyway.
const MAX_DESCRIBED_PROBLEMS = 50;

/**
 * Turns zod issues into problems a person can act on: where, what was expected, what was found.
 * Describes the first 50 and summarises the rest in one last problem.
 */
export function describeConfigIssues(issues: readonly z.core.$ZodIssue[], context: IssueContext): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  let omitted = 0;
  for (const issue of issues) {
    const size = issue.code === 'unrecognized_keys' ? issue.keys.length : 1;
    const room = MAX_DESCRIBED_PROBLEMS - problems.length;
    if (room > 0) problems.push(...describeConfigIssue(issue, context, room));
    omitted += Math.max(0, size - Math.max(0, room));
  }
  if (omitted > 0) problems.push({ path: '', message: `… and ${omitted} more problems like these` });
  return problems;
}
