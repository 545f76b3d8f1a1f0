/** How the miner groups messages. One generic configuration serves every log format; see the default. */
export interface TemplateMinerOptions {
  /** Leading tokens that route a message through the parse tree below its token count (Drain's depth − 2). */
  prefixTokens: number;
  /** A message joins the most similar cluster of its leaf when the share of matching tokens reaches this. */
  similarityThreshold: number;
  /** Children per tree node before further distinct tokens share the wildcard branch. */
  maxChildren: number;
  /**
   * Distinct values at the last routing position, among templates that otherwise match, from which that
   * position counts as a variable (`User alice logged in`, `User bob …`, `User carol …` → `User <*> logged in`).
   */
  variableRoutingValues: number;
  /** Distinct masked lines remembered for the exact-match shortcut (bounds memory on unbounded input). */
  maxRemembered: number;
}

/** The one configuration used everywhere (CLI, triage, benchmarks); it is not tuned per data set. */
export const defaultTemplateMinerOptions: Readonly<TemplateMinerOptions> = Object.freeze({
  // Two leading tokens (Drain's depth 4 uses one): the first two words of a message are nearly always
  // the constant part that names the event once variables are masked.
  prefixTokens: 2,
  // A short message may differ in one variable word (3 of 4 tokens agree) but not in one of three.
  similarityThreshold: 0.7,
  maxChildren: 100,
  // Two values at one position may be two events (startup/shutdown); three alike suggest a variable.
  variableRoutingValues: 3,
  maxRemembered: 200_000,
});
