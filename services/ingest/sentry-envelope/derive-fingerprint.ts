import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { stackFrame } from '../../../shared/events/alert-received.js';

type StackFrame = z.infer<typeof stackFrame>;

/** Fingerprints stay well under the 512-character partition key; longer ones become their hash. */
const MAX_FINGERPRINT_CHARS = 256;

const DEFAULT_MARKER = /^\{\{\s*default\s*\}\}$/i;

/**
 * The frame an error is grouped by: the top in-app frame. Sentry orders frames oldest first, so that
 * is the last one marked in-app; failing that the last not marked system, failing that the last.
 */
export function findTopInAppFrame(frames: readonly StackFrame[]): StackFrame | undefined {
  return frames.findLast((f) => f.inApp === true) ?? frames.findLast((f) => f.inApp !== false) ?? frames.at(-1);
}

/** `<error type>:<module or file of the top in-app frame>:<function>`, e.g. `TypeError:orders/cart:total`. */
export function deriveDefaultFingerprint(error: { type: string; frames: readonly StackFrame[] }): string {
  const frame = findTopInAppFrame(error.frames);
  if (!frame) return error.type;
  return `${error.type}:${frame.module ?? frame.filename ?? frame.absPath ?? '?'}:${frame.function ?? '?'}`;
}

function bound(fingerprint: string): string {
  if (fingerprint.length <= MAX_FINGERPRINT_CHARS) return fingerprint;
  return `sha256:${createHash('sha256').update(fingerprint).digest('hex')}`;
}

/**
 * The grouping fingerprint of a Sentry event: its own `fingerprint` array when it sets one (each
 * `{{ default }}` entry standing for the default, as in Sentry), joined with `|`; else the default
 * from the error, else from the message template (so parameters do not split the group).
 */
export function deriveFingerprint(input: {
  fingerprint?: unknown;
  error?: { type: string; frames: readonly StackFrame[] };
  message?: string;
}): string {
  const fallback = input.error ? deriveDefaultFingerprint(input.error) : `message:${input.message ?? ''}`;
  const custom = Array.isArray(input.fingerprint)
    ? input.fingerprint.filter((part): part is string | number => typeof part === 'string' || typeof part === 'number').map(String)
    : [];
  if (custom.length === 0 || custom.every((part) => DEFAULT_MARKER.test(part))) return bound(fallback);
  return bound(custom.map((part) => (DEFAULT_MARKER.test(part) ? fallback : part)).join('|'));
}
