import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import { isRecord, optionalRecord, optionalString, type SentryRecord } from './read-sentry-values.js';

type AlertError = NonNullable<AlertReceivedPayload['error']>;
type AlertFrame = AlertError['frames'][number];

/** A line or column number: a non-negative safe integer, else left out. */
function optionalLine(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** A Sentry stack frame as an alert frame, with the fields Sentry left out (or sent malformed) absent. */
function toFrame(raw: SentryRecord): AlertFrame {
  const frame: AlertFrame = {};
  const filename = optionalString(raw.filename);
  if (filename !== undefined) frame.filename = filename;
  const absPath = optionalString(raw.abs_path);
  if (absPath !== undefined) frame.absPath = absPath;
  const module = optionalString(raw.module);
  if (module !== undefined) frame.module = module;
  const fn = optionalString(raw.function);
  if (fn !== undefined) frame.function = fn;
  const lineno = optionalLine(raw.lineno);
  if (lineno !== undefined) frame.lineno = lineno;
  const colno = optionalLine(raw.colno);
  if (colno !== undefined) frame.colno = colno;
  if (typeof raw.in_app === 'boolean') frame.inApp = raw.in_app;
  return frame;
}

/** The frames of a raised exception; frames that are not objects are dropped. */
function readFrames(raised: SentryRecord | undefined): AlertFrame[] {
  const frames = optionalRecord(raised?.stacktrace)?.frames;
  if (!Array.isArray(frames)) return [];
  const read: AlertFrame[] = [];
  for (const raw of frames) if (isRecord(raw)) read.push(toFrame(raw));
  return read;
}

/**
 * The last of `exception.values`, or undefined when there is none or the list holds something other
 * than objects (then none of it is trusted).
 */
function readRaised(exception: unknown): SentryRecord | undefined {
  const values = optionalRecord(exception)?.values;
  if (!Array.isArray(values)) return undefined;
  for (const value of values) if (!isRecord(value)) return undefined;
  return values.at(-1) as SentryRecord | undefined;
}

/**
 * The error of a Sentry event: the last of `exception.values` (Sentry lists chained exceptions cause
 * first, so the last is the one that was raised), frames kept in Sentry's order, oldest call first
 * and the crashing frame last. Without an exception, the event's `metadata` type and value.
 */
export function readSentryException(exception: unknown, metadata: { type?: string; value?: string } | undefined): AlertError | undefined {
  const raised = readRaised(exception);
  const raisedType = optionalString(raised?.type);
  const type = raisedType ?? metadata?.type;
  if (!type) return undefined;
  const value = raisedType ? optionalString(raised?.value) : metadata?.value;
  return { type, ...(value ? { value } : {}), frames: readFrames(raised) };
}
