import type { LlmUsage } from '../../fix-candidate.js';
import type { PricedModel } from './resolve-llm-models.js';

/** Per-incident limits: tokens and dollars from the rule, spread over every model call of the attempt. */
export interface LlmBudgetLimits {
  maxTokens: number;
  maxUsd: number;
}

/** What a call may still spend; `null` when even a minimal answer would break the budget. */
export interface CallAllowance {
  maxCompletionTokens: number;
}

/** Counts usage per model and answers whether the next call fits in what is left. */
export interface LlmBudget {
  /** Records one response's `usage`. */
  record(model: PricedModel, promptTokens: number, completionTokens: number): void;
  /**
   * The completion tokens the next call may ask for, given an estimate of its prompt, or null when
   * the call could exceed the tokens or dollars left even with the smallest useful answer.
   */
  allow(model: PricedModel, estimatedPromptTokens: number): CallAllowance | null;
  usage(): LlmUsage[];
  spent(): { tokens: number; usd: number };
}

/** A completion shorter than this cannot hold a useful tool call; below it the attempt stops instead. */
export const MIN_COMPLETION_TOKENS = 256;
/** The most a single answer may use: an edit and its reasoning fit comfortably. */
export const MAX_COMPLETION_TOKENS = 4096;

function cost(model: PricedModel, promptTokens: number, completionTokens: number): number {
  return (promptTokens * model.inputPerMillion + completionTokens * model.outputPerMillion) / 1_000_000;
}

/** A fresh budget for one attempt. */
export function createLlmBudget(limits: LlmBudgetLimits): LlmBudget {
  const byModel = new Map<string, LlmUsage>();
  let tokens = 0;
  let usd = 0;
  return {
    record(model, promptTokens, completionTokens) {
      const entry = byModel.get(model.id) ?? { model: model.id, promptTokens: 0, completionTokens: 0, costUsd: 0 };
      const callCost = cost(model, promptTokens, completionTokens);
      entry.promptTokens += promptTokens;
      entry.completionTokens += completionTokens;
      entry.costUsd += callCost;
      byModel.set(model.id, entry);
      tokens += promptTokens + completionTokens;
      usd += callCost;
    },
    allow(model, estimatedPromptTokens) {
      const tokensLeft = limits.maxTokens - tokens - estimatedPromptTokens;
      const usdLeft = limits.maxUsd - usd - cost(model, estimatedPromptTokens, 0);
      const affordable = model.outputPerMillion === 0 ? Infinity : Math.floor((usdLeft * 1_000_000) / model.outputPerMillion);
      const completion = Math.min(MAX_COMPLETION_TOKENS, tokensLeft, affordable);
      return completion >= MIN_COMPLETION_TOKENS ? { maxCompletionTokens: completion } : null;
    },
    usage: () => [...byModel.values()].map((u) => ({ ...u, costUsd: Math.round(u.costUsd * 1e6) / 1e6 })),
    spent: () => ({ tokens, usd }),
  };
}

/** A conservative token estimate for text (about three characters a token; real tokenisers average nearer four). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}
