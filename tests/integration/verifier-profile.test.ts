import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConfigError } from '../../shared/config/config-error.js';
import { configSchema } from '../../shared/config/config-schema.js';
import { createDefaultConfig } from '../../shared/config/create-default-config.js';
import { DEFAULT_VERIFIER_CONFIG } from '../../shared/config/verifier-schema.js';
import { loadRepositoryProfile } from '../../services/verifier/profile/load-repository-profile.js';
import { NoVerificationProfileError, resolveProfile } from '../../services/verifier/profile/resolve-profile.js';
import { tempDir } from '../helpers/wait.js';

let dir: { path: string; cleanup: () => Promise<void> };
before(async () => {
  dir = await tempDir('nightshift-profile-');
});
after(async () => dir.cleanup());

test('a repository\'s .nightshift.yml profile is read with defaults', async () => {
  await writeFile(
    join(dir.path, '.nightshift.yml'),
    ['verification:', '  install: npm ci', '  test: [npm, test]', '  service:', '    command: node server.js', '    port: 3000', ''].join('\n'),
  );
  const profile = await loadRepositoryProfile(dir.path);
  assert.deepEqual(profile, {
    install: 'npm ci',
    test: ['npm', 'test'],
    service: { command: 'node server.js', port: 3000, healthPath: '/', startTimeoutMs: 15_000 },
    timeouts: { stepMs: 300_000 },
    memoryMb: 2048,
  });
});

test('no .nightshift.yml is no profile', async () => {
  const empty = await tempDir('nightshift-profile-empty-');
  try {
    assert.equal(await loadRepositoryProfile(empty.path), null);
  } finally {
    await empty.cleanup();
  }
});

test('an invalid .nightshift.yml is an error naming file, line and key; sandbox settings are not accepted there', async () => {
  await writeFile(
    join(dir.path, '.nightshift.yml'),
    ['verification:', '  test: npm test', '  service:', '    command: node server.js', '    port: 99999', 'sandbox: none', ''].join('\n'),
  );
  await assert.rejects(loadRepositoryProfile(dir.path), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^\.nightshift\.yml:5:11: verification\.service\.port: /m);
    assert.match(error.message, /^\.nightshift\.yml:6:1: sandbox: unknown key "sandbox"/m);
    return true;
  });
});

test('a repository\'s own profile cannot raise its limits past the configuration\'s', () => {
  const profile = resolveProfile({
    config: { ...DEFAULT_VERIFIER_CONFIG, limits: { maxStepMs: 60_000, maxMemoryMb: 512 } },
    repository: 'orders',
    repositoryProfile: { test: 'npm test', timeouts: { stepMs: 3_600_000 }, memoryMb: 65_536 },
  });
  assert.deepEqual(profile.timeouts, { stepMs: 60_000 });
  assert.equal(profile.memoryMb, 512);
});

test('a configured profile wins over the repository\'s, and the rule\'s over both', () => {
  const config = {
    ...DEFAULT_VERIFIER_CONFIG,
    profiles: {
      node: { test: 'npm test', timeouts: { stepMs: 1000 }, memoryMb: 64 },
      strict: { test: 'npm run test:ci', timeouts: { stepMs: 1000 }, memoryMb: 64 },
    },
    repositories: { orders: 'node' },
  };
  const own = { test: 'make test', timeouts: { stepMs: 1000 }, memoryMb: 64 };
  assert.equal(resolveProfile({ config, repository: 'orders', repositoryProfile: own }).test, 'npm test');
  assert.equal(resolveProfile({ config, repository: 'orders', ruleProfile: 'strict', repositoryProfile: own }).test, 'npm run test:ci');
  assert.equal(resolveProfile({ config, repository: 'billing', repositoryProfile: own }).test, 'make test');
  assert.throws(() => resolveProfile({ config, repository: 'billing', repositoryProfile: null }), NoVerificationProfileError);
});

test('the configuration refuses sandbox "none" without allowUnsandboxed, and unknown profile names', () => {
  const config = createDefaultConfig();
  const bad = { ...config, verifier: { ...config.verifier, sandbox: 'none', repositories: { orders: 'missing' } } };
  const result = configSchema.safeParse(bad);
  assert.equal(result.success, false);
  const messages = result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  assert.ok(messages.some((m) => /^verifier\.sandbox: .*allowUnsandboxed/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /^verifier\.repositories\.orders: names "missing"/.test(m)), messages.join('\n'));
  assert.equal(configSchema.safeParse({ ...config, verifier: { ...config.verifier, sandbox: 'none', allowUnsandboxed: true } }).success, true);
});
