import type { FailureSignature } from './run-replay.js';

/** What the replay client got back for one request. */
export interface ReplayAnswer {
  status: number | null;
  error: string | null;
}

/** Whether the service's log for one request shows the incident's exception. */
export function sawFailureSignature(log: string, signature: FailureSignature | undefined): boolean {
  if (!signature?.type || !log.includes(signature.type)) return false;
  return !signature.value || log.includes(signature.value.slice(0, 80));
}

/**
 * Why one answer counts as the incident's failure, or null when it does not: no answer, a 5xx, the
 * service exiting while answering, or the incident's exception in what the service logged meanwhile.
 */
export function classifyReplayAnswer({
  answer,
  serviceExited,
  log,
  signature,
}: {
  answer: ReplayAnswer;
  serviceExited: boolean;
  log: string;
  signature?: FailureSignature;
}): string | null {
  if (answer.error !== null || answer.status === null) return `no answer: ${answer.error ?? 'unknown'}`;
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (serviceExited) return 'the service exited while answering';
  if (sawFailureSignature(log, signature)) return `the service logged the incident's exception (${signature!.type})`;
  return null;
}
