import assert from 'node:assert/strict';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createEditCheck } from '../../services/fixer/strategies/llm/check-edit-allowed.js';
import { resolveWorkspacePath } from '../../services/fixer/strategies/llm/resolve-workspace-path.js';
import { runLlmTool, type ToolDeps } from '../../services/fixer/strategies/llm/run-llm-tool.js';
import { DEFAULT_FIXER_CONFIG } from '../../shared/config/fixer-schema.js';
import { shopReport } from '../helpers/llm-scenario.js';
import { tempDir } from '../helpers/wait.js';

describe('the llm tools on a real directory', () => {
  let root: { path: string; cleanup: () => Promise<void> };
  let outside: { path: string; cleanup: () => Promise<void> };
  let deps: ToolDeps;
  const run = (name: string, args: unknown) => runLlmTool(name, JSON.stringify(args), deps);

  before(async () => {
    root = await tempDir('nightshift-tools-');
    outside = await tempDir('nightshift-outside-');
    await mkdir(join(root.path, 'src/deep'), { recursive: true });
    await mkdir(join(root.path, '.git'), { recursive: true });
    await writeFile(join(root.path, 'src/a.ts'), Array.from({ length: 1000 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n');
    await writeFile(join(root.path, 'src/deep/b.ts'), 'const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";\nfind me\n');
    await writeFile(join(outside.path, 'secret.txt'), 'outside');
    await symlink(join(outside.path, 'secret.txt'), join(root.path, 'src/link.txt'));
    await symlink(outside.path, join(root.path, 'out'));
    deps = {
      tools: { dir: root.path, checkEdit: createEditCheck({ allowed: ['src/**'], forbidden: DEFAULT_FIXER_CONFIG.policy.forbiddenPaths }), signal: new AbortController().signal },
      evidence: { report: shopReport(), alerts: [] },
    };
  });
  after(async () => {
    await root.cleanup();
    await outside.cleanup();
  });

  test('paths are confined to the workspace', async () => {
    assert.deepEqual(await resolveWorkspacePath(root.path, './src//a.ts'), { ok: true, absolute: join(root.path, 'src/a.ts'), relative: 'src/a.ts' });
    for (const [path, reason] of [
      ['../x', /contains "\.\."/],
      ['src/../../x', /contains "\.\."/],
      ['/etc/passwd', /absolute/],
      ['C:/x', /absolute/],
      ['.git/config', /\.git directory/],
      ['src/link.txt', /through a symlink/],
      ['out/new.txt', /through a symlink/],
      ['a\0b', /NUL/],
    ] as const) {
      const resolved = await resolveWorkspacePath(root.path, path);
      assert.ok(!resolved.ok, `${JSON.stringify(path)} was accepted`);
      assert.match(resolved.reason, reason);
    }
  });

  test('read_file numbers lines, honours ranges, caps long files and scrubs secrets', async () => {
    const range = (await run('read_file', { path: 'src/a.ts', start: 10, end: 11 })).content;
    assert.equal(range, 'src/a.ts lines 10-11 of 1000:\n10| export const v9 = 9;\n11| export const v10 = 10;\n… (lines 12-1000 not shown)');
    assert.match((await run('read_file', { path: 'src/a.ts' })).content, /lines 1-400 of 1000/);
    const secret = (await run('read_file', { path: 'src/deep/b.ts' })).content;
    assert.ok(secret.includes('[REDACTED]') && !secret.includes('ghp_'));
    assert.match((await run('read_file', { path: 'src/link.txt' })).content, /^error: .*symlink/);
  });

  test('list_files walks without following symlinks or entering .git', async () => {
    const listing = (await run('list_files', {})).content.split('\n');
    assert.deepEqual(listing, ['src/', 'src/a.ts', 'src/deep/', 'src/deep/b.ts']);
  });

  test('search finds literals and safe regexes, and refuses a regex that can backtrack catastrophically', async () => {
    assert.equal((await run('search', { pattern: 'find me' })).content, 'src/deep/b.ts:2: find me');
    assert.equal((await run('search', { pattern: 'v99[0-9] =', regex: true, path: 'src/*.ts' })).content.split('\n').length, 10);
    assert.equal((await run('search', { pattern: 'v1', path: 'lib/**' })).content, 'no matches');
    assert.match((await run('search', { pattern: '^(a+)+$', regex: true })).content, /refused .*backtrack/);
    assert.match((await run('search', { pattern: '(', regex: true })).content, /invalid regular expression/);
    assert.match((await run('search', { pattern: 'export' })).content, /stopped after 100 matches/);
  });

  test('edits: one exact occurrence, new files, refusals outside the rule and on forbidden paths', async () => {
    assert.equal((await run('propose_edit', { path: 'src/deep/b.ts', search: 'find me', replace: 'found' })).content, 'edited src/deep/b.ts');
    assert.match(await readFile(join(root.path, 'src/deep/b.ts'), 'utf8'), /found/);
    assert.match((await run('propose_edit', { path: 'src/a.ts', search: 'export const', replace: '' })).content, /occurs 1000 times/);
    assert.match((await run('propose_edit', { path: 'src/a.ts', search: 'nope', replace: '' })).content, /does not occur/);
    assert.equal((await run('propose_edit', { path: 'src/new/c.ts', search: '', replace: 'x\n' })).content, 'created src/new/c.ts');
    assert.match((await run('propose_edit', { path: 'README.md', search: '', replace: 'x' })).content, /^refused: README\.md is outside the paths/);
    assert.match((await run('propose_edit', { path: 'src/package-lock.json', search: '', replace: '{}' })).content, /^refused: .*forbidden path "\*\*\/package-lock\.json"/);
    const result = await run('apply_patch', { patch: '--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n@@ -0,0 +1 @@\n+x\n' });
    assert.equal(result.problem, 'refused');
  });

  test('the model gets every mistake back as text', async () => {
    assert.equal((await runLlmTool('read_file', '{not json', deps)).problem, 'malformed JSON');
    assert.equal((await runLlmTool('exec', '{}', deps)).problem, 'unknown tool');
    assert.match((await run('read_file', { path: 'src/a.ts', start: 0 })).content, /invalid arguments for read_file: start/);
    assert.match((await run('read_evidence', { section: 'secrets' })).content, /invalid arguments/);
    assert.match((await run('read_evidence', { section: 'crash' })).content, /^<<<UNTRUSTED_DATA source="evidence:crash"\nTypeError: .*\n  at src\/cart\.js:4 in cartTotal\nUNTRUSTED_DATA>>>$/);
    assert.match((await run('run_checks', {})).content, /not available/);
  });
});
