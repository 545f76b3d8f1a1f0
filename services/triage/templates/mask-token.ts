/** What a variable part of a log line is replaced with, in tokens and templates. */
export const WILDCARD = '<*>';

// Character classes, by char code. Word characters make up the pieces of a token that can be variables.
function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === 95 || // _
    c === 46 || // .
    c === 45 || // -
    c === 43 // +
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexLetter(c: number): boolean {
  return (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Delimiters that glue the parts of one value together (`10.0.0.1:8080`, `17/Jun/2005`, `1##2##3`, `a,b`). */
function isJoiner(c: number): boolean {
  return c === 58 || c === 47 || c === 35 || c === 124 || c === 44 || c === 64 || c === 126; // : / # | , @ ~
}

/** Characters that open a quoted or bracketed value; a value after `=` may start behind them. */
function isOpener(c: number): boolean {
  return c === 34 || c === 39 || c === 40 || c === 91 || c === 123 || c === 60 || c === 96; // " ' ( [ { < `
}

/** Characters that end a path or URL inside a token. */
function isPathEnd(c: number): boolean {
  return c === 34 || c === 39 || c === 41 || c === 93 || c === 125 || c === 62 || c === 44 || c === 59 || c === 96; // " ' ) ] } > , ; `
}

const monthsAndDays = new Set(
  [
    'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec',
    'January', 'February', 'March', 'April', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
    'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun',
    'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday',
  ].flatMap((name) => [name, name.toUpperCase()]),
);

/** A month or weekday name: part of a timestamp when it sits next to a masked number. */
export function isMonthOrDay(word: string): boolean {
  const first = word.charCodeAt(0);
  return word.length >= 3 && word.length <= 9 && first >= 65 && first <= 90 && monthsAndDays.has(word);
}

/** Where a path starting at `i` ends (exclusive), or -1 when no path starts there. */
function pathEnd(token: string, i: number): number {
  const n = token.length;
  const c = token.charCodeAt(i);
  let start = -1;
  if (c === 47 /* / */ && i + 1 < n && isWordChar(token.charCodeAt(i + 1))) start = i + 1;
  else if (c === 126 /* ~ */ && token.charCodeAt(i + 1) === 47) start = i + 2;
  else if (c === 46 /* . */ && token.startsWith('./', i)) start = i + 2;
  else if (c === 46 && token.startsWith('../', i)) start = i + 3;
  if (start < 0) return -1;
  let j = start;
  while (j < n && !isPathEnd(token.charCodeAt(j))) j++;
  // Sentence punctuation after a path is not part of it.
  while (j > start) {
    const last = token.charCodeAt(j - 1);
    if (last === 46 || last === 58 || last === 33 || last === 63) j--;
    else break;
  }
  return j;
}

/** Where a URL whose `://` is at `sep` begins (its scheme) and ends. */
function urlBounds(token: string, sep: number): [number, number] {
  let start = sep;
  while (start > 0) {
    const c = token.charCodeAt(start - 1);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 43 || c === 45 || c === 46) start--;
    else break;
  }
  let end = sep + 3;
  while (end < token.length && !isPathEnd(token.charCodeAt(end))) end++;
  while (end > sep + 3 && token.charCodeAt(end - 1) === 46) end--;
  return [start, end];
}

/**
 * Masks the variable parts of one whitespace-free token. A token is read as word pieces (letters, digits,
 * `_ . - +`) between delimiters; a piece is a variable when it holds a digit (numbers, ids, IPs, hex,
 * UUIDs, versions, times), is long hex, or is the value of `key=value`. Paths and URLs are variables
 * whole. Neighbouring variables glued by joiners (`:` `/` `#` `|` `,` `@` `~`) collapse into one
 * wildcard so that `10.0.0.1:8080`, `17/Jun/2005:10:00:01` and `1##2##3` all mask to `<*>`, while the
 * constant structure around them (`uid=<*>`, `(<*>)`, `CPU#<*>`) stays.
 *
 * `afterEquals` says that the previous token was a lone `=`, so this token starts with a value.
 */
export function maskToken(token: string, afterEquals = false): string {
  const n = token.length;
  // Fast path: a plain word (no digit, `=`, `/`, `~`, long hex) is returned as is; most tokens are.
  let simple = !afterEquals;
  let allHex = n >= 8;
  for (let i = 0; i < n && simple; i++) {
    const c = token.charCodeAt(i);
    if (isDigit(c) || c === 61 || c === 47 || c === 126) simple = false;
    else if (allHex && !isHexLetter(c)) allHex = false;
  }
  if (simple && !allHex) return token;
  return maskPieces(token, afterEquals);
}

function maskPieces(token: string, afterEquals: boolean): string {
  const url = token.indexOf('://');
  if (url > 0) {
    const [start, end] = urlBounds(token, url);
    return maskPieces(token.slice(0, start), afterEquals) + WILDCARD + (end < token.length ? maskPieces(token.slice(end), false) : '');
  }
  const n = token.length;
  let out = '';
  // Joiners seen right after a variable: dropped if another variable follows (one value), kept otherwise.
  let pending = '';
  let lastVariable = false;
  let valueNext = afterEquals;
  const variable = () => {
    // Right after a variable (directly or across joiners) this is the same value: no second wildcard.
    if (!lastVariable) out += WILDCARD;
    pending = '';
    lastVariable = true;
    valueNext = false;
  };
  let i = 0;
  while (i < n) {
    const c = token.charCodeAt(i);
    const end = (c === 47 || c === 126 || c === 46) && (i === 0 || !isWordChar(token.charCodeAt(i - 1))) ? pathEnd(token, i) : -1;
    if (end > 0) {
      variable();
      i = end;
      continue;
    }
    if (isWordChar(c)) {
      let j = i;
      let digit = false;
      let hex = true;
      while (j < n) {
        const d = token.charCodeAt(j);
        if (!isWordChar(d)) break;
        if (isDigit(d)) digit = true;
        else if (!isHexLetter(d)) hex = false;
        j++;
      }
      if (digit || valueNext || (hex && j - i >= 8) || isTimestampName(token, i, j, lastVariable && pending !== '')) variable();
      else {
        out += pending + token.slice(i, j);
        pending = '';
        lastVariable = false;
      }
      i = j;
      continue;
    }
    // `key=value`: the piece after `=` is a value, also behind an opening quote or bracket; a quote
    // that does not close within the token opens free text instead (logfmt `msg="request completed"`).
    if (c === 61 && i > 0 && isWordChar(token.charCodeAt(i - 1))) valueNext = true;
    else if (valueNext && (c === 34 || c === 39)) valueNext = token.indexOf(token[i]!, i + 1) > 0;
    else if (!(valueNext && isOpener(c))) valueNext = false;
    if (lastVariable && isJoiner(c)) pending += token[i];
    else {
      out += pending + token[i];
      pending = '';
      lastVariable = false;
    }
    i++;
  }
  return out + pending;
}

/** `17/Jun/2005`: a month or day name glued by joiners to a number is part of the same timestamp. */
function isTimestampName(token: string, start: number, end: number, afterJoinedVariable: boolean): boolean {
  if (!isMonthOrDay(token.slice(start, end))) return false;
  if (afterJoinedVariable) return true;
  let j = end;
  while (j < token.length && isJoiner(token.charCodeAt(j))) j++;
  return j > end && j < token.length && isDigit(token.charCodeAt(j));
}
