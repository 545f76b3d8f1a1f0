import * as z from 'zod';
import { CROSS_FIELD } from './cross-field.js';

/**
 * How the fixer works: which forge it proposes on, the LLM endpoint and its price table, and the diff
 * policy every candidate must pass whatever strategy made it. The rules decide per incident how far a
 * fix may go within these bounds.
 */

const nonEmpty = (what: string) => z.string().min(1).describe(what);
const whole = (min: number) => z.int().min(min).describe(`a whole number >= ${min}`);
const httpUrl = z
  .string()
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  })
  .describe('an http(s) URL');

/** Dollars per million tokens. */
const priceSchema = z.strictObject({
  inputPerMillion: z.number().min(0).describe('dollars per million input tokens'),
  outputPerMillion: z.number().min(0).describe('dollars per million output tokens'),
});

const githubSchema = z.strictObject({
  /** https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: httpUrl,
  /** A fine-grained or classic token with contents, pull requests and checks write access. */
  token: nonEmpty('a GitHub token').optional(),
  /** A GitHub App, preferred over a token: installation tokens are short-lived. */
  appId: whole(1).optional(),
  privateKey: nonEmpty('the GitHub App private key (PEM)').optional(),
  installationId: whole(1).optional(),
});

const llmSchema = z.strictObject({
  /** Any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, LM Studio). */
  baseUrl: httpUrl.optional(),
  apiKey: nonEmpty('an API key').optional(),
  /** Tier name → model id; rules pick a tier, not a model. */
  models: z.record(nonEmpty('a tier name'), nonEmpty('a model id')),
  /** The tier that summarises evidence; the rule's tier writes the patch. */
  summaryTier: nonEmpty('a tier name from fixer.llm.models'),
  /** Model id → price; a model missing here is refused, so spend is never unknown. */
  prices: z.record(nonEmpty('a model id'), priceSchema),
  maxTurns: whole(1),
  requestTimeoutMs: whole(1000),
});

const policySchema = z.strictObject({
  maxFiles: whole(1),
  maxLines: whole(1),
  /** Globs (picomatch, repository-relative) no candidate may touch. */
  forbiddenPaths: z.array(nonEmpty('a glob')),
  allowMigrations: z.boolean(),
  allowNewDependencies: z.boolean(),
  /** Deleting tests or weakening assertions is refused unless this is true. */
  allowTestChanges: z.boolean(),
});

export const fixerSchema = z
  .strictObject({
    forge: z.enum(['local', 'github']),
    /** Mirrors and worktrees; default `<dataDir>/workspaces`. */
    workspaceDir: nonEmpty('a directory path').optional(),
    /** The author and committer of fix commits. */
    author: z.strictObject({ name: nonEmpty('a name'), email: nonEmpty('an email address') }),
    github: githubSchema,
    llm: llmSchema,
    policy: policySchema,
  })
  .superRefine((fixer, ctx) => {
    if (fixer.forge === 'github' && !fixer.github.token && fixer.github.appId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['forge'],
        params: { [CROSS_FIELD]: true },
        message: 'is "github" but neither fixer.github.token (or GITHUB_TOKEN) nor fixer.github.appId is set',
      });
    }
    if (fixer.github.appId !== undefined && (!fixer.github.privateKey || fixer.github.installationId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['github', 'appId'],
        params: { [CROSS_FIELD]: true },
        message: 'is set, so fixer.github.privateKey and fixer.github.installationId must be set too',
      });
    }
    if (!Object.hasOwn(fixer.llm.models, fixer.llm.summaryTier)) {
      ctx.addIssue({
        code: 'custom',
        path: ['llm', 'summaryTier'],
        params: { [CROSS_FIELD]: true },
        message: `names "${fixer.llm.summaryTier}", which is not in fixer.llm.models (${Object.keys(fixer.llm.models).join(', ') || 'none'})`,
      });
    }
  });

export type FixerConfig = z.infer<typeof fixerSchema>;
export type LlmConfig = z.infer<typeof llmSchema>;
export type DiffPolicyConfig = z.infer<typeof policySchema>;
export type GithubForgeConfig = z.infer<typeof githubSchema>;

export const DEFAULT_FIXER_CONFIG: FixerConfig = {
  forge: 'local',
  author: { name: 'Nightshift', email: 'nightshift@localhost' },
  github: { apiUrl: 'https://api.github.com' },
  llm: {
    models: { small: 'gpt-4o-mini', large: 'gpt-4o' },
    summaryTier: 'small',
    prices: {
      'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
      'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
    },
    maxTurns: 12,
    requestTimeoutMs: 60_000,
  },
  policy: {
    maxFiles: 5,
    maxLines: 200,
    forbiddenPaths: [
      '.github/**',
      '.gitlab-ci.yml',
      '.circleci/**',
      'Jenkinsfile',
      '**/package-lock.json',
      '**/yarn.lock',
      '**/pnpm-lock.yaml',
      '**/Cargo.lock',
      '**/go.sum',
      '**/poetry.lock',
      '**/.env',
      '**/.env.*',
      '**/*.pem',
      '**/*.key',
      '**/secrets/**',
    ],
    allowMigrations: false,
    allowNewDependencies: false,
    allowTestChanges: false,
  },
};
