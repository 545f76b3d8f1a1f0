import { z } from 'zod';
import { defineEvent } from './define-event.js';

const repository = z.object({
  owner: z.string().min(1),
  name: z.string().min(1),
});

const common = {
  provider: z.literal('github'),
  /** X-GitHub-Delivery: the idempotency key. */
  deliveryId: z.string().min(1),
  action: z.string(),
  repository: repository.optional(),
  installationId: z.number().int().optional(),
  sender: z.string().optional(),
};

const checkResult = z.object({
  id: z.number().int(),
  name: z.string().optional(),
  headSha: z.string(),
  status: z.string(),
  conclusion: z.string().nullable(),
  pullRequests: z.array(z.number().int()),
});

/** GitHub pull request, check, comment and installation events, reduced to what Nightshift acts on. */
export const forgeEventPayload = z.discriminatedUnion('kind', [
  z.object({
    ...common,
    kind: z.literal('pull_request'),
    pullRequest: z.object({
      number: z.number().int().positive(),
      headSha: z.string(),
      headRef: z.string(),
      baseRef: z.string(),
      state: z.enum(['open', 'closed']),
      merged: z.boolean(),
      draft: z.boolean(),
      url: z.string(),
    }),
  }),
  z.object({ ...common, kind: z.literal('check_suite'), check: checkResult }),
  z.object({ ...common, kind: z.literal('check_run'), check: checkResult }),
  z.object({ ...common, kind: z.literal('workflow_run'), check: checkResult }),
  z.object({
    ...common,
    kind: z.literal('issue_comment'),
    issueNumber: z.number().int().positive(),
    isPullRequest: z.boolean(),
    comment: z.object({ id: z.number().int(), body: z.string(), author: z.string() }),
    /** `/nightshift retry` or `/nightshift stop`, when the comment is a command. */
    command: z.object({ name: z.enum(['retry', 'stop']), args: z.string() }).nullable(),
  }),
  z.object({
    ...common,
    kind: z.literal('installation'),
    installation: z.object({ id: z.number().int(), account: z.string() }),
  }),
]);

export const forgeEventV1 = defineEvent('forge.event.v1', forgeEventPayload);
export type ForgeEventPayload = z.infer<typeof forgeEventPayload>;
