import type { z } from 'zod';
import { NightshiftError } from '../errors.js';
import { eventRegistry, isEventType, type NightshiftEvent } from './registry.js';

export interface EventIssue {
  /** Dotted path of the offending field, e.g. `payload.error.frames.0.lineno`. */
  path: string;
  message: string;
}

/** An event that does not match its contract; never retriable, it goes to the dead-letter topic. */
export class InvalidEventError extends NightshiftError {
  readonly issues: EventIssue[];

  constructor(type: string, issues: EventIssue[]) {
    super('EVENT_INVALID', `invalid ${type} event: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

function toIssues(error: z.ZodError): EventIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // An unknown key is reported at its own path, not at its parent's.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'unknown field' }));
    }
    return [{ path: path.join('.') || '(root)', message: issue.message }];
  });
}

/**
 * The events this function returned. Events are values, never changed once built, so one that
 * passed is not validated again when it is handed back: `createEvent` validates, and the bus's
 * `publish` would repeat the whole schema walk (about 10 µs for a Sentry alert, on every delivery
 * ingest accepts). Consumers still validate what they read off the bus: decoding makes new objects.
 */
const validated = new WeakSet<object>();

/** Validates an unknown value as a Nightshift event; the error names every offending field. */
export function parseEvent(raw: unknown): NightshiftEvent {
  if (typeof raw === 'object' && raw !== null && validated.has(raw)) return raw as NightshiftEvent;
  const type = (raw as { type?: unknown } | null)?.type;
  if (!isEventType(type)) {
    const known = Object.keys(eventRegistry).join(', ');
    throw new InvalidEventError('unknown', [
      { path: 'type', message: `unknown event type ${JSON.stringify(type)} (known: ${known})` },
    ]);
  }
  const result = eventRegistry[type].schema.safeParse(raw);
  if (!result.success) throw new InvalidEventError(type, toIssues(result.error));
  validated.add(result.data);
  return result.data as NightshiftEvent;
}
