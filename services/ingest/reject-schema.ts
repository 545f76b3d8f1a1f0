import type { z } from 'zod';
import { reject, type Verdict } from './receiver.js';

/** A payload that parsed as JSON but not as what we read: 422 naming the first offending field. */
export function rejectSchema(error: z.ZodError, what: string): Verdict {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  return reject(422, 'schema', `${what}: ${field}: ${issue?.message ?? 'invalid'}`, field);
}
