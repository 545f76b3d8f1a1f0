import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTwoFilesPatch } from 'diff';
import { DEFAULT_FIXER_CONFIG, type DiffPolicyConfig } from '../../shared/config/fixer-schema.js';
import type { WorkspaceDiff } from '../../services/fixer/fix-candidate.js';
import { checkDiffPolicy, type DiffPolicyResult } from '../../services/fixer/policy/check-diff-policy.js';

const policy: DiffPolicyConfig = DEFAULT_FIXER_CONFIG.policy;

/** One file's change as `git diff` prints it; null content means the file is absent on that side. */
interface Change {
  path: string;
  before: string | null;
  after: string | null;
}

function candidate(...changes: Change[]): WorkspaceDiff {
  let linesChanged = 0;
  const sections = changes.map(({ path, before, after }) => {
    const patch = createTwoFilesPatch(before === null ? '/dev/null' : `a/${path}`, after === null ? '/dev/null' : `b/${path}`, before ?? '', after ?? '', undefined, undefined, { context: 3 });
    const body = patch.split('\n').slice(1).join('\n'); // drop jsdiff's "====" line
    linesChanged += body.split('\n').filter((l) => /^[+-](?![+-]{2} )/.test(l)).length;
    const mode = before === null ? 'new file mode 100644\n' : after === null ? 'deleted file mode 100644\n' : '';
    return `diff --git a/${path} b/${path}\n${mode}${body}`;
  });
  return {
    diff: sections.join(''),
    files: changes.map((c) => c.path),
    linesChanged,
    added: changes.filter((c) => c.before === null).map((c) => c.path),
    deleted: changes.filter((c) => c.after === null).map((c) => c.path),
  };
}

const text = (...lines: string[]): string => `${lines.join('\n')}\n`;
const rulesOf = (result: DiffPolicyResult): string[] => (result.ok ? [] : result.violations.map((v) => v.rule));
const violations = (result: DiffPolicyResult) => (result.ok ? [] : result.violations);

const PRICE_BEFORE = text('export function total(items) {', '  return items.reduce((s, i) => s + i.price, 0);', '}');
const PRICE_AFTER = text('export function total(items) {', '  return (items ?? []).reduce((s, i) => s + i.price, 0);', '}');
const cleanFix = { path: 'src/price.ts', before: PRICE_BEFORE, after: PRICE_AFTER };

test('a small fix in source code passes', () => {
  assert.deepEqual(checkDiffPolicy(candidate(cleanFix), policy), { ok: true });
  assert.deepEqual(checkDiffPolicy(candidate(cleanFix), policy, { paths: ['src/**'] }), { ok: true });
});

test('too many files and too many lines are refused with the counts and limits', () => {
  const many = Array.from({ length: 6 }, (_, i) => ({ path: `src/m${i}.ts`, before: 'a\n', after: 'b\n' }));
  const result = checkDiffPolicy(candidate(...many), policy);
  assert.deepEqual(rulesOf(result), ['max-files']);
  assert.match(violations(result)[0]?.message ?? '', /touches 6 files \(src\/m0\.ts, .*\); at most 5 are allowed: narrow the fix/);

  const long = { path: 'src/big.ts', before: null, after: text(...Array.from({ length: 201 }, (_, i) => `line ${i}`)) };
  const lines = checkDiffPolicy(candidate(long), policy);
  assert.deepEqual(rulesOf(lines), ['max-lines']);
  assert.match(violations(lines)[0]?.message ?? '', /changes 201 lines; at most 200/);
});

test('forbidden paths (CI, lockfiles, secrets, dot files included) are refused by file', () => {
  const paths = ['.github/workflows/ci.yml', 'services/api/package-lock.json', 'config/.env.production', 'certs/server.pem', 'Jenkinsfile'];
  const result = checkDiffPolicy(candidate(...paths.map((path) => ({ path, before: 'a\n', after: 'b\n' }))), policy);
  const found = violations(result).filter((v) => v.rule === 'forbidden-path');
  assert.deepEqual(found.map((v) => v.file), paths);
  assert.match(found[0]?.message ?? '', /^\.github\/workflows\/ci\.yml matches the forbidden path "\.github\/\*\*": leave it unchanged/);
});

describe('migrations', () => {
  const migrations = ['db/migrate/20250310_add_discount.rb', 'prisma/migrations/20250310/migration.sql', 'shop/orders/migrations/0002_discount.py', 'alembic/versions/ab12_discount.py', 'src/main/resources/db/migration/V2__discount.sql'];
  const change = candidate(...migrations.map((path) => ({ path, before: null, after: 'ALTER TABLE x;\n' })));

  test('are refused unless allowed', () => {
    const found = violations(checkDiffPolicy(change, policy)).filter((v) => v.rule === 'migration');
    assert.deepEqual(found.map((v) => v.file), migrations);
    assert.match(found[0]?.message ?? '', /db\/migrate\/20250310_add_discount\.rb is a database migration: fix the code without/);
  });

  test('pass when allowMigrations is on', () => {
    assert.deepEqual(rulesOf(checkDiffPolicy(change, { ...policy, allowMigrations: true })), []);
  });
  test('a file merely named like one is not a migration', () => {
    assert.deepEqual(checkDiffPolicy(candidate({ path: 'src/migrate-prices.ts', before: 'a\n', after: 'b\n' }), policy), { ok: true });
  });
});

