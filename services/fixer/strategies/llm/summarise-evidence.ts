import type OpenAI from 'openai';
import type { FixContext } from '../fix-strategy.js';
import { callChatModel, createPromptEstimator, type ChatCallResult } from './call-chat-model.js';
import type { LlmBudget } from './create-llm-budget.js';
import { SUMMARY_SYSTEM_PROMPT } from './llm-prompts.js';
import { renderAllEvidence } from './render-evidence.js';
import type { PricedModel } from './resolve-llm-models.js';

const MAX_BRIEF_CHARS = 3000;

/**
 * Asks the (cheaper) summary model to condense the whole evidence into a brief for the patch model.
 * The brief derives from untrusted text, so the caller quotes it as untrusted data too.
 */
export async function summariseEvidence(options: {
  client: OpenAI;
  model: PricedModel;
  budget: LlmBudget;
  ctx: Pick<FixContext, 'report' | 'alerts' | 'signal'>;
  apiKey?: string;
}): Promise<{ ok: true; brief: string } | Extract<ChatCallResult, { ok: false }>> {
  const messages = [
    { role: 'system' as const, content: SUMMARY_SYSTEM_PROMPT },
    { role: 'user' as const, content: `Summarise the evidence of this incident.\n\n${renderAllEvidence(options.ctx)}` },
  ];
  const answer = await callChatModel({
    client: options.client,
    model: options.model,
    messages,
    budget: options.budget,
    estimatedPromptTokens: createPromptEstimator().estimate(messages),
    apiKey: options.apiKey,
    signal: options.ctx.signal,
  });
  if (!answer.ok) return answer;
  const brief = (answer.message.content ?? '').trim().slice(0, MAX_BRIEF_CHARS);
  return { ok: true, brief: brief || '(the summariser returned nothing; use read_evidence)' };
}
