import { isMonthOrDay, maskToken, WILDCARD } from './mask-token.js';

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/**
 * Splits a log message on whitespace and masks the variables in each token (see `maskToken`), so that
 * matching only ever compares the constant parts; returns the masked tokens joined by single spaces
 * (masked tokens hold no whitespace, so this is also the key of the masked line). A run of variables
 * is one variable (lists of ids, varargs), and month or weekday names next to a masked number belong
 * to the timestamp (`at Fri Jun 17 07:07:00 2005` → `at <*>`).
 */
export function maskMessage(message: string): string {
  const n = message.length;
  let key = '';
  let lastWildcard = false;
  // Month/day names wait for the next token to know whether they are part of a timestamp.
  let names = '';
  let afterEquals = false;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(message.charCodeAt(i))) i++;
    if (i >= n) break;
    // One pass finds the token's end and whether it is a plain word that masking would leave alone.
    let j = i;
    let plain = !afterEquals;
    let hex = true;
    for (; j < n; j++) {
      const c = message.charCodeAt(j);
      if (c <= 32 && isSpace(c)) break;
      if (plain && ((c >= 48 && c <= 57) || c === 61 || c === 47 || c === 126)) plain = false;
      else if (hex && !((c >= 97 && c <= 102) || (c >= 65 && c <= 70))) hex = false;
    }
    const raw = message.slice(i, j);
    const token = plain && !(hex && j - i >= 8) ? raw : maskToken(raw, afterEquals);
    afterEquals = j - i === 1 && raw === '=';
    i = j;
    if (token === WILDCARD) {
      names = '';
      if (!lastWildcard) key += key ? ' <*>' : '<*>';
      lastWildcard = true;
    } else if (isMonthOrDay(token)) {
      if (!lastWildcard) names += names ? ` ${token}` : token;
    } else {
      if (names) {
        key += key ? ` ${names}` : names;
        names = '';
      }
      key += key ? ` ${token}` : token;
      lastWildcard = false;
    }
  }
  if (names) key += key ? ` ${names}` : names;
  return key;
}

/** The masked tokens of a message (see `maskMessage`). */
export function tokenizeMessage(message: string): string[] {
  const key = maskMessage(message);
  return key === '' ? [] : key.split(' ');
}
