import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from '../integration/template-loghub.js';

test('the LogHub CSV reader handles quoted commas, doubled quotes, newlines in quotes and CRLF', () => {
  const text = 'LineId,Content,EventId\r\n1,"size = 4,totalTime = 30",E2\r\n2,"say ""hi"", then go",E3\n3,"two\nlines",E4\n4,plain,E5';
  assert.deepEqual(parseCsv(text), [
    ['LineId', 'Content', 'EventId'],
    ['1', 'size = 4,totalTime = 30', 'E2'],
    ['2', 'say "hi", then go', 'E3'],
    ['3', 'two\nlines', 'E4'],
    ['4', 'plain', 'E5'],
  ]);
  assert.deepEqual(parseCsv('a,,c\n'), [['a', '', 'c']], 'empty fields stay; a final newline adds no row');
});
