import OpenAI, { type ClientOptions } from 'openai';
import type { Logger } from 'pino';
import { DEFAULT_FIXER_CONFIG, type DiffPolicyConfig, type LlmConfig } from '../../../../shared/config/fixer-schema.js';
import { scrubSecretText } from '../../../../shared/log/scrub-secret-text.js';
import type { LlmUsage, StrategyOutcome } from '../../fix-candidate.js';
import type { FixContext, FixStrategy } from '../fix-strategy.js';
import { createEditCheck } from './check-edit-allowed.js';
import { createLlmBudget } from './create-llm-budget.js';
import { patchSystemPrompt, patchTaskPrompt } from './llm-prompts.js';
import { resolveLlmModels } from './resolve-llm-models.js';
import type { RunChecks } from './run-llm-tool.js';
import { runPatchLoop } from './run-patch-loop.js';
import { summariseEvidence } from './summarise-evidence.js';

export type { RunChecks } from './run-llm-tool.js';

/** Dependencies of {@link createLlmStrategy}. */
export interface LlmStrategyDeps {
  config: LlmConfig;
  /** The diff policy whose forbidden paths the edit tools refuse; the default policy when absent. */
  policy?: Pick<DiffPolicyConfig, 'forbiddenPaths'>;
  /** The repository's verification profile, offered to the model as `run_checks`. */
  runChecks?: RunChecks;
  /** Builds the OpenAI client; tests and other SDK settings go through here. */
  clientFactory?: (options: ClientOptions) => OpenAI;
  /** Retries per request inside the client (429 with Retry-After, 5xx, timeouts); 2 by default. */
  maxRetries?: number;
}

// The client logs retries at warn; only its message goes on, never the request it describes.
function clientLogger(log: Logger): NonNullable<ClientOptions['logger']> {
  const line = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string) => log[level]({ component: 'openai' }, scrubSecretText(String(message)));
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
}

function failed(reason: string, usage: LlmUsage[]): StrategyOutcome {
  return { ok: false, strategy: 'llm', reason, usage };
}

/**
 * The `llm` rung of the ladder: the summary tier condenses the evidence, then the rule's tier works in
 * the worktree through tools (read, search, edit, run checks) until it calls `finish`, within the
 * rule's token and dollar budget and the configured turns. The edit stays in the workspace and the
 * candidate is its diff; every other ending is `{ ok: false }` with the usage so far, and the
 * workspace is reset.
 */
export function createLlmStrategy(deps: LlmStrategyDeps): FixStrategy {
  const { config } = deps;
  const forbidden = deps.policy?.forbiddenPaths ?? DEFAULT_FIXER_CONFIG.policy.forbiddenPaths;
  const makeClient = deps.clientFactory ?? ((options: ClientOptions) => new OpenAI(options));

  async function propose(ctx: FixContext): Promise<StrategyOutcome> {
    const models = resolveLlmModels(config, ctx.permissions.modelTier);
    if (!models.ok) return failed(models.reason, []);
    const budget = createLlmBudget({ maxTokens: ctx.permissions.maxTokens, maxUsd: ctx.permissions.maxUsd });
    // Every option is explicit so the client reads nothing from the environment on its own.
    const client = makeClient({
      apiKey: config.apiKey ?? 'unset',
      adminAPIKey: null,
      baseURL: config.baseUrl ?? 'https://api.openai.com/v1',
      organization: null,
      project: null,
      webhookSecret: null,
      timeout: config.requestTimeoutMs,
      maxRetries: deps.maxRetries ?? 2,
      logLevel: 'warn',
      logger: clientLogger(ctx.log),
    });
    try {
      const summary = await summariseEvidence({ client, model: models.summary, budget, ctx, apiKey: config.apiKey });
      if (!summary.ok) return failed(`summarising the evidence failed: ${summary.reason}`, budget.usage());
      const scope = { allowed: ctx.permissions.paths, forbidden };
      const result = await runPatchLoop({
        client,
        model: models.patch,
        budget,
        maxTurns: config.maxTurns,
        systemPrompt: patchSystemPrompt({ ...scope, maxTurns: config.maxTurns }),
        taskPrompt: patchTaskPrompt(ctx, summary.brief),
        tools: {
          tools: { dir: ctx.workspace.dir, checkEdit: createEditCheck(scope), signal: ctx.signal },
          evidence: ctx,
          runChecks: deps.runChecks,
        },
        ctx,
        apiKey: config.apiKey,
      });
      if (!result.finished) {
        await ctx.workspace.reset();
        return failed(result.reason, budget.usage());
      }
      const diff = await ctx.workspace.diff();
      if (diff.diff.trim() === '') return failed('the model finished without changing any file', budget.usage());
      ctx.log.info({ files: diff.files, linesChanged: diff.linesChanged, usage: budget.usage() }, 'llm candidate ready');
      return { ok: true, candidate: { ...diff, strategy: 'llm', rationale: result.rationale, confidence: result.confidence, usage: budget.usage() } };
    } catch (error) {
      // Usage must be reported whatever happened, so even an unexpected failure ends as a result.
      ctx.log.error({ err: error }, 'llm strategy failed');
      await ctx.workspace.reset().catch(() => undefined);
      const message = scrubSecretText(error instanceof Error ? error.message : String(error));
      return failed(`the llm strategy failed: ${config.apiKey ? message.replaceAll(config.apiKey, '[REDACTED]') : message}`, budget.usage());
    }
  }

  return { name: 'llm', propose };
}
