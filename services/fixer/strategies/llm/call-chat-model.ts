import type OpenAI from 'openai';
import { APIConnectionTimeoutError, APIError, APIUserAbortError, RateLimitError } from 'openai';
import type { ChatCompletionFunctionTool, ChatCompletionMessage, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { REDACTED, scrubSecretText } from '../../../../shared/log/scrub-secret-text.js';
import { estimateTokens, type LlmBudget } from './create-llm-budget.js';
import type { PricedModel } from './resolve-llm-models.js';

/** One request's answer, or why there is none, as a result: the loop ends cleanly on every failure. */
export type ChatCallResult =
  | { ok: true; message: ChatCompletionMessage; promptTokens: number; completionTokens: number }
  | { ok: false; kind: 'budget' | 'aborted' | 'timeout' | 'rate-limited' | 'api'; reason: string };

export interface ChatCall {
  client: OpenAI;
  model: PricedModel;
  messages: ChatCompletionMessageParam[];
  tools?: ChatCompletionFunctionTool[];
  budget: LlmBudget;
  /** Prompt tokens the request will probably cost; see `createPromptEstimator`. */
  estimatedPromptTokens: number;
  /** Never sent: replaced wherever it might have slipped into the prompt. */
  apiKey?: string;
  signal: AbortSignal;
}

// Belt and braces: the key has no business in a prompt, so if anything put it there it goes.
function withoutKey(messages: ChatCompletionMessageParam[], apiKey: string | undefined): ChatCompletionMessageParam[] {
  if (!apiKey) return messages;
  const json = JSON.stringify(messages);
  const escaped = JSON.stringify(apiKey).slice(1, -1);
  return json.includes(escaped) ? (JSON.parse(json.replaceAll(escaped, REDACTED)) as ChatCompletionMessageParam[]) : messages;
}

function describe(error: unknown, apiKey: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const clean = scrubSecretText(message);
  return apiKey ? clean.replaceAll(apiKey, REDACTED) : clean;
}

/**
 * Sends one chat completion within the budget: the answer is capped at what the budget has left, the
 * request is not sent when even a minimal answer would break it, and the usage is recorded. Retries of
 * 429s (honouring Retry-After), 5xx and timeouts happen inside the client (its `maxRetries`).
 */
export async function callChatModel(call: ChatCall): Promise<ChatCallResult> {
  const allowance = call.budget.allow(call.model, call.estimatedPromptTokens);
  if (!allowance) {
    const spent = call.budget.spent();
    return { ok: false, kind: 'budget', reason: `the budget is used up (${spent.tokens} tokens, $${spent.usd.toFixed(4)} spent); the next turn could exceed it` };
  }
  let completion: OpenAI.Chat.Completions.ChatCompletion;
  try {
    completion = await call.client.chat.completions.create(
      {
        model: call.model.id,
        messages: withoutKey(call.messages, call.apiKey),
        ...(call.tools ? { tools: call.tools, tool_choice: 'auto' as const } : {}),
        // Not `max_tokens`: OpenAI's reasoning models refuse it. No temperature either, for the same models.
        max_completion_tokens: allowance.maxCompletionTokens,
      },
      { signal: call.signal },
    );
  } catch (error) {
    if (error instanceof APIUserAbortError || call.signal.aborted) return { ok: false, kind: 'aborted', reason: 'the attempt was aborted' };
    if (error instanceof APIConnectionTimeoutError) return { ok: false, kind: 'timeout', reason: `the model ${call.model.id} did not answer in time, retries included` };
    if (error instanceof RateLimitError) return { ok: false, kind: 'rate-limited', reason: `the endpoint kept answering 429 for ${call.model.id}, retries included` };
    const status = error instanceof APIError && error.status !== undefined ? ` (HTTP ${error.status})` : '';
    return { ok: false, kind: 'api', reason: `the request to ${call.model.id} failed${status}: ${describe(error, call.apiKey)}` };
  }
  const message = completion.choices?.[0]?.message;
  if (!message) return { ok: false, kind: 'api', reason: `the answer of ${call.model.id} has no message` };
  // Without usage the spend is estimated high rather than taken as zero.
  const promptTokens = completion.usage?.prompt_tokens ?? call.estimatedPromptTokens;
  const completionTokens = completion.usage?.completion_tokens ?? estimateTokens(JSON.stringify(message));
  call.budget.record(call.model, promptTokens, completionTokens);
  return { ok: true, message, promptTokens, completionTokens };
}

/**
 * Estimates the next prompt from the last real `prompt_tokens` plus the text added since, so the
 * estimate stays close as the conversation grows; before the first answer it counts every character.
 */
export function createPromptEstimator(): {
  estimate(messages: ChatCompletionMessageParam[], tools?: ChatCompletionFunctionTool[]): number;
  observe(messages: ChatCompletionMessageParam[], tools: ChatCompletionFunctionTool[] | undefined, promptTokens: number): void;
} {
  let known: { chars: number; tokens: number } | null = null;
  const size = (messages: ChatCompletionMessageParam[], tools?: ChatCompletionFunctionTool[]) =>
    JSON.stringify(messages).length + (tools ? JSON.stringify(tools).length : 0);
  return {
    estimate(messages, tools) {
      const chars = size(messages, tools);
      if (!known) return Math.ceil(chars / 3);
      return known.tokens + Math.ceil(Math.max(0, chars - known.chars) / 3);
    },
    observe(messages, tools, promptTokens) {
      known = { chars: size(messages, tools), tokens: promptTokens };
    },
  };
}
