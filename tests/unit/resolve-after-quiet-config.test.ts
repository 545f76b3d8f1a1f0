import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../shared/config/config-error.js';
import { parseConfigYaml } from '../../shared/config/parse-config-yaml.js';
import { resolveConfig } from '../../shared/config/resolve-config.js';

const resolve = (yaml: string) => resolveConfig({ cwd: '/srv', env: {}, file: parseConfigYaml(yaml, 'ns.yaml') });

function problem(yaml: string): string {
  try {
    resolve(yaml);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

test('triage.resolveAfterQuietMinutes defaults to 30 and takes a whole number of minutes', () => {
  assert.equal(resolveConfig({ cwd: '/srv', env: {} }).triage.resolveAfterQuietMinutes, 30);
  assert.equal(resolve('triage:\n  resolveAfterQuietMinutes: 5\n').triage.resolveAfterQuietMinutes, 5);
});

test('triage.resolveAfterQuietMinutes refuses zero, fractions, more than a week and words, naming the line', () => {
  for (const [value, column] of [['0', 29], ['2.5', 29], ['20000', 29], ['soon', 29]] as const) {
    const message = problem(`triage:\n  resolveAfterQuietMinutes: ${value}\n`);
    assert.match(message, new RegExp(`ns\\.yaml:2:${column}: triage\\.resolveAfterQuietMinutes: expected a whole number of minutes from 1 to 10080`), message);
  }
});
