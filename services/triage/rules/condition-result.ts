/** One condition of one rule, checked: what it was, whether it held, and why, in words. */
export interface ConditionResult {
  /** The condition's key in `match` (`service`, `minSeverity`, `tags.team`, …). */
  condition: string;
  passed: boolean;
  reason: string;
}
