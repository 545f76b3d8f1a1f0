import { scrubSecretText } from '../../../../shared/log/scrub-secret-text.js';

const OPEN = '<<<UNTRUSTED_DATA';
const CLOSE = 'UNTRUSTED_DATA>>>';

/**
 * Wraps text from outside Nightshift (log lines, alert text, test output) in a clearly delimited block
 * the system prompt tells the model to treat as data. Secrets are scrubbed first, and any delimiter
 * inside the text is defused so planted text cannot close the block early and pose as instructions.
 */
export function renderUntrustedBlock(label: string, text: string): string {
  const body = scrubSecretText(text).replaceAll('<<<', '‹‹‹').replaceAll('>>>', '›››');
  return `${OPEN} source="${label.replace(/[^\w .:/-]/g, '_')}"\n${body}\n${CLOSE}`;
}

/** Where the untrusted blocks of a prompt start and end, so tests and audits can tell data from instructions. */
export function untrustedSpans(prompt: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  let from = 0;
  for (;;) {
    const start = prompt.indexOf(OPEN, from);
    if (start < 0) return spans;
    const end = prompt.indexOf(CLOSE, start);
    if (end < 0) return spans;
    spans.push({ start, end: end + CLOSE.length });
    from = end + CLOSE.length;
  }
}
