import { createRequire } from 'node:module';

// recheck is ~9 MB of heap: loaded for the first pattern to check, not by every process that reads
// a configuration (most have no rule patterns, and a heap that size lengthens every full collection).
const require = createRequire(import.meta.url);
let recheck: typeof import('recheck') | undefined;

/** Longer patterns are refused unread: a rule names an error, it does not parse a grammar. */
export const MAX_RULE_REGEX_LENGTH = 512;
/** How long recheck may think about one pattern before it is refused as unproven. */
const CHECK_TIMEOUT_MS = 1000;

/** A rule's pattern as written: `text` or `/text/i`. */
export interface RulePattern {
  source: string;
  flags: string;
}

/** `/…/i` gives flags; anything else is the pattern itself, case-sensitive. */
export function parseRulePattern(written: string): RulePattern {
  const literal = /^\/(.*)\/([imsu]*)$/s.exec(written);
  return literal ? { source: literal[1]!, flags: literal[2]! } : { source: written, flags: '' };
}

/**
 * Why a rule's regular expression may not be used, or `undefined` when it may. Refuses patterns over
 * 512 characters, ones that do not compile, and ones recheck finds exponential or worse than
 * quadratic (or cannot prove otherwise within a second): a rule runs on text an attacker can shape.
 * The message ends with a hint in parentheses.
 */
export function checkSafeRegex(written: string): string | undefined {
  if (written.length > MAX_RULE_REGEX_LENGTH) {
    return `is ${written.length} characters long; a pattern may have at most ${MAX_RULE_REGEX_LENGTH} (match a distinctive part of the message, not all of it)`;
  }
  const { source, flags } = parseRulePattern(written);
  try {
    new RegExp(source, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
    return `is not a valid regular expression: ${reason} (escape special characters such as ( ) [ ] . * + ? with a backslash)`;
  }
  recheck ??= require('recheck') as typeof import('recheck');
  const verdict = recheck.checkSync(source, flags, { timeout: CHECK_TIMEOUT_MS });
  if (verdict.status === 'safe') return undefined;
  if (verdict.status === 'unknown') {
    return `could not be proved safe from catastrophic backtracking within ${CHECK_TIMEOUT_MS} ms (simplify it: fewer nested or adjacent quantifiers)`;
  }
  const complexity = verdict.complexity;
  if (complexity.type === 'polynomial' && complexity.degree <= 2) return undefined;
  const attack = verdict.attack.pattern;
  return `backtracks catastrophically (${complexity.summary}; an input like ${attack} stalls it) (remove nested quantifiers like (a+)+ and leading .*; a pattern is searched anywhere in the text already)`;
}
