import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { describeValue } from './describe-value.js';
import { findDeepYamlNesting } from './find-deep-yaml-nesting.js';
import { findDuplicateKeys } from './find-duplicate-keys.js';
import { formatConfigPath } from './format-config-path.js';
import { inspectYamlAliases } from './inspect-yaml-aliases.js';
import { locateYamlNode, type Position } from './locate-yaml-node.js';

/** Deeper than any real configuration, far shallower than what can crash the parser. */
export const MAX_CONFIG_NESTING = 64;
/** Alias expansions allowed (the yaml package's "billion laughs" guard). */
export const MAX_ALIAS_COUNT = 100;

/** A parsed configuration file: its settings, and positions to report problems at. */
export interface ParsedConfigFile {
  /** The file as the user named it, for messages. */
  file: string;
  data: Record<string, unknown>;
  /** Where the value (or key) at a config path starts in the file. */
  locate(path: readonly PropertyKey[], target?: 'value' | 'key'): Position | undefined;
}

function positionInText(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * Parses the YAML text of a configuration file (`file` is only used in messages). Throws
 * `ConfigError` for syntax errors, duplicate keys, unknown tags, alias bombs, recursive aliases and
 * absurd nesting, each with file:line:column. Does not validate settings: see `resolveConfig`.
 */
export function parseConfigYaml(text: string, file: string): ParsedConfigFile {
  const fail = (problems: ConfigProblem[]): never => {
    throw new ConfigError(problems);
  };
  const tooDeep = findDeepYamlNesting(text, MAX_CONFIG_NESTING);
  if (tooDeep !== undefined) {
    const message =
      `nesting is too deep (over ${MAX_CONFIG_NESTING} levels of brackets and indentation); refusing to parse`;
    fail([{ file, ...positionInText(text, tooDeep), path: '', message }]);
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number | undefined): Partial<Position> => {
    if (offset === undefined || offset < 0) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: ConfigProblem[] = [...doc.errors, ...doc.warnings].map((error) => ({
    file,
    ...at(error.pos[0]),
    path: '',
    message: `invalid YAML: ${error.message}`,
  }));
  for (const duplicate of findDuplicateKeys(doc)) {
    const first = at(duplicate.firstOffset).line ?? '?';
    const message = `duplicate key (first given on line ${first}); only one of them can count, so remove the other`;
    problems.push({ file, ...at(duplicate.offset), path: formatConfigPath(duplicate.path), message });
  }
  const aliases = inspectYamlAliases(doc);
  for (const alias of aliases.recursive) {
    const message = `alias *${alias.name} refers to a value that contains it; configuration cannot be recursive`;
    problems.push({ file, ...at(alias.offset), path: '', message });
  }
  if (problems.length > 0) fail(problems);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const bomb = error instanceof ReferenceError;
    const message = bomb
      ? 'aliases expand to too many values (an "alias bomb"); write the values out instead'
      : `cannot read the YAML: ${error instanceof Error ? error.message : String(error)}`;
    fail([{ file, ...at(aliases.first?.offset), path: '', message }]);
  }
  // An empty file, or one with only comments, configures nothing.
  if (data === null || data === undefined) data = {};
  if (!isMapping(data)) {
    const message = `expected a mapping of settings (server, dataDir, log, bus, store), got ${describeValue(data)}`;
    fail([{ file, ...at(doc.contents?.range?.[0]), path: '', message }]);
  }
  return {
    file,
    data: data as Record<string, unknown>,
    locate: (path, target) => locateYamlNode(doc, lineCounter, path, target),
  };
}
