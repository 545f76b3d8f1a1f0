import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTextEdits } from '../../services/fixer/strategies/template/apply-text-edits.js';
import { classifyCrashError, looksLikeUpstreamFailure } from '../../services/fixer/strategies/template/classify-crash-error.js';

test('current and older V8 wordings of a nullish read or write classify alike', () => {
  const expected = { kind: 'nullish-read', property: 'items', nullish: 'undefined' };
  assert.deepEqual(classifyCrashError('TypeError', "Cannot read properties of undefined (reading 'items')"), expected);
  assert.deepEqual(classifyCrashError('TypeError', "TypeError: Cannot read property 'items' of undefined"), expected);
  assert.deepEqual(classifyCrashError('TypeError', "Cannot set properties of null (setting 'items')"), { ...expected, nullish: 'null' });
});

test('callbacks, JSON and rejections get their templates; anything else is "other"', () => {
  assert.deepEqual(classifyCrashError('TypeError', 'options.onDone is not a function'), { kind: 'not-a-function', callee: 'options.onDone' });
  assert.deepEqual(classifyCrashError('TypeError', '(intermediate value).then is not a function'), { kind: 'other' });
  assert.deepEqual(classifyCrashError('SyntaxError', 'Unexpected token } in JSON at position 5'), { kind: 'invalid-json' });
  assert.deepEqual(classifyCrashError('SyntaxError', `Unexpected token 'o', "not json" is not valid JSON`), { kind: 'invalid-json' });
  assert.deepEqual(classifyCrashError('SyntaxError', 'Unexpected identifier'), { kind: 'other' });
  assert.deepEqual(classifyCrashError('UnhandledPromiseRejection', 'anything'), { kind: 'unhandled-rejection' });
  assert.deepEqual(classifyCrashError('RangeError', 'Maximum call stack size exceeded'), { kind: 'other' });
  assert.equal(looksLikeUpstreamFailure('Error', 'connect ECONNREFUSED 10.0.0.7:8080'), true);
  assert.equal(looksLikeUpstreamFailure('Error', 'user not found'), false);
});

test('text edits apply against original offsets, keep insertion order, and refuse overlaps', () => {
  assert.equal(applyTextEdits('a.b', [{ start: 0, end: 0, text: '(' }, { start: 1, end: 2, text: '?.' }, { start: 3, end: 3, text: ' ?? [])' }]), '(a?.b ?? [])');
  assert.equal(applyTextEdits('x', [{ start: 1, end: 1, text: '1' }, { start: 1, end: 1, text: '2' }]), 'x12');
  assert.throws(() => applyTextEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }]), { code: 'TEMPLATE_EDIT_OVERLAP' });
});
