import type { z } from 'zod';
import type { stackFrame } from '../../../shared/events/alert-received.js';
import { asObject, asString, type JsonObject } from './read-json-values.js';

type StackFrame = z.infer<typeof stackFrame>;

export interface SentryError {
  type: string;
  value?: string;
  frames: StackFrame[];
}

/** Sentry SDKs cap stacks near 50 frames; beyond this a payload is hostile and the oldest frames go. */
export const MAX_FRAMES = 200;

function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function readFrame(value: unknown): StackFrame | undefined {
  const frame = asObject(value);
  if (!frame) return undefined;
  const read: StackFrame = {
    filename: asString(frame.filename),
    absPath: asString(frame.abs_path),
    module: asString(frame.module),
    function: asString(frame.function),
    lineno: wholeNumber(frame.lineno),
    colno: wholeNumber(frame.colno),
    inApp: typeof frame.in_app === 'boolean' ? frame.in_app : undefined,
  };
  return Object.fromEntries(Object.entries(read).filter(([, v]) => v !== undefined)) as StackFrame;
}

/** `exception.values`, or a bare list as some older SDKs send. */
function readExceptionValues(event: JsonObject): unknown[] {
  const exception = event.exception;
  if (Array.isArray(exception)) return exception;
  const values = asObject(exception)?.values;
  return Array.isArray(values) ? values : [];
}

/**
 * The error an event reports: the last of `exception.values` (Sentry lists chained exceptions oldest
 * first, so the last is the one raised), with its frames in Sentry's order, oldest first.
 */
export function readSentryError(event: JsonObject): SentryError | undefined {
  const exception = asObject(readExceptionValues(event).at(-1));
  if (!exception) return undefined;
  const type = asString(exception.type);
  const value = asString(exception.value);
  if (!type && !value) return undefined;
  const rawFrames = asObject(exception.stacktrace)?.frames;
  const frames = (Array.isArray(rawFrames) ? rawFrames.slice(-MAX_FRAMES) : []).flatMap((f) => readFrame(f) ?? []);
  return { type: type ?? 'Error', ...(value ? { value } : {}), frames };
}
