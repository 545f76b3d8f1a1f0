import type { LlmConfig } from '../../../../shared/config/fixer-schema.js';

/** A model the strategy may call, with its price in dollars per million tokens. */
export interface PricedModel {
  id: string;
  inputPerMillion: number;
  outputPerMillion: number;
}

/** The two models of one attempt: one condenses the evidence, the other writes the patch. */
export type ResolvedModels =
  | { ok: true; summary: PricedModel; patch: PricedModel }
  | { ok: false; reason: string };

function priced(config: LlmConfig, tier: string, role: string): PricedModel | string {
  const id = config.models[tier];
  if (id === undefined) {
    return `the ${role} tier "${tier}" is not in fixer.llm.models (${Object.keys(config.models).join(', ') || 'none'})`;
  }
  const price = config.prices[id];
  // Spend must never be unknown: a model without a price is not called at all.
  if (price === undefined) return `the ${role} model "${id}" has no price in fixer.llm.prices, so its spend could not be bounded`;
  return { id, ...price };
}

/** Maps the summary tier and the rule's tier to model ids and prices, refusing an unpriced model. */
export function resolveLlmModels(config: LlmConfig, patchTier: string): ResolvedModels {
  const summary = priced(config, config.summaryTier, 'summary');
  if (typeof summary === 'string') return { ok: false, reason: summary };
  const patch = priced(config, patchTier, 'patch');
  if (typeof patch === 'string') return { ok: false, reason: patch };
  return { ok: true, summary, patch };
}
