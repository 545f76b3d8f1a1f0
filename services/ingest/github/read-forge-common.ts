import type { z } from 'zod';
import type { ForgeEventPayload } from '../../../shared/events/forge-event.js';
import type { GithubEnvelope } from './github-payload-schemas.js';

/** A forge event ready for `createEvent`: the payload and its partition key. */
export interface ForgeEventDraft {
  key: string;
  payload: ForgeEventPayload;
}

/** What a delivery reads as: an event, nothing to publish (null), or the schema error to answer with. */
export type ForgeReading = { ok: true; event: ForgeEventDraft | null } | { ok: false; error: z.ZodError };

/** The fields every forge event carries, from the envelope GitHub wraps around every payload. */
export function readForgeCommon(envelope: GithubEnvelope, deliveryId: string) {
  const { repository, installation, sender } = envelope;
  return {
    provider: 'github' as const,
    deliveryId,
    action: envelope.action ?? '',
    ...(repository ? { repository: { owner: repository.owner.login, name: repository.name } } : {}),
    ...(installation ? { installationId: installation.id } : {}),
    ...(sender ? { sender: sender.login } : {}),
  };
}

/**
 * The partition key: `owner/name#<number>` for anything about one pull request or issue, so its
 * events (checks included) stay in order on one partition; `owner/name` otherwise.
 */
export function forgeKey(repository: { owner: { login: string }; name: string }, number?: number): string {
  const repo = `${repository.owner.login}/${repository.name}`;
  return number === undefined ? repo : `${repo}#${number}`;
}
