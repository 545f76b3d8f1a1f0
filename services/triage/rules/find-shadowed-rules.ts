import type { Rule, RuleMatch } from '../../../shared/config/rules-schema.js';
import { SEVERITY_ORDER } from '../../../shared/config/rules-schema.js';

/** A rule that can never decide: an earlier rule matches everything it matches. */
export interface ShadowedRule {
  index: number;
  byIndex: number;
  /** The earlier rule has no conditions at all. */
  catchAll: boolean;
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value]);
const within = (narrow: string | string[], broad: string | string[]) => list(narrow).every((v) => list(broad).includes(v));
const rank = (level: string) => SEVERITY_ORDER.indexOf(level as (typeof SEVERITY_ORDER)[number]);

/**
 * Whether every incident `later` matches is matched by `earlier`, judged condition by condition:
 * each condition of `earlier` must also be in `later`, at least as strict. Conservative: patterns
 * count only when written identically, so a shadow hidden behind two different regexes is missed,
 * never invented.
 */
export function coversMatch(earlier: RuleMatch, later: RuleMatch): boolean {
  const keys = Object.keys(earlier) as (keyof RuleMatch)[];
  return keys.every((key) => {
    const broad = earlier[key];
    const narrow = later[key];
    if (broad === undefined) return true;
    if (narrow === undefined) return false;
    switch (key) {
      case 'source':
      case 'kind':
      case 'service':
      case 'environment':
      case 'errorType':
        return within(narrow as string | string[], broad as string | string[]);
      case 'minSeverity':
        return rank(narrow as string) >= rank(broad as string);
      case 'tags': {
        const b = broad as Record<string, string | string[]>;
        const n = narrow as Record<string, string | string[]>;
        return Object.entries(b).every(([name, values]) => n[name] !== undefined && (list(values).includes('*') || within(n[name]!, values)));
      }
      case 'count': {
        const b = earlier.count!;
        const n = later.count!;
        return b.withinMinutes === n.withinMinutes && n.atLeast >= b.atLeast;
      }
      case 'rate': {
        const b = earlier.rate!;
        const n = later.rate!;
        return b.withinMinutes === n.withinMinutes && n.perMinuteAtLeast >= b.perMinuteAtLeast;
      }
      default:
        return JSON.stringify(broad) === JSON.stringify(narrow);
    }
  });
}

/** Every rule an earlier one shadows, with the first such earlier rule. */
export function findShadowedRules(rules: readonly Pick<Rule, 'match'>[]): ShadowedRule[] {
  const shadowed: ShadowedRule[] = [];
  rules.forEach((rule, index) => {
    const byIndex = rules.slice(0, index).findIndex((earlier) => coversMatch(earlier.match, rule.match));
    if (byIndex >= 0) shadowed.push({ index, byIndex, catchAll: Object.keys(rules[byIndex]!.match).length === 0 });
  });
  return shadowed;
}
