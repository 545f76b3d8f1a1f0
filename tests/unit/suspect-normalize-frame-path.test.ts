import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeFramePath } from '../../services/triage/suspects/normalize-frame-path.js';
import { isLibraryFrame } from '../../services/triage/suspects/is-library-frame.js';
import { isSafeRepositoryPath } from '../../services/triage/suspects/is-safe-repository-path.js';

function pathOf(raw: string, prefixes: string[] = []): string {
  const result = normalizeFramePath(raw, prefixes);
  assert.ok(result.ok, `${raw} should normalise: ${result.ok ? '' : result.detail}`);
  return result.path;
}

test('schemes, authorities, query strings and ./ are stripped', () => {
  assert.equal(pathOf('app:///src/orders/price.js'), 'src/orders/price.js');
  assert.equal(pathOf('webpack:///./src/orders/price.ts'), 'src/orders/price.ts');
  assert.equal(pathOf('webpack://shop-web/./src/cart.tsx'), 'src/cart.tsx');
  assert.equal(pathOf('webpack-internal:///./src/cart.tsx'), 'src/cart.tsx');
  assert.equal(pathOf('file:///srv/app/src/orders/price.js'), 'srv/app/src/orders/price.js');
  assert.equal(pathOf('https://cdn.example.com/static/js/main.js?v=12#L3'), 'static/js/main.js');
  assert.equal(pathOf('~/static/js/main.js'), 'static/js/main.js');
  assert.equal(pathOf('app/orders.py'), 'app/orders.py');
  assert.equal(pathOf('/app/dist//orders/./handler.js'), 'app/dist/orders/handler.js');
});

test('Windows paths and percent-encoding are made plain', () => {
  assert.equal(pathOf('C:\\build\\src\\orders\\price.ts'), 'build/src/orders/price.ts');
  assert.equal(pathOf('file:///srv/app/src/my%20file.js'), 'srv/app/src/my file.js');
});

test('configured deployment prefixes are stripped, the longest first, absolute or relative', () => {
  assert.equal(pathOf('/app/dist/orders/handler.js', ['/app/']), 'dist/orders/handler.js');
  assert.equal(pathOf('/app/dist/orders/handler.js', ['/app', '/app/dist']), 'orders/handler.js');
  assert.equal(pathOf('file:///srv/app/src/x.js', ['/srv/app']), 'src/x.js');
  assert.equal(pathOf('dist/orders/handler.js', ['dist']), 'orders/handler.js');
  assert.equal(pathOf('/application/x.js', ['/app']), 'application/x.js', 'a prefix matches whole segments only');
});

test('hostile and meaningless paths are rejected with a reason', () => {
  const rejected = [
    '--output=/tmp/pwned',
    '-L1,1:/etc/passwd',
    ':(glob)**',
    ':/secret',
    '../../etc/passwd',
    'webpack:///../node_modules/x.js',
    'src/%2e%2e/%2e%2e/etc/passwd',
    'src/x.js\n--exec=sh',
    'src/x%00.js',
    'src/%E0%A4%A.js',
    `${'a/'.repeat(1200)}x.js`,
  ];
  for (const raw of rejected) {
    const result = normalizeFramePath(raw);
    assert.equal(result.ok, false, raw);
    if (!result.ok) assert.equal(result.reason, 'rejected-path', raw);
  }
  const empty = normalizeFramePath('app:///');
  assert.equal(empty.ok, false);
  if (!empty.ok) assert.equal(empty.reason, 'no-path');
  const dashInside = normalizeFramePath('/app/src/-weird.ts', ['/app']);
  assert.ok(dashInside.ok, 'a dash inside the path is a legal file name; only a leading one is refused');
});

test('library frames are recognised whatever the tracker says about in_app', () => {
  assert.equal(isLibraryFrame({ filename: 'node:internal/process/task_queues' }), true);
  assert.equal(isLibraryFrame({ filename: 'internal/timers.js' }), true);
  assert.equal(isLibraryFrame({ absPath: '/app/node_modules/express/lib/router.js', inApp: true }), true);
  assert.equal(isLibraryFrame({ absPath: 'webpack:///./node_modules/react-dom/cjs/x.js' }), true);
  assert.equal(isLibraryFrame({ absPath: '/usr/local/lib/python3.12/site-packages/flask/app.py' }), true);
  assert.equal(isLibraryFrame({ filename: '<anonymous>' }), true);
  assert.equal(isLibraryFrame({ filename: 'Thread.java', module: 'java.lang.Thread' }), true);
  assert.equal(isLibraryFrame({ filename: 'app/orders.py', inApp: false }), true);
  assert.equal(isLibraryFrame({ filename: 'app/orders.py' }), false);
  assert.equal(isLibraryFrame({ absPath: 'app:///src/orders/price.js', inApp: true }), false);
});

test('only plain relative paths may reach git', () => {
  for (const ok of ['services/orders/src/price.ts', 'src/-weird.ts', 'src/[id].ts', 'a b/c.ts']) assert.equal(isSafeRepositoryPath(ok), true, ok);
  for (const bad of ['', '-rf', ':(glob)*', '/etc/passwd', 'a/../b', './a', 'a//b', 'a\\b', 'a\nb', 'a/']) {
    assert.equal(isSafeRepositoryPath(bad), false, JSON.stringify(bad));
  }
});
