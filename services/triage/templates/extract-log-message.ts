/**
 * The message of one log line: the `msg` (pino, bunyan) or `message` field when the line is a JSON object
 * that has one, otherwise the whole line. Only lines that start with `{` pay for a JSON parse.
 */
export function extractLogMessage(line: string): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  if (line.charCodeAt(i) !== 123 /* { */) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const fields = parsed as { msg?: unknown; message?: unknown };
    if (typeof fields.msg === 'string') return fields.msg;
    if (typeof fields.message === 'string') return fields.message;
  }
  return line;
}
