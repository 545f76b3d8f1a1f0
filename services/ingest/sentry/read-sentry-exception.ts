import { z } from 'zod';
import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import { tolerate } from './sentry-schema-parts.js';

type AlertError = NonNullable<AlertReceivedPayload['error']>;
type AlertFrame = AlertError['frames'][number];

const line = z.number().int().nonnegative();
const sentryFrame = z.object({
  filename: tolerate(z.string()),
  abs_path: tolerate(z.string()),
  module: tolerate(z.string()),
  function: tolerate(z.string()),
  lineno: tolerate(line),
  colno: tolerate(line),
  in_app: tolerate(z.boolean()),
});
const sentryException = z.object({
  values: z.array(
    z.object({
      type: tolerate(z.string()),
      value: tolerate(z.string()),
      stacktrace: tolerate(z.object({ frames: z.array(z.unknown()) })),
    }),
  ),
});

function toFrame(raw: unknown): AlertFrame | undefined {
  const parsed = sentryFrame.safeParse(raw);
  if (!parsed.success) return undefined;
  const f = parsed.data;
  const frame: AlertFrame = {
    filename: f.filename,
    absPath: f.abs_path,
    module: f.module,
    function: f.function,
    lineno: f.lineno,
    colno: f.colno,
    inApp: f.in_app,
  };
  return Object.fromEntries(Object.entries(frame).filter(([, v]) => v !== undefined)) as AlertFrame;
}

/**
 * The error of a Sentry event: the last of `exception.values` (Sentry lists chained exceptions cause
 * first, so the last is the one that was raised), frames kept in Sentry's order, oldest call first
 * and the crashing frame last. Without an exception, the event's `metadata` type and value.
 */
export function readSentryException(exception: unknown, metadata: { type?: string; value?: string } | undefined): AlertError | undefined {
  const parsed = sentryException.safeParse(exception);
  const raised = parsed.success ? parsed.data.values.at(-1) : undefined;
  const type = raised?.type ?? metadata?.type;
  if (!type) return undefined;
  const value = raised?.type ? raised.value : metadata?.value;
  const frames = (raised?.stacktrace?.frames ?? []).map(toFrame).filter((f): f is AlertFrame => f !== undefined);
  return { type, ...(value ? { value } : {}), frames };
}
