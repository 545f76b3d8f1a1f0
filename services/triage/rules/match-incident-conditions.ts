import type { RuleMatch } from '../../../shared/config/rules-schema.js';
import type { ConditionResult } from './condition-result.js';
import type { IncidentFacts } from './incident-facts.js';
import { isWithinTimeWindow } from './is-within-time-window.js';

function alertsWithin(facts: IncidentFacts, minutes: number): number {
  const from = facts.latestAt - minutes * 60_000;
  return facts.receivedAt.filter((at) => at > from).length;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Checks the conditions of `match` over the whole incident: count, rate and time of day. */
export function matchIncidentConditions(match: RuleMatch, facts: IncidentFacts): ConditionResult[] {
  const results: ConditionResult[] = [];
  if (match.count) {
    const { atLeast, withinMinutes } = match.count;
    const seen = alertsWithin(facts, withinMinutes);
    const passed = seen >= atLeast;
    results.push({ condition: 'count', passed, reason: `${plural(seen, 'alert')} within ${withinMinutes} min, ${passed ? 'at least' : 'fewer than'} ${atLeast}` });
  }
  if (match.rate) {
    const { perMinuteAtLeast, withinMinutes } = match.rate;
    const rate = alertsWithin(facts, withinMinutes) / withinMinutes;
    const passed = rate >= perMinuteAtLeast;
    const shown = Number(rate.toFixed(2));
    results.push({ condition: 'rate', passed, reason: `${shown} alerts/min over ${withinMinutes} min, ${passed ? 'at least' : 'below'} ${perMinuteAtLeast}` });
  }
  if (match.timeOfDay) {
    const window = match.timeOfDay;
    const { inside, time } = isWithinTimeWindow(facts.latestAt, window);
    results.push({ condition: 'timeOfDay', passed: inside, reason: `fired at ${time} ${window.timezone}, ${inside ? 'inside' : 'outside'} ${window.from}-${window.to}` });
  }
  return results;
}
