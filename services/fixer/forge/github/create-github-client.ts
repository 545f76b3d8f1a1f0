import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from 'pino';
import type { GithubForgeConfig } from '../../../../shared/config/fixer-schema.js';
import { ForgeError } from '../forge-error.js';

const NightshiftOctokit = Octokit.plugin(retry, throttling);
export type GithubClient = InstanceType<typeof NightshiftOctokit>;

/** How hard the client leans on GitHub's rate limits. */
export interface GithubRateLimitOptions {
  /** Retries after a primary or secondary rate limit before the call fails. Default 2. */
  maxRetries?: number;
  /** A limit that resets later than this fails at once (retriable) instead of blocking the handler. Default 120. */
  maxWaitSeconds?: number;
  /** Milliseconds per second of `Retry-After`; tests shrink it. Default 1000. */
  retryAfterUnitMs?: number;
  /**
   * Octokit's pacing of writes (1 s apart, 3 s for writes that notify people), as GitHub's best practices
   * ask. Default true; tests against a local server turn it off.
   */
  paced?: boolean;
}

/** A Bottleneck group that runs jobs at once, for `paced: false` (same `key().schedule()` surface). */
const UNPACED = {
  key: () => ({
    schedule: (...args: unknown[]) => {
      const [first, ...rest] = args;
      const [job, ...jobArgs] = (typeof first === 'function' ? args : rest) as [(...a: unknown[]) => unknown, ...unknown[]];
      return Promise.resolve().then(() => job(...jobArgs));
    },
  }),
};

/**
 * An Octokit with retry (5xx, network) and throttling (rate limits) plugins, authenticated as a GitHub App
 * installation when `appId` is set, else with the token. 429s are left to throttling so a rate limit is
 * retried once, after GitHub's `Retry-After`, not twice.
 */
export function createGithubClient(config: GithubForgeConfig, log: Logger, limits: GithubRateLimitOptions = {}): GithubClient {
  const { maxRetries = 2, maxWaitSeconds = 120, retryAfterUnitMs = 1000, paced = true } = limits;
  const onLimit = (kind: string) => (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const retrying = retryCount < maxRetries && retryAfter <= maxWaitSeconds;
    log.warn({ kind, retryAfter, retryCount, method: options.method, url: options.url, retrying }, `GitHub ${kind} rate limit hit`);
    return retrying;
  };
  const throttle = {
    id: `nightshift-${config.apiUrl}`,
    retryAfterBaseValue: retryAfterUnitMs,
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
    ...(paced ? {} : { write: UNPACED, notifications: UNPACED, search: UNPACED }),
  };
  const common = {
    baseUrl: config.apiUrl.replace(/\/+$/, ''),
    userAgent: 'nightshift',
    throttle: throttle as never,
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], retryAfterBaseValue: retryAfterUnitMs },
    log: {
      debug: (message: string) => log.debug(message),
      info: (message: string) => log.info(message),
      warn: (message: string) => log.warn(message),
      error: (message: string) => log.error(message),
    },
  };
  if (config.appId !== undefined) {
    if (!config.privateKey || config.installationId === undefined) {
      throw new ForgeError('FORGE_CONFIG', 'fixer.github.appId is set but privateKey or installationId is missing');
    }
    return new NightshiftOctokit({
      ...common,
      authStrategy: createAppAuth,
      auth: { appId: config.appId, privateKey: config.privateKey, installationId: config.installationId },
    });
  }
  if (!config.token) throw new ForgeError('FORGE_CONFIG', 'the github forge needs fixer.github.token (or GITHUB_TOKEN) or a GitHub App');
  return new NightshiftOctokit({ ...common, auth: config.token });
}

/** The token git should present: the installation token (refreshed by auth-app when near expiry) or the configured token. */
export async function readGithubToken(client: GithubClient): Promise<string> {
  const authentication = (await client.auth({ type: 'installation' })) as { token?: string };
  if (!authentication.token) throw new ForgeError('FORGE_CONFIG', 'the GitHub client has no token to push with');
  return authentication.token;
}
