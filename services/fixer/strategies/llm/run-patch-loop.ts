import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { scrubSecretText } from '../../../../shared/log/scrub-secret-text.js';
import type { FixContext } from '../fix-strategy.js';
import { callChatModel, createPromptEstimator } from './call-chat-model.js';
import type { LlmBudget } from './create-llm-budget.js';
import { toolDefinitions, type ToolArguments } from './llm-tools.js';
import type { PricedModel } from './resolve-llm-models.js';
import { runLlmTool, type ToolDeps } from './run-llm-tool.js';

/** How the conversation ended: the model called `finish`, or the attempt stopped and says why. */
export type PatchLoopResult = ({ finished: true } & ToolArguments<'finish'>) | { finished: false; reason: string };

export interface PatchLoopOptions {
  client: OpenAI;
  model: PricedModel;
  budget: LlmBudget;
  maxTurns: number;
  systemPrompt: string;
  taskPrompt: string;
  tools: ToolDeps;
  ctx: Pick<FixContext, 'log' | 'signal'>;
  apiKey?: string;
}

const NUDGE = 'Answer with tool calls only: read and edit the repository, run the checks, then call finish.';

/**
 * The agent loop: one request per turn, every tool call of the answer run in order and answered, until
 * the model calls `finish`, the turns run out, the budget would be exceeded, or the signal aborts.
 */
export async function runPatchLoop(options: PatchLoopOptions): Promise<PatchLoopResult> {
  const { ctx } = options;
  const tools = toolDefinitions();
  const estimator = createPromptEstimator();
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: options.systemPrompt },
    { role: 'user', content: options.taskPrompt },
  ];
  for (let turn = 1; turn <= options.maxTurns; turn++) {
    if (ctx.signal.aborted) return { finished: false, reason: 'the attempt was aborted' };
    const answer = await callChatModel({
      client: options.client,
      model: options.model,
      messages,
      tools,
      budget: options.budget,
      estimatedPromptTokens: estimator.estimate(messages, tools),
      apiKey: options.apiKey,
      signal: ctx.signal,
    });
    if (!answer.ok) return { finished: false, reason: answer.reason };
    estimator.observe(messages, tools, answer.promptTokens);
    const { content, tool_calls: calls = [] } = answer.message;
    messages.push({ role: 'assistant', content: content ?? null, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
    ctx.log.debug({ turn, model: options.model.id, toolCalls: calls.length, promptTokens: answer.promptTokens, completionTokens: answer.completionTokens }, 'llm turn');
    if (calls.length === 0) {
      messages.push({ role: 'user', content: NUDGE });
      continue;
    }
    for (const call of calls) {
      if (call.type !== 'function') {
        messages.push({ role: 'tool', tool_call_id: call.id, content: 'error: only function tools exist here' });
        continue;
      }
      let result;
      try {
        result = await runLlmTool(call.function.name, call.function.arguments, options.tools);
      } catch (error) {
        if (ctx.signal.aborted) return { finished: false, reason: 'the attempt was aborted' };
        // A failing tool (an unreadable file, a crashing check runner) is the model's problem to route around.
        result = { content: `error: ${scrubSecretText((error as Error).message)}`, problem: 'tool failed' };
      }
      if (result.problem) ctx.log.info({ turn, tool: call.function.name, problem: result.problem }, 'llm tool call rejected');
      if (result.finish) return { finished: true, ...result.finish };
      messages.push({ role: 'tool', tool_call_id: call.id, content: result.content });
    }
  }
  return { finished: false, reason: `the model used all ${options.maxTurns} turns without finishing` };
}
