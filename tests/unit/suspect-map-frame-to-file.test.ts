import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexTrackedFiles } from '../../services/triage/suspects/index-tracked-files.js';
import { mapFrameToFile, type FrameMapping } from '../../services/triage/suspects/map-frame-to-file.js';
import type { StackFrame } from '../../services/triage/suspects/stack-frame.js';

const tracked = indexTrackedFiles('0'.repeat(40), [
  'package.json',
  'services/orders/src/orders/price.ts',
  'services/orders/src/orders/handler.ts',
  'services/orders/src/index.js',
  'services/orders/src/utils.js',
  'services/orders/lib/legacy.js',
  'services/orders/app/orders.py',
  'services/orders/src/main/java/com/acme/orders/PriceService.java',
  'services/inventory/src/index.js',
  'services/inventory/src/utils.js',
  'services/inventory/src/stock/reserve.ts',
  'libs/money/src/round.ts',
  'libs/a/src/dup.ts',
  'libs/b/src/dup.ts',
]);
const orders = { sourceRoot: 'services/orders', pathPrefixes: ['/app/'] };

function mapped(frame: StackFrame, repository: { sourceRoot: string; pathPrefixes?: string[] } = orders): Extract<FrameMapping, { ok: true }>['mapped'] {
  const result = mapFrameToFile(frame, repository, tracked);
  assert.ok(result.ok, `expected a mapping for ${JSON.stringify(frame)}: ${result.ok ? '' : result.unmapped.detail}`);
  return result.mapped;
}

function reasonOf(frame: StackFrame, repository: { sourceRoot: string; pathPrefixes?: string[] } = orders): string {
  const result = mapFrameToFile(frame, repository, tracked);
  assert.equal(result.ok, false, `expected no mapping for ${JSON.stringify(frame)}`);
  return result.ok ? '' : result.unmapped.reason;
}

test('JavaScript frame spellings map to the tracked source under the service', () => {
  const cases: Array<[StackFrame, string]> = [
    [{ absPath: 'app:///src/orders/price.ts', lineno: 42 }, 'services/orders/src/orders/price.ts'],
    [{ absPath: 'webpack:///./src/orders/price.ts', lineno: 42 }, 'services/orders/src/orders/price.ts'],
    [{ absPath: '/app/src/orders/handler.ts', lineno: 7 }, 'services/orders/src/orders/handler.ts'],
    [{ absPath: 'file:///srv/app/src/orders/price.ts', lineno: 42 }, 'services/orders/src/orders/price.ts'],
    [{ filename: 'index.js', lineno: 3 }, 'services/orders/src/index.js'],
  ];
  for (const [frame, file] of cases) {
    const result = mapped(frame);
    assert.equal(result.file, file, JSON.stringify(frame));
    assert.equal(result.line, frame.lineno, 'line numbers of the source itself are kept');
    assert.equal(result.match.underSourceRoot, true);
  }
});

test('how a frame matched is reported: the whole path or only its tail', () => {
  const whole = mapped({ absPath: '/app/src/orders/price.ts' });
  assert.deepEqual(whole.match, { kind: 'path', framePath: 'src/orders/price.ts', matchedSegments: 3, underSourceRoot: true });
  const tail = mapped({ absPath: '/srv/www/current/src/orders/price.ts' });
  assert.equal(tail.match.kind, 'suffix');
  assert.equal(tail.match.matchedSegments, 3);
  assert.equal(tail.file, 'services/orders/src/orders/price.ts');
});

test('a compiled file maps to its TypeScript source, without the compiled line number', () => {
  const result = mapped({ absPath: '/app/dist/orders/price.js', lineno: 118, function: 'computeTotal' });
  assert.equal(result.file, 'services/orders/src/orders/price.ts');
  assert.equal(result.match.kind, 'compiled-source');
  assert.equal(result.line, undefined);
  assert.equal(result.function, 'computeTotal');
});

test('Python and Java frames map too', () => {
  assert.equal(mapped({ filename: 'app/orders.py', absPath: '/usr/src/app/app/orders.py', lineno: 9 }).file, 'services/orders/app/orders.py');
  const java = mapped({ filename: 'PriceService.java', module: 'com.acme.orders.PriceService$1', lineno: 30 });
  assert.equal(java.file, 'services/orders/src/main/java/com/acme/orders/PriceService.java');
  assert.equal(java.match.matchedSegments, 4);
});

test('the service source root wins a tie; another service wins only on a longer match', () => {
  assert.equal(mapped({ filename: 'utils.js' }).file, 'services/orders/src/utils.js');
  const inventory = { sourceRoot: 'services/inventory' };
  assert.equal(mapped({ filename: 'utils.js' }, inventory).file, 'services/inventory/src/utils.js');
  const shared = mapped({ absPath: '/app/node_app/libs/money/src/round.ts' });
  assert.equal(shared.file, 'libs/money/src/round.ts');
  assert.equal(shared.match.underSourceRoot, false);
});

test('a bare name outside the source root is not enough; true ties are reported as ambiguous', () => {
  assert.equal(reasonOf({ filename: 'reserve.ts' }), 'not-tracked');
  assert.equal(reasonOf({ absPath: '/app/src/dup.ts' }), 'ambiguous');
  // Both paths go on and disagree: libs/a/src/dup.ts is not what /x/src/dup.ts names.
  assert.equal(reasonOf({ absPath: '/x/src/dup.ts' }), 'not-tracked');
  assert.equal(reasonOf({ absPath: '/app/services/payments/src/dup.ts' }), 'not-tracked');
  assert.equal(reasonOf({ absPath: 'app:///src/orders/missing.ts' }), 'not-tracked');
});

test('library frames, empty frames and hostile paths are not mapped', () => {
  assert.equal(reasonOf({ absPath: '/app/node_modules/express/lib/router/index.js', inApp: true }), 'not-in-app');
  assert.equal(reasonOf({ filename: 'node:internal/process/task_queues', lineno: 95 }), 'not-in-app');
  assert.equal(reasonOf({ function: 'anonymous' }), 'no-path');
  assert.equal(reasonOf({ filename: '--output=/tmp/pwned' }), 'rejected-path');
  assert.equal(reasonOf({ filename: 'price.ts', absPath: '../../services/orders/src/orders/price.ts' }), 'rejected-path');
  assert.equal(reasonOf({ filename: ':(glob)**/price.ts' }), 'rejected-path');
});

test('frames that name no real line keep no line', () => {
  assert.equal(mapped({ absPath: 'app:///src/orders/price.ts', lineno: 0 }).line, undefined);
  assert.equal(mapped({ absPath: 'app:///src/orders/price.ts', lineno: 4.5 }).line, undefined);
});