describe('new dependencies', () => {
  const pkg = (deps: string[], scripts: string[] = ['"test": "node --test"']): string =>
    text('{', '  "name": "shop",', '  "version": "1.0.0",', '  "scripts": {', ...scripts.map((s) => `    ${s},`), '  },', '  "dependencies": {', ...deps.map((d, i) => `    ${d}${i < deps.length - 1 ? ',' : ''}`), '  }', '}');

  test('package.json: a new key in a dependency section is refused; a version bump and a new script are not', () => {
    const added = candidate({ path: 'package.json', before: pkg(['"express": "^5.0.0"']), after: pkg(['"express": "^5.0.0"', '"left-pad": "^1.3.0"']) });
    const result = checkDiffPolicy(added, policy);
    assert.deepEqual(violations(result), [
      { rule: 'new-dependency', file: 'package.json', message: 'package.json adds the dependency "left-pad": fix the code with what the project already depends on (fixer.policy.allowNewDependencies is off)' },
    ]);
    const bump = candidate({ path: 'package.json', before: pkg(['"express": "^5.0.0"']), after: pkg(['"express": "^5.1.0"'], ['"test": "node --test"', '"lint": "eslint ."']) });
    assert.deepEqual(checkDiffPolicy(bump, policy), { ok: true });
    assert.deepEqual(checkDiffPolicy(added, { ...policy, allowNewDependencies: true }), { ok: true });
  });

  test('package.json: a hunk starting inside a long dependency list still sees the new package', () => {
    const long = Array.from({ length: 12 }, (_, i) => `"dep${String(i).padStart(2, '0')}": "^1.0.${i}"`);
    const result = checkDiffPolicy(candidate({ path: 'services/api/package.json', before: pkg(long), after: pkg([...long.slice(0, 9), '"zod": "^4.0.0"', ...long.slice(9)]) }), policy);
    assert.deepEqual(violations(result).map((v) => v.message.split(':')[0]), ['services/api/package.json adds the dependency "zod"']);
  });

  const manifests: Array<[string, string, string, string]> = [
    ['requirements.txt', text('flask==3.0.0', 'requests>=2'), text('flask==3.0.1', 'requests>=2', 'PyYAML[libyaml]>=6  # config'), 'pyyaml'],
    ['requirements-dev.txt', text('pytest'), text('pytest', '-r requirements.txt', 'hypothesis'), 'hypothesis'],
    ['pyproject.toml', text('[project]', 'name = "shop"', 'dependencies = [', '  "flask>=3",', ']'), text('[project]', 'name = "shop"', 'dependencies = [', '  "flask>=3",', '  "httpx>=0.27",', ']'), 'httpx'],
    ['pyproject.toml', text('[tool.poetry.dependencies]', 'python = "^3.12"', 'flask = "^3"'), text('[tool.poetry.dependencies]', 'python = "^3.12"', 'flask = "^3"', 'redis = "^5"'), 'redis'],
    ['go.mod', text('module example.com/shop', '', 'require (', '\tgithub.com/go-chi/chi/v5 v5.0.0', ')'), text('module example.com/shop', '', 'require (', '\tgithub.com/go-chi/chi/v5 v5.0.0', '\tgithub.com/google/uuid v1.6.0', ')'), 'github.com/google/uuid'],
    ['Cargo.toml', text('[package]', 'name = "shop"', 'version = "0.1.0"', '', '[dependencies]', 'serde = "1"'), text('[package]', 'name = "shop"', 'version = "0.2.0"', '', '[dependencies]', 'serde = "1"', 'tokio = { version = "1", features = ["full"] }'), 'tokio'],
    ['pom.xml', text('<dependencies>', '  <dependency>', '    <groupId>org.slf4j</groupId>', '    <artifactId>slf4j-api</artifactId>', '  </dependency>', '</dependencies>'), text('<dependencies>', '  <dependency>', '    <groupId>org.slf4j</groupId>', '    <artifactId>slf4j-api</artifactId>', '  </dependency>', '  <dependency>', '    <groupId>com.google.guava</groupId>', '    <artifactId>guava</artifactId>', '  </dependency>', '</dependencies>'), 'guava'],
    ['Gemfile', text("source 'https://rubygems.org'", "gem 'rails', '~> 7.1'"), text("source 'https://rubygems.org'", "gem 'rails', '~> 7.2'", "gem 'sidekiq'"), 'sidekiq'],
  ];
  for (const [path, before, after, name] of manifests) {
    test(`${path}: "${name}" is new, and only it`, () => {
      const found = violations(checkDiffPolicy(candidate({ path, before, after }), policy));
      assert.deepEqual(found.map((v) => [v.rule, v.file, v.message.split(':')[0]]), [['new-dependency', path, `${path} adds the dependency "${name}"`]]);
    });
  }
});

