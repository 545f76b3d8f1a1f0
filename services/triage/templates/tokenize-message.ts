import { isMonthOrDay, maskToken, WILDCARD } from './mask-token.js';

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/**
 * Splits a log message on whitespace and masks the variables in each token (see `maskToken`), so that
 * matching only ever compares the constant parts. Month and weekday names next to a masked number are
 * part of a timestamp (`Fri Jun 17 07:07:00 2005` → `<*> <*> <*> <*> <*>`).
 */
export function tokenizeMessage(message: string): string[] {
  const tokens: string[] = [];
  const n = message.length;
  let afterEquals = false;
  let names = false;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(message.charCodeAt(i))) i++;
    if (i >= n) break;
    let j = i + 1;
    while (j < n && !isSpace(message.charCodeAt(j))) j++;
    const raw = message.slice(i, j);
    const masked = maskToken(raw, afterEquals);
    // A run of variables is one variable: lists of ids, multi-token timestamps, varargs.
    if (masked !== WILDCARD || tokens[tokens.length - 1] !== WILDCARD) tokens.push(masked);
    afterEquals = raw === '=';
    if (!names && isMonthOrDay(masked)) names = true;
    i = j;
  }
  return names ? maskTimestampNames(tokens) : tokens;
}

/** Masks runs of month/day names that touch a wildcard token, collapsing the timestamp into one. */
function maskTimestampNames(tokens: string[]): string[] {
  const out: string[] = [];
  const push = (token: string) => {
    if (token !== WILDCARD || out[out.length - 1] !== WILDCARD) out.push(token);
  };
  let k = 0;
  while (k < tokens.length) {
    let end = k;
    while (end < tokens.length && isMonthOrDay(tokens[end]!)) end++;
    if (end === k) {
      push(tokens[k++]!);
      continue;
    }
    const nearWildcard = out[out.length - 1] === WILDCARD || tokens[end] === WILDCARD;
    for (; k < end; k++) push(nearWildcard ? WILDCARD : tokens[k]!);
  }
  return out;
}
