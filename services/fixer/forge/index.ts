export type { CheckCompletion, CheckConclusion, CheckHandle, CheckStart, Forge, ForgePullRequest, ForgePullRequestState, PullRequestDraft } from './forge.js';
export { ForgeError } from './forge-error.js';
export { CODEOWNERS_LOCATIONS, resolveCodeOwners, type CodeOwners } from './resolve-code-owners.js';
export { CHECK_OUTPUT_LIMIT, createGithubForge, type CreateGithubForgeOptions, type GithubForgeRepository } from './github/create-github-forge.js';
export type { GithubRateLimitOptions } from './github/create-github-client.js';
export { createLocalForge, type CreateLocalForgeOptions } from './local/create-local-forge.js';