describe('tests', () => {
  const spec = text("import { test } from 'node:test';", "import assert from 'node:assert/strict';", '', "test('totals', () => {", '  assert.equal(total([{ price: 2 }]), 2);', '  assert.equal(total([]), 0);', '});');

  test('a deleted test file is refused', () => {
    const result = checkDiffPolicy(candidate({ path: 'src/__tests__/price.test.ts', before: spec, after: null }), policy);
    assert.deepEqual(rulesOf(result), ['deleted-test']);
    assert.match(violations(result)[0]?.message ?? '', /^src\/__tests__\/price\.test\.ts is a test file and the diff deletes it: keep the test/);
  });

  test('removed or changed assertions are refused; added ones are fine', () => {
    const weakened = spec.replace('  assert.equal(total([]), 0);\n', '').replace('2);', '3);');
    const result = checkDiffPolicy(candidate({ path: 'tests/price.test.ts', before: spec, after: weakened }), policy);
    assert.deepEqual(
      violations(result).map((v) => [v.rule, v.file, v.message]),
      [
        ['weakened-assertion', 'tests/price.test.ts', 'tests/price.test.ts loses or changes the assertion `assert.equal(total([{ price: 2 }]), 2);`: keep the assertion as it was and make the code satisfy it'],
        ['weakened-assertion', 'tests/price.test.ts', 'tests/price.test.ts loses or changes the assertion `assert.equal(total([]), 0);`: keep the assertion as it was and make the code satisfy it'],
      ],
    );
    const strengthened = spec.replace('});', "  assert.equal(total(undefined), 0);\n});");
    assert.deepEqual(checkDiffPolicy(candidate({ path: 'tests/price.test.ts', before: spec, after: strengthened }), policy), { ok: true });
  });

  const skips: Array<[string, string, string]> = [
    ['tests/price.test.ts', "test('totals', () => {", "test.skip('totals', () => {"],
    ['web/cart.spec.js', "it('adds', () => {", "it.only('adds', () => {"],
    ['web/cart.spec.js', "it('adds', () => {", "xit('adds', () => {"],
    ['src/test/java/shop/PriceTest.java', '  @Test', '  @Test @Disabled("flaky")'],
    ['tests/test_price.py', 'def test_total():', '@pytest.mark.skip(reason="later")\ndef test_total():'],
  ];
  for (const [path, from, to] of skips) {
    test(`${to.split('\n')[0]} in ${path} is refused`, () => {
      const before = text('setup()', from, '  check()', 'end');
      const result = checkDiffPolicy(candidate({ path, before, after: before.replace(from, to) }), policy);
      assert.deepEqual(rulesOf(result), ['skipped-test']);
      assert.match(violations(result)[0]?.message ?? '', /which skips or focuses tests: remove it/);
      assert.equal(violations(result)[0]?.file, path);
    });
  }

  test('allowTestChanges lets all of it through', () => {
    const change = candidate({ path: 'tests/price.test.ts', before: spec, after: spec.replace("test('totals'", "test.skip('totals'").replace('  assert.equal(total([]), 0);\n', '') });
    assert.deepEqual(checkDiffPolicy(change, { ...policy, allowTestChanges: true }), { ok: true });
  });
});

test('paths outside the rule permissions are refused when the rule lists some', () => {
  const result = checkDiffPolicy(candidate(cleanFix, { path: 'lib/util.ts', before: 'a\n', after: 'b\n' }), policy, { paths: ['src/**', 'docs/*.md'] });
  assert.deepEqual(violations(result), [
    { rule: 'outside-permitted-paths', file: 'lib/util.ts', message: "lib/util.ts is outside the paths this incident's rule allows (src/**, docs/*.md): limit the change to those paths" },
  ]);
});

test('a binary section does not hide the text sections after it', () => {
  const binary = 'diff --git a/logo.png b/logo.png\nnew file mode 100644\nindex 0000000..4be6e62\nGIT binary patch\nliteral 7\nOcmYdHVn|M5WC8#OwgHX+\n\nliteral 0\nHcmV?d00001\n\n';
  const text = candidate({ path: 'tests/price.test.ts', before: 'x\nassert.ok(a)\ny\n', after: 'x\ny\n' });
  const result = checkDiffPolicy({ ...text, diff: binary + text.diff, files: ['logo.png', ...text.files], added: ['logo.png'] }, policy);
  assert.deepEqual(rulesOf(result), ['weakened-assertion']);
});
