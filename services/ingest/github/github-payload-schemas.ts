import { z } from 'zod';

/**
 * The parts of GitHub webhook payloads that Nightshift reads. Objects are tolerant (unknown fields
 * are dropped), so GitHub adding fields never breaks ingest; a field we need that is missing or of
 * the wrong type is a 422 naming it.
 */
export const githubRepository = z.object({
  name: z.string().min(1),
  owner: z.object({ login: z.string().min(1) }),
});

const envelope = z.object({
  action: z.string().optional(),
  repository: githubRepository.nullish(),
  installation: z.object({ id: z.number().int() }).nullish(),
  sender: z.object({ login: z.string() }).nullish(),
});

const repositoryEvent = envelope.extend({ repository: githubRepository });

export type GithubEnvelope = z.infer<typeof envelope>;

export const pullRequestEvent = repositoryEvent.extend({
  pull_request: z.object({
    number: z.number().int().positive(),
    state: z.enum(['open', 'closed']),
    merged: z.boolean().nullish(),
    merged_at: z.string().nullish(),
    draft: z.boolean().nullish(),
    html_url: z.string(),
    head: z.object({ ref: z.string(), sha: z.string() }),
    base: z.object({ ref: z.string() }),
  }),
});

/** What check suites, check runs and workflow runs share. */
const checkFields = {
  id: z.number().int(),
  head_sha: z.string(),
  status: z.string(),
  conclusion: z.string().nullish(),
  // Empty for pushes and for pull requests from forks.
  pull_requests: z.array(z.object({ number: z.number().int().positive() })).nullish(),
};

export const checkSuiteEvent = repositoryEvent.extend({
  check_suite: z.object({ ...checkFields, app: z.object({ name: z.string() }).nullish() }),
});

export const checkRunEvent = repositoryEvent.extend({
  check_run: z.object({ ...checkFields, name: z.string() }),
});

export const workflowRunEvent = repositoryEvent.extend({
  workflow_run: z.object({ ...checkFields, name: z.string().nullish() }),
  workflow: z.object({ name: z.string() }).nullish(),
});

export const issueCommentEvent = repositoryEvent.extend({
  issue: z.object({
    number: z.number().int().positive(),
    // Present (an object of links) exactly when the issue is a pull request.
    pull_request: z.unknown().optional(),
  }),
  comment: z.object({
    id: z.number().int(),
    body: z.string().nullish(),
    user: z.object({ login: z.string() }).nullish(),
  }),
});

export const installationEvent = envelope.extend({
  installation: z.object({
    id: z.number().int(),
    // A user or organisation has a login; an enterprise has a slug and a name.
    account: z.object({ login: z.string().optional(), slug: z.string().optional(), name: z.string().optional() }).nullish(),
  }),
});
