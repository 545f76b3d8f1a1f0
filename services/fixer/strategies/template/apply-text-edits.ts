import { NightshiftError } from '../../../../shared/errors.js';
import type { TextEdit } from './template-edit.js';

/**
 * Applies non-overlapping edits to `text`, each against the original offsets. Insertions at one offset
 * keep the order they were given in, so a template can open and close a wrapper at the same place.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = edits.map((edit, index) => ({ edit, index })).sort((a, b) => a.edit.start - b.edit.start || a.index - b.index);
  let result = '';
  let cursor = 0;
  for (const { edit } of ordered) {
    if (edit.start < cursor || edit.end < edit.start || edit.end > text.length) {
      throw new NightshiftError('TEMPLATE_EDIT_OVERLAP', `template edits overlap or fall outside the file at offset ${edit.start}`);
    }
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}
