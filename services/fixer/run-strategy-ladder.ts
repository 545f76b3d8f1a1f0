import type { Logger } from 'pino';
import type { FixStrategyName } from '../../shared/events/incident-triaged.js';
import type { FixCandidate, LlmUsage, WorkspaceDiff } from './fix-candidate.js';
import type { FixContext, FixStrategy } from './strategies/fix-strategy.js';

/** Why one rung of the ladder produced nothing usable. */
export interface LadderRejection {
  strategy: FixStrategyName;
  /** `refused`: the strategy found no fix; `policy`: its diff broke the diff policy; `error`: it threw. */
  kind: 'refused' | 'policy' | 'error';
  reason: string;
  usage: LlmUsage[];
}

export type PolicyVerdict = { ok: true } | { ok: false; violations: Array<{ rule: string; file?: string; message: string }> };

export interface LadderResult {
  candidate: FixCandidate | null;
  rejections: LadderRejection[];
}

/**
 * Tries the strategies in the rule's order and keeps the first candidate that passes the diff policy.
 * Every rung starts from a clean worktree, and a rejected rung's edits are thrown away, so what is left
 * in the workspace is exactly the chosen candidate.
 */
export async function runStrategyLadder(input: {
  order: readonly FixStrategyName[];
  strategies: Partial<Record<FixStrategyName, FixStrategy>>;
  context: FixContext;
  checkPolicy: (diff: WorkspaceDiff) => PolicyVerdict;
  log: Logger;
}): Promise<LadderResult> {
  const rejections: LadderRejection[] = [];
  const { workspace } = input.context;
  for (const name of input.order) {
    const strategy = input.strategies[name];
    if (!strategy) {
      rejections.push({ strategy: name, kind: 'refused', reason: `the ${name} strategy is not available in this deployment`, usage: [] });
      continue;
    }
    await workspace.reset();
    try {
      const outcome = await strategy.propose(input.context);
      if (!outcome.ok) {
        rejections.push({ strategy: name, kind: 'refused', reason: outcome.reason, usage: outcome.usage });
        continue;
      }
      const verdict = input.checkPolicy(outcome.candidate);
      if (!verdict.ok) {
        const reason = `the diff policy rejected it: ${verdict.violations.map((v) => v.message).join('; ')}`;
        rejections.push({ strategy: name, kind: 'policy', reason, usage: outcome.candidate.usage });
        continue;
      }
      return { candidate: outcome.candidate, rejections };
    } catch (error) {
      input.log.warn({ err: error, strategy: name }, 'fix strategy failed');
      rejections.push({ strategy: name, kind: 'error', reason: error instanceof Error ? error.message : String(error), usage: [] });
    }
  }
  await workspace.reset();
  return { candidate: null, rejections };
}
