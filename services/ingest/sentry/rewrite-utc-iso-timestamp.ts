/** The number in `text[from, to)` when it is all ASCII digits, else -1. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A UTC time as Sentry writes it, `YYYY-MM-DDTHH:MM:SS[.fraction]` then `Z` or `+00:00`, rewritten
 * as `Date#toISOString` would write it (milliseconds, `Z`) by moving characters, not by parsing a
 * Date. Undefined for anything else, out-of-range parts included (which Date.parse would roll over),
 * so the caller falls back to Date.parse.
 */
export function rewriteUtcIsoTimestamp(text: string): string | undefined {
  const end = text.endsWith('Z') ? text.length - 1 : text.endsWith('+00:00') ? text.length - 6 : -1;
  if (end < 19 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (end === 19) return `${text.slice(0, 19)}.000Z`;
  // Up to nanoseconds: V8's Date.parse misreads longer fractions that start with zeros.
  if (text[19] !== '.' || end === 20 || end > 29 || digitsAt(text, 20, end) < 0) return undefined;
  // Date.parse keeps milliseconds and drops finer digits.
  return `${text.slice(0, 19)}.${text.slice(20, Math.min(end, 23)).padEnd(3, '0')}Z`;
}
