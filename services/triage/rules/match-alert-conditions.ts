import { parseRulePattern } from '../../../shared/config/check-safe-regex.js';
import { SEVERITY_ORDER, type RuleMatch } from '../../../shared/config/rules-schema.js';
import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import type { ConditionResult } from './condition-result.js';

/** Text beyond this is not searched: with the validated patterns it bounds matching time. */
export const MAX_MATCHED_TEXT = 4096;

const compiled = new Map<string, RegExp>();

function regexOf(written: string): RegExp {
  let regex = compiled.get(written);
  if (!regex) {
    const { source, flags } = parseRulePattern(written);
    regex = new RegExp(source, flags);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(written, regex);
  }
  return regex;
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);
const quoted = (value: string | undefined) => (value === undefined ? 'none' : JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value));
const shown = (written: string) => (written.startsWith('/') ? written : `/${written}/`);
const anyOf = (values: string[]) => (values.length === 1 ? JSON.stringify(values[0]) : `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);

function oneOf(condition: string, what: string, actual: string | undefined, wanted: string | string[]): ConditionResult {
  const values = list(wanted);
  const passed = actual !== undefined && values.includes(actual);
  return { condition, passed, reason: `${what} is ${quoted(actual)}, ${passed ? 'which is' : 'not'} ${anyOf(values)}` };
}

function pattern(condition: string, what: string, texts: (string | undefined)[], written: string): ConditionResult {
  const regex = regexOf(written);
  const present = texts.filter((text): text is string => text !== undefined);
  const hit = present.find((text) => regex.test(text.slice(0, MAX_MATCHED_TEXT)));
  if (hit !== undefined) return { condition, passed: true, reason: `${what} ${quoted(hit)} matches ${shown(written)}` };
  return { condition, passed: false, reason: `${what} ${present.length === 0 ? 'is missing' : quoted(present[0])} does not match ${shown(written)}` };
}

function severityAtLeast(actual: string, minimum: string): ConditionResult {
  const rank = (level: string) => SEVERITY_ORDER.indexOf(level as (typeof SEVERITY_ORDER)[number]);
  const passed = rank(actual) >= rank(minimum);
  return { condition: 'minSeverity', passed, reason: `severity ${actual} is ${passed ? 'at least' : 'below'} ${minimum}` };
}

function tag(name: string, actual: string | undefined, wanted: string | string[]): ConditionResult {
  const values = list(wanted);
  const passed = actual !== undefined && (values.includes('*') || values.includes(actual));
  const expected = values.includes('*') ? 'present' : anyOf(values);
  return { condition: `tags.${name}`, passed, reason: `tag ${name} is ${quoted(actual)}, ${passed ? 'which is' : 'not'} ${expected}` };
}

/**
 * Checks the conditions of `match` that concern one alert (everything but count, rate and time of
 * day), in the order they are written, each with its reason. Absent conditions are not listed.
 */
export function matchAlertConditions(match: RuleMatch, alert: AlertReceivedPayload): ConditionResult[] {
  const results: ConditionResult[] = [];
  if (match.source !== undefined) results.push(oneOf('source', 'source', alert.source, match.source));
  if (match.kind !== undefined) results.push(oneOf('kind', 'kind', alert.kind, match.kind));
  if (match.service !== undefined) results.push(oneOf('service', 'service', alert.service, match.service));
  if (match.environment !== undefined) results.push(oneOf('environment', 'environment', alert.environment, match.environment));
  if (match.minSeverity !== undefined) results.push(severityAtLeast(alert.severity, match.minSeverity));
  for (const [name, wanted] of Object.entries(match.tags ?? {})) results.push(tag(name, alert.tags[name], wanted));
  if (match.errorType !== undefined) results.push(oneOf('errorType', 'error type', alert.error?.type, match.errorType));
  if (match.message !== undefined) results.push(pattern('message', 'message', [alert.error?.value, alert.message], match.message));
  if (match.title !== undefined) results.push(pattern('title', 'title', [alert.title], match.title));
  if (match.release !== undefined) results.push(pattern('release', 'release', [alert.release], match.release));
  return results;
}
