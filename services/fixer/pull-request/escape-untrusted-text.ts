import { scrubSecretText } from '../../../shared/log/scrub-secret-text.js';

// A zero-width space after `@` keeps `@someone` readable but stops GitHub from notifying them.
const MENTION = /@(?=[A-Za-z0-9_-])/g;
const ZERO_WIDTH_SPACE = '\u200B';

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncateText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Removes credentials and defuses @mentions: the first step for any text Nightshift did not write. */
export function sanitizeUntrusted(text: string): string {
  return scrubSecretText(text).replace(MENTION, `@${ZERO_WIDTH_SPACE}`);
}

/**
 * Untrusted text as one line of markdown that renders literally: secrets removed, mentions defused,
 * HTML and markdown syntax escaped, newlines folded, cut to `max` characters.
 */
export function escapeInline(text: string, max = 300): string {
  const flat = truncateText(sanitizeUntrusted(text).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(), max);
  return flat
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~!()])/g, '\\$1')
    .replace(/^([#+=-]|\d+(?=[.)]))/, '\\$1');
}

/** Untrusted text as a table cell: inline-escaped (which covers `|`), never empty. */
export function tableCell(text: string, max = 160): string {
  return escapeInline(text, max) || ' ';
}

/**
 * Untrusted lines in a fenced code block: secrets removed, mentions defused, each line cut to `maxLine`.
 * The fence is longer than any backtick run inside, so the content cannot close it.
 */
export function fencedBlock(lines: string[], maxLine = 400, info = 'text'): string {
  const body = lines.map((line) => truncateText(sanitizeUntrusted(line).replace(/[\r\n]+/g, ' ⏎ '), maxLine));
  const longestRun = Math.max(0, ...body.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [`${fence}${info}`, ...body, fence].join('\n');
}

/** Inline code for text we trust to be plain (paths, shas, ids), still sanitised. */
export function code(text: string, max = 200): string {
  const clean = truncateText(sanitizeUntrusted(text).replace(/[\r\n]+/g, ' '), max);
  const longestRun = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longestRun + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${clean}${pad}${ticks}`;
}
