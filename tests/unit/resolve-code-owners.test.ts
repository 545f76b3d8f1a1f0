import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveGitRemote } from '../../services/fixer/forge/github/derive-git-remote.js';
import { resolveCodeOwners } from '../../services/fixer/forge/resolve-code-owners.js';

// The examples from GitHub's CODEOWNERS documentation, one owner per rule so each match is visible.
const GITHUB_EXAMPLE = [
  '# These owners will be the default owners for everything',
  '*       @global-owner1 @global-owner2',
  '*.js    @js-owner #This is an inline comment.',
  '*.go docs@example.com',
  '*.txt @octo-org/octocats',
  '/build/logs/ @doctocat',
  'docs/*  @docs-owner',
  'apps/ @octocat',
  '/docs/ @doctocat2',
  '/scripts/ @doctocat3 @octocat',
  '**/logs @octocat2',
  '/apps/ @octocat3',
  '/apps/github',
  '/apps/ @octocat4',
  '/apps/github @doctocat5',
].join('\n');

const owners = (path: string) => resolveCodeOwners(GITHUB_EXAMPLE, [path]);

describe('resolveCodeOwners', () => {
  it('applies the last matching rule, gitignore style, as GitHub documents', () => {
    assert.deepEqual(owners('README.md').users, ['global-owner1', 'global-owner2']);
    assert.deepEqual(owners('src/deep/app.js').users, ['js-owner']);
    assert.deepEqual(owners('main.go'), { users: [], teams: [] }, 'email owners are not logins');
    assert.deepEqual(owners('notes.txt'), { users: [], teams: ['octo-org/octocats'] });
    assert.deepEqual(owners('build/logs/today/a.log').users, ['octocat2'], '**/logs, later, wins over /build/logs/');
    assert.deepEqual(owners('docs/getting-started.md').users, ['doctocat2'], '/docs/ comes after docs/*');
    assert.deepEqual(owners('lib/apps/x.rb').users, ['octocat'], 'apps/ matches at any depth');
    assert.deepEqual(owners('apps/github/x.rb').users, ['doctocat5']);
    assert.deepEqual(owners('apps/other.rb').users, ['octocat4']);
    assert.deepEqual(owners('scripts/deploy.sh').users, ['doctocat3', 'octocat']);
  });

  it('leaves a path unowned by a matching rule without owners, and unions several paths', () => {
    const text = '* @lead\n/vendor/\nsrc/ @alice\n';
    assert.deepEqual(resolveCodeOwners(text, ['vendor/lib.js']).users, []);
    assert.deepEqual(resolveCodeOwners(text, ['src/a.ts', 'README.md', 'src/b.ts']).users, ['alice', 'lead']);
  });

  it('matches docs/* only one level deep, as GitHub documents', () => {
    const text = 'docs/* @docs-owner\n';
    assert.deepEqual(resolveCodeOwners(text, ['docs/a.md']).users, ['docs-owner']);
    assert.deepEqual(resolveCodeOwners(text, ['docs/build-app/troubleshooting.md']).users, []);
  });
});

describe('deriveGitRemote', () => {
  it('maps the API root to the git host', () => {
    assert.equal(deriveGitRemote('https://api.github.com', 'acme/shop'), 'https://github.com/acme/shop.git');
    assert.equal(deriveGitRemote('https://ghe.example.com/api/v3/', 'acme/shop'), 'https://ghe.example.com/acme/shop.git');
    assert.equal(deriveGitRemote('http://127.0.0.1:8080', 'acme/shop'), 'http://127.0.0.1:8080/acme/shop.git');
  });
});
