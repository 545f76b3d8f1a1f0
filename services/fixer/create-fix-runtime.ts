import type { Logger } from 'pino';
import type { NightshiftConfig } from '../../shared/config/index.js';
import type { FixStrategyName } from '../../shared/events/incident-triaged.js';
import { createGithubForge, createLocalForge } from './forge/index.js';
import type { Forge } from './forge/forge.js';
import type { FixStrategy } from './strategies/fix-strategy.js';
import { createLlmStrategy } from './strategies/llm/create-llm-strategy.js';
import { createRevertStrategy } from './strategies/revert/index.js';
import { createWorkspaceManager, type WorkspaceManager } from './workspace/index.js';

/** What the fixer and the verifier share in one process: one workspace manager per directory, one forge. */
export interface FixRuntime {
  workspaces: WorkspaceManager;
  forge: Forge;
  strategies: Partial<Record<FixStrategyName, FixStrategy>>;
}

const runtimes = new Map<string, FixRuntime>();

/** The forge the configuration names: GitHub for repositories with a slug, else the local forge. */
export function createConfiguredForge(config: NightshiftConfig, log: Logger): Forge {
  if (config.fixer.forge === 'github') {
    const repositories = Object.fromEntries(
      Object.entries(config.repositories).flatMap(([name, repository]) => (repository.slug ? [[name, { slug: repository.slug, path: repository.path }]] : [])),
    );
    return createGithubForge({ config: config.fixer.github, repositories, log });
  }
  const repositories = Object.fromEntries(Object.entries(config.repositories).map(([name, repository]) => [name, { path: repository.path }]));
  return createLocalForge({ dataDir: config.dataDir, repositories });
}

/**
 * The template rung, loaded on its first proposal: it parses with the TypeScript compiler, ~16 MB
 * of heap that the all-in-one process would otherwise carry (and mark on every full collection)
 * from its start, though most incidents never reach this rung.
 */
function createLazyTemplateStrategy(): FixStrategy {
  let loading: Promise<FixStrategy> | undefined;
  return {
    name: 'template',
    async propose(ctx) {
      loading ??= import('./strategies/template/create-template-strategy.js').then((module) => module.createTemplateStrategy());
      return (await loading).propose(ctx);
    },
  };
}

/** The LLM rung exists only where an endpoint is configured (OPENAI_API_KEY or OPENAI_BASE_URL). */
function createStrategies(config: NightshiftConfig, runChecks?: Parameters<typeof createLlmStrategy>[0]['runChecks']): FixRuntime['strategies'] {
  const llmConfigured = config.fixer.llm.apiKey !== undefined || config.fixer.llm.baseUrl !== undefined;
  return {
    revert: createRevertStrategy(),
    template: createLazyTemplateStrategy(),
    ...(llmConfigured ? { llm: createLlmStrategy({ config: config.fixer.llm, policy: config.fixer.policy, ...(runChecks ? { runChecks } : {}) }) } : {}),
  };
}

/**
 * The process's fix runtime for this configuration, built on first use. Two managers on one directory
 * would each take the other's worktrees for a crashed attempt's, so fixer and verifier share one.
 */
export function getFixRuntime(config: NightshiftConfig, log: Logger): FixRuntime {
  const key = `${config.fixer.workspaceDir}\u0000${config.dataDir}`;
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = {
      workspaces: createWorkspaceManager({ rootDir: config.fixer.workspaceDir ?? `${config.dataDir}/workspaces`, author: config.fixer.author, log }),
      forge: createConfiguredForge(config, log),
      strategies: createStrategies(config),
    };
    runtimes.set(key, runtime);
  }
  return runtime;
}
